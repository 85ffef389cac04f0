"""Reads for progress data: a goal lineage's rows in the student's plans, the day its
plan began, a measurement's points."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import F, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from samepage.plans.models import Goal, PlanVersion
from samepage.progress.models import DataPoint, GoalMeasurement, ProgressAlert
from samepage.progress.permissions import ProgressAccess
from samepage.schools.models import Student


def lineage_goals(student: Student, lineage: Any) -> QuerySet[Goal]:
    """Every version's row of one goal lineage in ``student``'s plans (removed included:
    data recorded while it was in the plan stays its data)."""
    return Goal.objects.filter(lineage_id=lineage, version__plan__student=student)


def lineage_began(student: Student, lineage: Any) -> date | None:
    """The first day of the first plan version holding this goal: no point is recorded
    before it. A version in effect counts from ``effective_from``, one not yet in
    effect from its proposed start; None when no version names a day."""
    found = lineage_goals(student, lineage).aggregate(
        began=Min(Coalesce(F("version__effective_from"), F("version__proposed_start")))
    )
    began: date | None = found["began"]
    return began


def measurement_for(student: Student, lineage: Any) -> GoalMeasurement | None:
    return GoalMeasurement.objects.filter(student=student, goal_lineage=lineage).first()


def points_for(measurement: GoalMeasurement, *, with_void: bool = False) -> QuerySet[DataPoint]:
    """A measurement's points by day, both series, with who entered each."""
    points = DataPoint.objects.filter(measurement=measurement).select_related(
        "entered_by", "voided_by"
    )
    return points if with_void else points.standing()


def newest_goal(student: Student, lineage: Any) -> Goal | None:
    """The goal's row in the newest version that holds it (its words as they are now)."""
    return (
        lineage_goals(student, lineage)
        .select_related("version")
        .order_by("-version__plan__created_at", "-version__number")
        .first()
    )


LABEL_LENGTH = 80


def short(text: str, length: int = LABEL_LENGTH) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def goal_label(measurement: GoalMeasurement) -> str:
    """A goal's words, short enough for a notice's title."""
    goal = newest_goal(measurement.student, measurement.goal_lineage)
    return short(goal.statement) if goal is not None else ""


_CURRENT = [PlanVersion.Status.IN_EFFECT, PlanVersion.Status.FINAL]


def current_goals(student: Student) -> list[Goal]:
    """The goals of the student's plans in effect (or final, waiting for signatures),
    one row per lineage from the newest such version, in the plan's order."""
    rows = (
        Goal.objects.filter(
            version__plan__student=student,
            version__status__in=_CURRENT,
            removed_at__isnull=True,
        )
        .select_related("version")
        .order_by("-version__plan__created_at", "-version__number", "position", "id")
    )
    seen: set[Any] = set()
    goals = []
    for goal in rows:
        if goal.lineage_id not in seen:
            seen.add(goal.lineage_id)
            goals.append(goal)
    return goals


def open_alerts(measurements: list[GoalMeasurement]) -> dict[int, list[ProgressAlert]]:
    """The open alerts of each measurement, by measurement id (one query)."""
    found: dict[int, list[ProgressAlert]] = {m.pk: [] for m in measurements}
    for alert in ProgressAlert.objects.filter(
        measurement__in=measurements, cleared_at__isnull=True
    ).order_by("rule"):
        found[alert.measurement_id].append(alert)
    return found


def last_points(measurements: list[GoalMeasurement]) -> dict[int, DataPoint]:
    """Each measurement's newest counted point, by measurement id (one query)."""
    newest = (
        DataPoint.objects.counted()
        .filter(measurement=OuterRef("pk"))
        .order_by("-day", "-entered_at", "-id")
        .values("id")[:1]
    )
    # The newest point looked up once per measurement (by its day index), not once per
    # point: a goal with five years of scores would otherwise ask it for each of them.
    ids = (
        GoalMeasurement.objects.filter(pk__in=[m.pk for m in measurements])
        .annotate(newest=Subquery(newest))
        .values("newest")
    )
    rows = DataPoint.objects.filter(id__in=ids)
    return {p.measurement_id: p for p in rows}


def measurements_by_lineage(student: Student, lineages: list[Any]) -> dict[Any, GoalMeasurement]:
    """The student's measurements of these goal lineages, by lineage (one query)."""
    rows = GoalMeasurement.objects.filter(student=student, goal_lineage__in=lineages)
    found = {}
    for measurement in rows:
        measurement.student = student
        found[measurement.goal_lineage] = measurement
    return found


def measured_lineages(student: Student, lineages: list[Any]) -> set[str]:
    """Which of these goal lineages (as text) are set up for data (one query)."""
    rows = GoalMeasurement.objects.filter(
        student=student, goal_lineage__in=[x for x in lineages if x]
    ).exclude(kind="")
    return {str(lineage) for lineage in rows.values_list("goal_lineage", flat=True)}


def goal_words(student: Student, lineages: list[Any]) -> dict[Any, str]:
    """Each lineage's goal words from the newest version holding it, short (one query)."""
    rows = (
        Goal.objects.filter(lineage_id__in=lineages, version__plan__student=student)
        .order_by("lineage_id", "-version__plan__created_at", "-version__number")
        .values_list("lineage_id", "statement")
    )
    words: dict[Any, str] = {}
    for lineage, statement in rows:
        words.setdefault(lineage, short(statement))
    return words


def recordable_goals(record: Any, lineages: list[str]) -> set[str]:
    """Of these goals (lineage ids), those the reader records scores for from the plan
    at a glance: set up for data, when they may enter progress (registered with plans'
    contributions in ``apps.py``)."""
    from_access = ProgressAccess(record)
    if not lineages or not from_access.can_enter_school_data:
        return set()
    return measured_lineages(record.student, lineages)
