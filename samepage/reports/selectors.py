"""Reads for progress reports: the goals each student's report covers, their data in
bulk (a constant number of queries for any number of students), a report's entries,
and the district's own words for the ratings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import get_language

from samepage.plans.models import Goal, PlanVersion
from samepage.progress.models import DataPoint, GoalMeasurement, PhaseChange
from samepage.reports.models import (
    DEFAULT_MINIMUM_POINTS,
    GoalReportEntry,
    ProgressReport,
    Rating,
    ReportComment,
    ReportGenerationJob,
    ReportingPeriod,
    ReportSettings,
)
from samepage.schools.models import District

# How far back before a period the chart and the trend reach: the plan year, about.
CHART_REACH = timedelta(days=366)
_FROZEN = (PlanVersion.Status.IN_EFFECT, PlanVersion.Status.SUPERSEDED, PlanVersion.Status.ENDED)


def goals_for(student_ids: Iterable[int], period: ReportingPeriod) -> dict[int, list[Goal]]:
    """Each student's goals in the plan version that was in effect at the period's end
    (the latest that had taken effect by then): two queries for any number."""
    versions = (
        PlanVersion.objects.filter(
            plan__student_id__in=list(student_ids),
            status__in=_FROZEN,
            effective_from__lte=period.ends,
        )
        .order_by("plan__student_id", "effective_from", "number")
        .values_list("pk", "plan__student_id")
    )
    latest: dict[int, int] = {}
    for version_id, student_id in versions:
        latest[student_id] = version_id  # ordered: the last one wins
    by_version: dict[int, list[Goal]] = defaultdict(list)
    if latest:
        for goal in Goal.objects.filter(
            version_id__in=latest.values(), removed_at__isnull=True
        ).order_by("version", "position", "id"):
            by_version[goal.version_id].append(goal)
    return {student_id: by_version.get(v, []) for student_id, v in latest.items()}


def progress_data_for(
    student_ids: Iterable[int], period: ReportingPeriod
) -> tuple[
    dict[tuple[int, str], GoalMeasurement],
    dict[int, list[DataPoint]],
    dict[int, list[PhaseChange]],
]:
    """The students' measurements (by student and lineage), their standing points from a
    year before the period to its last day, and their phase changes: three queries."""
    measurements = {
        (m.student_id, str(m.goal_lineage)): m
        for m in GoalMeasurement.objects.filter(student_id__in=list(student_ids))
    }
    points: dict[int, list[DataPoint]] = defaultdict(list)
    phases: dict[int, list[PhaseChange]] = defaultdict(list)
    ids = [m.pk for m in measurements.values()]
    if ids:
        for point in (
            DataPoint.objects.standing()
            .filter(
                measurement_id__in=ids,
                day__gte=period.starts - CHART_REACH,
                day__lte=period.ends,
            )
            .order_by("measurement_id", "day", "id")
        ):
            points[point.measurement_id].append(point)
        for phase in PhaseChange.objects.filter(
            measurement_id__in=ids, day__lte=period.ends
        ).order_by("measurement_id", "day", "id"):
            phases[phase.measurement_id].append(phase)
    return measurements, points, phases


def settings_for(district: District) -> ReportSettings:
    """The district's report settings (SamePage's defaults until it sets its own)."""
    found = ReportSettings.objects.filter(district=district).first()
    return found or ReportSettings(district=district, minimum_points=DEFAULT_MINIMUM_POINTS)


def rating_label(rating: str, settings: ReportSettings | None, language: str | None = None) -> str:
    """A rating in the district's own words in the reader's language, else SamePage's."""
    if not rating:
        return ""
    own = (settings.labels if settings is not None else {}).get(rating) or {}
    code = (language or get_language() or "en").split("-")[0]
    if own.get(code):
        return str(own[code])
    return str(Rating(rating).label) if rating in Rating.values else rating


def reports_for(student_reports: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    """A list of reports with their period and who issued them, newest period first."""
    return student_reports.select_related("period", "issued_by").order_by(
        "-period__starts", "-revision", "-id"
    )


def periods_for(district: District) -> QuerySet[ReportingPeriod]:
    """The periods a report may be drafted in (archived ones are not), newest first."""
    return ReportingPeriod.objects.filter(district=district, archived_at__isnull=True).order_by(
        "-starts", "-id"
    )


def district_periods(district: District) -> QuerySet[ReportingPeriod]:
    """Every period of the district, archived ones too, newest first, each with whether a
    report or a generation job uses it (one query for the whole page)."""
    used = Exists(ProgressReport.objects.filter(period=OuterRef("pk"))) | Exists(
        ReportGenerationJob.objects.filter(period=OuterRef("pk"))
    )
    return (
        ReportingPeriod.objects.filter(district=district)
        .annotate(in_use=used)
        .select_related("archived_by")
        .order_by("-starts", "-id")
    )


def period_in_use(period: ReportingPeriod) -> bool:
    """Whether a report (or a job drafting them) uses ``period``: then its days are fixed."""
    return (
        ProgressReport.objects.filter(period=period).exists()
        or ReportGenerationJob.objects.filter(period=period).exists()
    )


def entries_of(report: ProgressReport) -> list[GoalReportEntry]:
    return list(GoalReportEntry.objects.filter(report=report).order_by("position", "id"))


def comments_of(report: ProgressReport) -> list[ReportComment]:
    return list(
        ReportComment.objects.filter(report=report)
        .select_related("author")
        .order_by("created_at", "id")
    )


def acknowledgements_of(report: ProgressReport) -> list[Any]:
    return list(report.acknowledgements.select_related("user").order_by("at", "id"))
