from django.urls import path

from samepage.minutes import views

app_name = "minutes"
urlpatterns = [
    # The district's school calendar and service-minutes settings (its administrator).
    path("services/calendar/", views.school_calendar, name="calendar"),
    path(
        "services/calendar/<int:closure_id>/archive/",
        views.archive_closure,
        name="archive_closure",
    ),
    path("services/settings/", views.minutes_settings, name="settings"),
    path("<int:student_id>/services/", views.services_view, name="services"),
    path("<int:student_id>/services/log/", views.log_session, name="log_session"),
    path(
        "<int:student_id>/services/sessions/<int:session_id>/void/",
        views.void_session,
        name="void_session",
    ),
]
