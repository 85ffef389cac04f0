"""A period, a goal with data and reports for the ``world`` fixture's child, made as the
named people."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client

from samepage.progress.tests import helpers as progress
from samepage.reports import actions
from samepage.reports.models import GoalReportEntry, ProgressReport, ReportingPeriod
from samepage.reports.permissions import ReportsAccess, SchoolReportsAccess, reports_access_for

PERIOD_DAYS = 30


def access_of(user: Any, student: Any) -> ReportsAccess:
    access = reports_access_for(user, student)
    assert access is not None, f"{user} cannot see {student}"
    return access


def period(world: Any, name: str = "First quarter", *, days: int = PERIOD_DAYS) -> ReportingPeriod:
    """A period of the test district that ends today."""
    today = world.today
    return actions.check_add_period(
        world.child.district,
        actor=world.district_admin,
        name=name,
        starts=today - timedelta(days=days - 1),
        ends=today,
    )


def goal_with_points(world: Any, values: list[str] | None = None, student: Any = None) -> Any:
    """A measured goal of a plan in effect with counted points on the last days."""
    student = student or world.child
    goal = progress.plan_goal(world, student)
    measurement = progress.measure(
        world,
        goal,
        baseline_date=(world.today - timedelta(days=progress.PLAN_DAYS)).isoformat(),
        target_date=(world.today + timedelta(days=200)).isoformat(),
    )
    for i, value in enumerate(values if values is not None else ["45", "50", "55"]):
        progress.record(
            world.case_manager, measurement, day=world.today - timedelta(days=10 - i), value=value
        )
    return measurement


def draft(world: Any, values: list[str] | None = None) -> ProgressReport:
    """The child's report for a new period, drafted from a goal with ``values``."""
    goal_with_points(world, values)
    report = actions.generate_report(world.child, period(world), actor=world.case_manager)
    assert report is not None
    return report


def entry_of(report: ProgressReport) -> GoalReportEntry:
    return GoalReportEntry.objects.select_related("report__student__district").get(report=report)


def rate(user: Any, report: ProgressReport, rating: str, **extra: Any) -> GoalReportEntry:
    entry = entry_of(report)
    return actions.check_save_entry(
        entry, actor=user, access=access_of(user, report.student), rating=rating, **extra
    )


def issue(world: Any, report: ProgressReport, rating: str = "sufficient") -> ProgressReport:
    rate(world.case_manager, report, rating, narrative="Casey reads more words each week.")
    return actions.check_issue_report(
        report, actor=world.case_manager, access=access_of(world.case_manager, world.child)
    )


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def matrix_params(world: Any) -> dict[str, str]:
    """Targets for the permission matrix's reports rows.

    ``report_id``: the child's report for a period, drafted from the plan in effect's
    goal (three scores today) and issued by the case manager: the family may
    acknowledge and comment, nobody may edit or issue it again, staff who write reports
    may start its correction; ``goal_entry_id``: its goal entry; ``school_id``: the child's
    school; ``job_id``: a generation job there; ``PERIOD``: the period's id;
    ``period_id``: a later period no report uses yet (the administrator's pages edit and
    archive it).
    """
    from samepage.plans.models import Goal
    from samepage.progress.selectors import lineage_began, measurement_for

    goal = (
        Goal.objects.filter(version__plan__student=world.child, version__status="in_effect")
        .select_related("version__plan__student")
        .first()
    ) or progress.plan_goal(world)
    # The progress rows' measurement when they made one (changing it would move their
    # revision), else one of our own.
    measurement = measurement_for(world.child, goal.lineage_id)
    if measurement is None or not measurement.kind:
        start = lineage_began(world.child, goal.lineage_id) or world.today
        measurement = progress.measure(
            world,
            goal,
            baseline_date=start.isoformat(),
            target_date=(world.today + timedelta(days=200)).isoformat(),
        )
    for value in ("45", "50", "55"):
        progress.record(world.case_manager, measurement, day=world.today, value=value)
    report = actions.generate_report(world.child, period(world), actor=world.case_manager)
    assert report is not None
    issue(world, report)
    job = actions.do_start_generation(
        SchoolReportsAccess(school=world.school, user_id=world.school_leader.pk),
        report.period,
        actor=world.school_leader,
    )
    return {
        "report_id": str(report.pk),
        "goal_entry_id": str(GoalReportEntry.objects.get(report=report).pk),
        "school_id": str(world.school.pk),
        "job_id": str(job.pk),
        "PERIOD": str(report.period_id),
        "period_id": str(
            actions.check_add_period(
                world.child.district,
                actor=world.district_admin,
                name="Matrix quarter",
                starts=world.today + timedelta(days=60),
                ends=world.today + timedelta(days=90),
            ).pk
        ),
    }
