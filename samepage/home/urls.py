from django.urls import path

from samepage.home import people_views, student_views, views

app_name = "home"
urlpatterns = [
    path("", views.index, name="index"),
    path("home/", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
    path("students/", student_views.student_list, name="student_list"),
    path("students/<int:student_id>/", student_views.student_detail, name="student_detail"),
    path("accounts/people/", people_views.people, name="people"),
    path("accounts/people/<int:person_id>/invite/", people_views.invite, name="invite"),
    path(
        "accounts/invitations/<int:invitation_id>/resend/",
        people_views.resend_invitation,
        name="resend_invitation",
    ),
    path(
        "accounts/invitations/<int:invitation_id>/revoke/",
        people_views.revoke_invitation,
        name="revoke_invitation",
    ),
]
