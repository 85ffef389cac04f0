"""Progress reports for the demo district. Synthetic content only.

- The district's calendar: "Fall term 1" (ended a week ago) and "Fall term 2" (now).
- Jamie Rivera's Fall term 1 report, issued by Maria Lee: the reading goal rated
  "insufficient progress" from its probes, the calm-down goal with too few sessions in
  the term ("insufficient data" in plain words); Jordan acknowledged it and commented.
- Sofía Hernández's Fall term 1 report, issued in Spanish words for Rosa, who has not
  acknowledged it yet (the Spanish-speaking parent's walk does).
- Fall term 2 at Riverbend Elementary, drafted by Maria Lee from the school's page: a
  finished job and the drafts it made (Jamie's among them) for the team to rate.

Called by samepage/home/demo.py after the progress data (samepage/progress/demo.py);
should a goal reported on have no scores yet, a few are recorded first. Safe to call
twice: each step finds what an earlier call made.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from samepage.progress import actions as progress_actions
from samepage.progress.models import DataPoint, GoalMeasurement
from samepage.progress.permissions import progress_access_for
from samepage.reports import actions, selectors
from samepage.reports.models import (
    GoalReportEntry,
    ProgressReport,
    ReportComment,
    ReportGenerationJob,
    ReportingPeriod,
)
from samepage.reports.permissions import SchoolReportsAccess, reports_access_for


def _period(district: Any, name: str, starts: date, ends: date) -> ReportingPeriod:
    found = ReportingPeriod.objects.filter(district=district, name=name).first()
    return found or actions.check_add_period(
        district, actor=None, name=name, starts=starts, ends=ends
    )


def _ensure_scores(student: Any, period: ReportingPeriod, actor: Any, values: list[str]) -> None:
    """Goals the report covers that have no school scores in the period get a few (the
    progress demo usually recorded them already)."""
    access = progress_access_for(actor, student)
    assert access is not None
    goals = selectors.goals_for([student.pk], period).get(student.pk, [])
    for goal in goals:
        measurement = GoalMeasurement.objects.filter(
            student=student, goal_lineage=goal.lineage_id
        ).first()
        if measurement is not None and (
            DataPoint.objects.counted()
            .filter(measurement=measurement, day__range=(period.starts, period.ends))
            .exists()
        ):
            continue
        if measurement is None or not measurement.kind:
            measurement = progress_actions.check_set_measurement(
                student,
                goal.lineage_id,
                actor=actor,
                access=access,
                kind="percent",
                direction="increase",
                baseline_value="40",
                baseline_date=period.starts - timedelta(days=30),
                target_value="80",
                target_date=period.ends + timedelta(days=120),
            )
        for i, value in enumerate(values):
            progress_actions.check_record_point(
                measurement,
                actor=actor,
                access=access,
                day=period.starts + timedelta(days=7 * (i + 1)),
                value=value,
                client_key=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-report-{measurement.pk}-{i}"),
            )


def _rate_and_issue(
    report: ProgressReport, author: Any, words: dict[str, tuple[str, str]]
) -> ProgressReport:
    """Rate each entry (by words in its goal: (rating, narrative)) and issue it."""
    access = reports_access_for(author, report.student)
    if not report.is_draft:
        return report
    for entry in GoalReportEntry.objects.filter(report=report).select_related(
        "report__student__district"
    ):
        rating, narrative = next(
            (v for key, v in words.items() if key in entry.goal_text), ("insufficient", "")
        )
        if not entry.rating:
            actions.check_save_entry(
                entry, actor=author, access=access, rating=rating, narrative=narrative
            )
    return actions.check_issue_report(report, actor=author, access=access)


def seed_reports(
    today: date, students: dict[str, Any], staff: dict[str, Any], people: dict[str, Any]
) -> None:
    lee = staff["maria.lee"]
    jamie, sofia = students["Jamie"], students["Sofía"]
    district = jamie.district
    term1 = _period(district, "Fall term 1", today - timedelta(days=91), today - timedelta(days=8))
    term2 = _period(district, "Fall term 2", today - timedelta(days=7), today + timedelta(days=76))

    _ensure_scores(jamie, term1, lee, ["52", "55", "54", "58"])
    _ensure_scores(sofia, term1, lee, ["50", "55", "57"])

    jamie_report = actions.generate_report(jamie, term1, actor=lee)
    assert jamie_report is not None
    jamie_report = _rate_and_issue(
        jamie_report,
        lee,
        {
            "read": (
                "insufficient",
                "Jamie reads a few more words each week, but not fast enough to reach 90 words "
                "per minute by the end of the year. We added a second repeated-reading session.",
            ),
            "calm": (
                "sufficient",
                "Jamie used his calm-down plan with fewer reminders. We began counting sessions "
                "late in the term, so there are only a few scores yet.",
            ),
        },
    )
    jordan = people["jordan.rivera"]
    family = reports_access_for(jordan, jamie)
    actions.do_acknowledge_report(jamie_report, actor=jordan, access=family)
    if not ReportComment.objects.filter(report=jamie_report).exists():
        actions.check_add_comment(
            jamie_report,
            actor=jordan,
            access=family,
            text="Thank you. At home he reads best right after dinner. Could we try his "
            "library books for the reading practice too?",
        )

    sofia_report = actions.generate_report(sofia, term1, actor=lee)
    assert sofia_report is not None
    _rate_and_issue(
        sofia_report,
        lee,
        {
            "/r/": (
                "sufficient",
                "Sofía dice el sonido /r/ correctamente en palabras cortas más a menudo. "
                "Seguimos practicando en frases.",
            ),
        },
    )

    # Term 2's drafts, as the school's page makes them (run here, not after the commit,
    # so the demo's drafts exist however the background tasks are run).
    school = jamie.school
    if not ReportGenerationJob.objects.filter(school=school, period=term2).exists():
        job = actions.do_start_generation(
            SchoolReportsAccess(school=school, user_id=lee.pk), term2, actor=lee
        )
        actions.do_run_generation(job.pk)
