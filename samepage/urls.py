from django.urls import include, path

from samepage.core.converters import bound_record_ids

urlpatterns = [
    path("", include("samepage.core.urls")),
    path("", include("samepage.home.urls")),
    path("accounts/", include("samepage.accounts.urls")),
    path("students/", include("samepage.teams.urls")),
    path("plans/", include("samepage.plans.urls")),
    path("students/", include("samepage.profiles.urls")),
    path("students/", include("samepage.concerns.urls")),
    path("students/", include("samepage.conversations.urls")),
    path("students/", include("samepage.problems.urls")),
    path("students/", include("samepage.updates.urls")),
    path("students/", include("samepage.minutes.urls")),
    path("students/", include("samepage.progress.urls")),
    path("", include("samepage.reports.urls")),
    path("students/", include("samepage.deadlines.urls")),
    path("help/", include("samepage.glossary.urls")),
    path("notifications/", include("samepage.notifications.urls")),
    path("api/v1/", include("samepage.api.urls")),
]
# No id in any path may be past what a database column holds (a 404, never a crash).
bound_record_ids(urlpatterns)

handler400 = "samepage.core.views.bad_request"
handler403 = "samepage.core.views.permission_denied"
handler404 = "samepage.core.views.page_not_found"
handler500 = "samepage.core.views.server_error"
