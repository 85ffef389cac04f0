"""Each goal of a plan made final gets a measurement, read from the goal's text.

The same reading the migration did for the plans that were there (progress/parsing.py):
what it reads becomes numbers, what it cannot is left empty and the measurement marked
for the case manager's review, never guessed. A goal that has a measurement (its data
carries over from last year's plan, or an amendment's) keeps it untouched.
"""

from __future__ import annotations

from django.db import transaction

from samepage.core.events import Event
from samepage.plans.models import Goal, PlanVersion
from samepage.progress import parsing
from samepage.progress.models import GoalMeasurement


def _reasons(goal: Goal, read: parsing.GoalNumbers) -> list[dict[str, str]]:
    texts = {
        "baseline": goal.baseline,
        "target": goal.target,
        "mastery_criterion": goal.mastery_criterion,
        "measurement_method": goal.measurement_method,
    }
    return [
        {"field": name, "problem": code, "text": (texts.get(name) or "").strip()[:300]}
        for name, code in read.problems.items()
    ]


def measure_goals(version: PlanVersion) -> int:
    """Give each goal of ``version`` without a measurement one; how many were made."""
    goals = list(
        Goal.objects.filter(version=version, removed_at__isnull=True).select_related(
            "version__plan"
        )
    )
    if not goals:
        return 0
    student_id = goals[0].version.plan.student_id
    have = set(
        GoalMeasurement.objects.filter(
            student_id=student_id, goal_lineage__in=[g.lineage_id for g in goals]
        ).values_list("goal_lineage", flat=True)
    )
    made = []
    for goal in goals:
        if goal.lineage_id in have:
            continue
        read = parsing.read_goal(
            baseline=goal.baseline,
            target=goal.target,
            mastery_criterion=goal.mastery_criterion,
            measurement_method=goal.measurement_method,
        )
        reasons = _reasons(goal, read)
        made.append(
            GoalMeasurement(
                student_id=student_id,
                goal_lineage=goal.lineage_id,
                kind=read.kind or "",
                unit=read.unit,
                direction=read.direction or "",
                baseline_value=read.baseline,
                target_value=read.target,
                target_date=goal.version.proposed_end,
                mastery_value=read.mastery_level,
                mastery_sessions=read.mastery_sessions,
                needs_review=bool(reasons),
                review_reasons=reasons,
            )
        )
    with transaction.atomic():
        GoalMeasurement.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)


def measure_final_plan(event: Event) -> None:
    if event.kind == "plan.finalized":
        measure_goals(event.target)
