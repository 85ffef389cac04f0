from django.urls import path

from samepage.schools import views

app_name = "schools"
urlpatterns = [
    path("", views.student_list, name="student_list"),
    path("<int:student_id>/", views.student_detail, name="student_detail"),
]
