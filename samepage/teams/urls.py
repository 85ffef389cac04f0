from django.urls import path

from samepage.teams import views

app_name = "teams"
urlpatterns = [
    path("<int:student_id>/team/", views.team, name="team"),
    path("<int:student_id>/team/add/", views.team_add, name="team_add"),
    path("<int:student_id>/team/<int:membership_id>/end/", views.team_end, name="team_end"),
    path(
        "<int:student_id>/team/<int:membership_id>/capabilities/",
        views.team_capabilities,
        name="team_capabilities",
    ),
    path("<int:student_id>/consent/", views.consent, name="consent"),
    path("<int:student_id>/consent/grant/", views.consent_grant, name="consent_grant"),
    path(
        "<int:student_id>/consent/<int:grant_id>/revoke/",
        views.consent_revoke,
        name="consent_revoke",
    ),
    path("<int:student_id>/access-log/", views.access_log, name="access_log"),
    path("shared-with-me/", views.shared_with_me, name="shared_with_me"),
]
