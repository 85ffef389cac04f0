from django.urls import path

from samepage.minutes import views

app_name = "minutes"
urlpatterns = [
    path("<int:student_id>/services/", views.services_view, name="services"),
    path("<int:student_id>/services/log/", views.log_session, name="log_session"),
    path(
        "<int:student_id>/services/sessions/<int:session_id>/void/",
        views.void_session,
        name="void_session",
    ),
]
