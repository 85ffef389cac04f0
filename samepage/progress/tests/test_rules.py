"""The district's thresholds for the decision rules: set by its administrators on a page,
checked so the rules can always work, audited, and followed by the next score."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samepage.core.models import AuditEvent
from samepage.progress.alerts import rules_for
from samepage.progress.models import ProgressSettings
from samepage.updates.tests.helpers import client_for

pytestmark = pytest.mark.django_db

URL = reverse("progress:rules")
GOOD = {
    "four_point_needs": "5",
    "four_point_run": "3",
    "trend_needs": "10",
    "trend_tolerance": "0.2",
}


def test_the_district_administrator_sets_the_rules_and_they_are_audited(world):
    admin = client_for(world.district_admin)
    page = admin.get(URL)
    assert page.status_code == 200 and 'value="6"' in page.content.decode()
    assert admin.post(URL, GOOD).status_code == 303
    rules = rules_for(world.child.district)
    assert (rules.four_point_needs, rules.four_point_run, rules.trend_needs) == (5, 3, 10)
    assert rules.trend_tolerance == pytest.approx(0.2)
    assert AuditEvent.objects.filter(action="progress.rules_set").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("four_point_run", "0", "one score or more"),
        ("four_point_needs", "2", "at least as many points"),
        ("trend_needs", "2", "at least 3 points"),
        ("trend_tolerance", "1.5", "from 0 to 1"),
        ("trend_tolerance", "0.125", "from 0 to 1"),
        ("four_point_needs", "", "whole number"),
        ("trend_needs", "9" * 30, "Enter a number"),
    ],
)
def test_rules_that_could_not_work_are_refused_with_a_message(world, field, value, words):
    response = client_for(world.district_admin).post(URL, {**GOOD, field: value})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not ProgressSettings.objects.exists()


def test_only_district_administrators_set_the_rules(world):
    for user in (world.case_manager, world.school_leader, world.parent):
        assert client_for(user).get(URL).status_code == 403
        assert client_for(user).post(URL, GOOD).status_code == 403
    assert not ProgressSettings.objects.exists()
