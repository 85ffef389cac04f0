"""A goal with a measurement for the ``world`` fixture's child, and recording on it as
the named people."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from samepage import factories as f
from samepage.core.dates import district_today
from samepage.plans.models import Goal
from samepage.progress import actions
from samepage.progress.models import DataPoint, GoalMeasurement
from samepage.progress.permissions import ProgressAccess, progress_access_for
from samepage.progress.selectors import lineage_began

PLAN_DAYS = 60


def access_of(user: Any, student: Any) -> ProgressAccess:
    access = progress_access_for(user, student)
    assert access is not None, f"{user} cannot see {student}"
    return access


def plan_goal(world: Any, student: Any = None, *, signer: Any = None) -> Goal:
    """The reading goal of a plan in effect that began ``PLAN_DAYS`` days ago."""
    student = student or world.child
    version = f.make_plan_in_effect(
        student,
        signer=signer or world.parent,
        actor=world.case_manager,
        proposed_start=world.today - timedelta(days=PLAN_DAYS),
    )
    return Goal.objects.get(version=version)


def began(world: Any) -> date:
    return world.today - timedelta(days=PLAN_DAYS)


def measure(
    world: Any, goal: Goal | None = None, *, actor: Any = None, **fields: Any
) -> GoalMeasurement:
    """The case manager says how ``goal`` (by default a new plan's) is measured."""
    goal = goal or plan_goal(world)
    student = goal.version.plan.student
    values: dict[str, Any] = {
        "kind": "rate",
        "unit": "words correct per minute",
        "direction": "increase",
        "baseline_value": "40",
        "target_value": "90",
        "mastery_value": "90",
        "mastery_sessions": 3,
        **fields,
    }
    actor = actor or world.case_manager
    return actions.check_set_measurement(
        student,
        goal.lineage_id,
        actor=actor,
        access=access_of(actor, student),
        **values,
    )


def record(
    user: Any,
    measurement: GoalMeasurement,
    *,
    day: Any = None,
    value: Any = "45",
    series: str = "school",
    client_key: Any = None,
    **extra: Any,
) -> DataPoint:
    student = measurement.student
    return actions.check_record_point(
        measurement,
        actor=user,
        access=access_of(user, student),
        day=day if day is not None else district_today(student.district),
        value=value,
        series=series,
        client_key=client_key or uuid.uuid4(),
        **extra,
    )


def matrix_params(world: Any) -> dict[str, str]:
    """Targets for the permission matrix's progress rows.

    ``<uuid:lineage>``: the child's measured reading goal; ``point_id``: a school score on
    it by the speech therapist (staff who enter progress may void or correct it);
    ``home_point_id``: the parent's home observation (the family may change it).
    """
    goal = (
        Goal.objects.filter(version__plan__student=world.child, version__status="in_effect")
        .select_related("version__plan__student")
        .first()
    )
    goal = goal or plan_goal(world)
    start = lineage_began(world.child, goal.lineage_id) or world.today
    measurement = measure(
        world,
        goal,
        baseline_date=start.isoformat(),
        target_date=(world.today + timedelta(days=200)).isoformat(),
    )
    school = record(world.provider, measurement, value="45")
    home = record(world.parent, measurement, value="50", series="home")
    return {
        "<uuid:lineage>": str(measurement.goal_lineage),
        "LINEAGE": str(measurement.goal_lineage),
        "lineage": str(measurement.goal_lineage),
        "measurement_id": str(measurement.pk),
        "point_id": str(school.pk),
        "home_point_id": str(home.pk),
    }
