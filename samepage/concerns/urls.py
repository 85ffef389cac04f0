from django.urls import path

from samepage.concerns import views

app_name = "concerns"
urlpatterns = [
    path("<int:student_id>/concerns/", views.concern_list, name="list"),
    path("<int:student_id>/concerns/add/", views.add, name="add"),
    path("<int:student_id>/concerns/heard/", views.heard, name="heard"),
    path("<int:student_id>/concerns/trace/", views.trace, name="trace"),
    path("<int:student_id>/concerns/<int:concern_id>/", views.detail, name="detail"),
    path("<int:student_id>/concerns/<int:concern_id>/link/", views.link, name="link"),
    path("<int:student_id>/concerns/<int:concern_id>/decline/", views.decline, name="decline"),
    path("<int:student_id>/concerns/<int:concern_id>/defer/", views.defer, name="defer"),
]
