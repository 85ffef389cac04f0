"""Reads for progress data: a goal lineage's rows in the student's plans, the day its
plan began, a measurement's points."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import F, Min, QuerySet
from django.db.models.functions import Coalesce

from samepage.plans.models import Goal
from samepage.progress.models import DataPoint, GoalMeasurement
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
