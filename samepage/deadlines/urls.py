from django.urls import path

from samepage.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("<int:student_id>/deadlines/", views.student_deadlines, name="student"),
]
