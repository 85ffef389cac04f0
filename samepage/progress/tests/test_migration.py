"""The data migration that reads existing goals' text into measurements."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from samepage.plans.models import Goal
from samepage.progress.models import GoalMeasurement
from samepage.progress.tests.helpers import plan_goal

pytestmark = pytest.mark.django_db

fill = importlib.import_module("samepage.progress.migrations.0002_measurements_from_goal_text").fill


def test_goals_of_the_newest_versions_get_measurements_read_from_text(world):
    goal = plan_goal(world)
    clear = Goal.objects.create(
        version=goal.version,
        area="communication",
        statement="Answer wh- questions",
        baseline="5 of 10 trials",
        target="8 of 10 trials",
        mastery_criterion="80% in 3 consecutive sessions",
        measurement_method="Trials in speech sessions",
    )
    junk = Goal.objects.create(
        version=goal.version,
        area="behavior",
        statement="Stay calm",
        baseline="improving",
        target="40-50",
    )
    fill(apps, None)
    fill(apps, None)  # run twice: nothing twice
    assert GoalMeasurement.objects.count() == 3
    reading = GoalMeasurement.objects.get(goal_lineage=goal.lineage_id)
    assert (reading.student, reading.kind, reading.baseline_value, reading.target_value) == (
        world.child,
        "rate",
        Decimal(40),
        Decimal(90),
    )
    assert reading.target_date == goal.version.proposed_end
    assert reading.needs_review
    assert reading.review_reasons == [
        {"field": "mastery_criterion", "problem": "no_level", "text": "3 probes in a row"}
    ]
    trials = GoalMeasurement.objects.get(goal_lineage=clear.lineage_id)
    assert (trials.kind, trials.direction, trials.mastery_value, trials.mastery_sessions) == (
        "trials",
        "increase",
        Decimal(80),
        3,
    )
    assert not trials.needs_review and trials.review_reasons == []
    bad = GoalMeasurement.objects.get(goal_lineage=junk.lineage_id)
    assert (bad.kind, bad.direction, bad.baseline_value, bad.target_value) == ("", "", None, None)
    assert bad.needs_review
    assert {r["field"]: r["problem"] for r in bad.review_reasons} == {
        "baseline": "no_number",
        "target": "range",
        "mastery_criterion": "missing",
        "measurement_method": "unknown_kind",
        "direction": "no_direction",
    }
    assert "Target: a range was written, not one number (“40-50”)" in bad.review_reason_lines()


def test_removed_goals_and_older_versions_are_left_alone(world):
    goal = plan_goal(world)
    goal.removed_at = goal.updated_at
    goal.save(update_fields=["removed_at"])
    fill(apps, None)
    assert not GoalMeasurement.objects.exists()
