"""Issuing tells the family in their language, a comment tells the team, and a
school's reports are drafted in the background with their progress counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from samepage import factories as f
from samepage.core.audit import record_audit
from samepage.notifications.models import Notice
from samepage.reports import actions
from samepage.reports.models import ProgressReport, ReportGenerationJob
from samepage.reports.permissions import SchoolReportsAccess
from samepage.reports.tests.helpers import access_of, draft, goal_with_points, issue, period

pytestmark = pytest.mark.django_db


def _names(kind: str) -> set[str]:
    return {n.recipient.full_name for n in Notice.objects.filter(kind=kind)}


def test_issuing_tells_the_family_not_the_team(world, django_capture_on_commit_callbacks):
    report = draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        issue(world, report)
    assert _names("report.issued") == {"Alice Lane", "Casey Lane"}
    notice = Notice.objects.get(kind="report.issued", recipient=world.parent)
    assert str(notice.title) == "Casey's progress report for First quarter is ready"
    assert notice.link == f"/students/{world.child.pk}/reports/{report.pk}/"
    with translation.override("es"):
        assert str(notice.title) == "El informe de progreso de Casey para First quarter está listo"


def test_the_email_reaches_a_spanish_speaking_parent_in_spanish(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    report = draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        issue(world, report)
    subjects = [m.subject for m in mailoutbox if world.parent.email in m.to]
    assert subjects == ["El informe de progreso de Casey para First quarter está listo"]


def test_a_family_comment_tells_the_team(world, django_capture_on_commit_callbacks):
    report = draft(world)
    issue(world, report)
    with django_capture_on_commit_callbacks(execute=True):
        comment = actions.check_add_comment(
            report, actor=world.parent, access=access_of(world.parent, world.child), text="Gracias"
        )
    assert _names("report.commented") == {"Carol Case", "Priya Speech"}
    notice = Notice.objects.filter(kind="report.commented").first()
    assert notice is not None
    assert notice.link.endswith(f"/reports/{report.pk}/#comment-{comment.pk}")
    assert str(notice.title) == "Alice Lane commented on Casey's progress report"


def _school_access(world) -> SchoolReportsAccess:
    return SchoolReportsAccess(school=world.school, user_id=world.school_leader.pk)


def test_a_schools_reports_run_in_the_background_and_count_progress(
    world, django_capture_on_commit_callbacks
):
    goal_with_points(world)
    for i in range(3):
        f.make_student(world.school, legal_first_name=f"Kid{i}", legal_last_name="Nogoals")
    quarter = period(world)
    with django_capture_on_commit_callbacks(execute=True):
        job = actions.do_start_generation(_school_access(world), quarter, actor=world.school_leader)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.created) == ("done", 4, 4, 1)
    assert job.percent == 100
    # Again: the same job row runs again and drafts nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        again = actions.do_start_generation(
            _school_access(world), quarter, actor=world.school_leader
        )
    again.refresh_from_db()
    assert again.pk == job.pk and (again.done, again.total, again.created) == (4, 4, 0)
    assert ReportGenerationJob.objects.count() == 1
    assert ProgressReport.objects.count() == 1


def _queries(run) -> int:
    with CaptureQueriesContext(connection) as counted:
        run()
    return len(counted.captured_queries)


def test_drafting_more_students_reads_no_more_queries(world):
    """One batch reads a constant number of queries however many students it holds;
    only each drafted report's audit row is its own."""
    goal_with_points(world)
    others = [f.make_student(world.school, legal_first_name=f"Kid{i}") for i in range(3)]
    for other in others:
        f.make_guardian(other, world.parent)
        f.add_to_team(other, world.case_manager, f.TeamRole.CASE_MANAGER)
        goal_with_points(world, student=other)
    one = _queries(lambda: actions.generate_reports([world.child], period(world, "A", days=5)))
    quarter = actions.check_add_period(
        world.child.district,
        actor=None,
        name="B",
        starts=world.today - timedelta(days=20),
        ends=world.today - timedelta(days=6),
    )
    four = _queries(lambda: actions.generate_reports([world.child, *others], quarter))
    assert ProgressReport.objects.count() == 5
    audit_per_report = _queries(
        lambda: record_audit(actor=None, action="x", target=world.child, changes={})
    )
    assert four - one <= 3 * audit_per_report


def test_a_job_moves_in_batches_of_students(world, monkeypatch):
    monkeypatch.setattr(actions, "BATCH", 2)
    for i in range(5):
        f.make_student(world.school, legal_first_name=f"Kid{i}")
    job = ReportGenerationJob.objects.create(school=world.school, period=period(world))
    seen = []
    real = actions.generate_reports

    def spy(students, period, *, actor=None):
        seen.append(ReportGenerationJob.objects.get(pk=job.pk).done)
        return real(students, period, actor=actor)

    monkeypatch.setattr(actions, "generate_reports", spy)
    actions.do_run_generation(job.pk)
    assert seen == [0, 2, 4]
    job.refresh_from_db()
    assert (job.done, job.total, job.status) == (6, 6, "done")
