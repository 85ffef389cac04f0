"""The demo's progress data: each decision rule fires on one of Jamie's goals and his
family hears of it; Sofía's goal waits for more scores, with her mother's home
observations on it."""

from __future__ import annotations

import pytest

from samepage.accounts.models import User
from samepage.home import demo
from samepage.notifications.models import Notice
from samepage.progress.models import DataPoint, ProgressAlert
from samepage.schools.models import Student


@pytest.mark.django_db(transaction=True)
def test_demo_goals_fire_each_rule_and_the_family_hears():
    demo.seed()
    jamie = Student.objects.get(legal_first_name="Jamie")
    sofia = Student.objects.get(legal_first_name="Sofía")
    fired = set(
        ProgressAlert.objects.filter(cleared_at__isnull=True).values_list(
            "rule", "measurement__student"
        )
    )
    assert fired == {("four_point", jamie.pk), ("trend", jamie.pk), ("mastery", jamie.pk)}
    jordan = User.objects.get(email="jordan.rivera@family.example")
    told = set(Notice.objects.filter(recipient=jordan).values_list("kind", flat=True))
    assert {"progress.alert_change", "progress.goal_met"} <= told
    home = DataPoint.objects.filter(measurement__student=sofia, series="home")
    assert home.count() == 2
    assert DataPoint.objects.filter(measurement__student=sofia, series="school").count() == 3
