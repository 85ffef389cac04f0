from django.urls import path

from samepage.reports import views

app_name = "reports"
REPORT = "students/<int:student_id>/reports/<int:report_id>/"
urlpatterns = [
    path("students/<int:student_id>/reports/", views.report_list, name="list"),
    path("students/<int:student_id>/reports/new/", views.draft_report, name="draft"),
    path(REPORT, views.report_detail, name="detail"),
    path(REPORT + "pdf/", views.report_pdf, name="pdf"),
    path(REPORT + "goals/<int:goal_entry_id>/", views.edit_entry, name="edit_entry"),
    path(REPORT + "issue/", views.issue_report, name="issue"),
    path(REPORT + "correct/", views.correct_report, name="correct"),
    path(REPORT + "acknowledge/", views.acknowledge_report, name="acknowledge"),
    path(REPORT + "comments/", views.comment_report, name="comment"),
    path("schools/<int:school_id>/reports/", views.school_reports, name="school"),
    path("schools/<int:school_id>/reports/jobs/<int:job_id>/", views.job_progress, name="job"),
    # The district's reporting calendar and its words for the ratings (its administrator).
    path("district/reporting-periods/", views.periods, name="periods"),
    path("district/reporting-periods/<int:period_id>/", views.edit_period, name="edit_period"),
    path(
        "district/reporting-periods/<int:period_id>/archive/",
        views.archive_period,
        name="archive_period",
    ),
    path("district/rating-labels/", views.rating_labels, name="rating_labels"),
]
