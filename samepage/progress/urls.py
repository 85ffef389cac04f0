from django.urls import path

from samepage.progress import views

app_name = "progress"
urlpatterns = [
    path("progress/group/", views.group_session, name="group"),
    path("progress/rules/", views.rules, name="rules"),
    path("<int:student_id>/progress/", views.overview, name="overview"),
    path("<int:student_id>/progress/goals/<uuid:lineage>/", views.goal_page, name="goal"),
    path(
        "<int:student_id>/progress/goals/<uuid:lineage>/record/",
        views.record_point,
        name="record",
    ),
    path(
        "<int:student_id>/progress/goals/<uuid:lineage>/measure/",
        views.set_measurement,
        name="measure",
    ),
    path("<int:student_id>/progress/goals/<uuid:lineage>/phase/", views.add_phase, name="phase"),
    path("<int:student_id>/progress/points/<int:point_id>/void/", views.void_point, name="void"),
    path(
        "<int:student_id>/progress/points/<int:point_id>/correct/",
        views.correct_point,
        name="correct",
    ),
]
