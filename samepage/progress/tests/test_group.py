"""A group session: choose the students, a score for each of their goals on one day;
a row with a problem keeps its value, the others are saved once however often the page
is sent."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from samepage.progress.models import DataPoint
from samepage.progress.tests.helpers import began, measure, plan_goal
from samepage.updates.tests.helpers import client_for

pytestmark = pytest.mark.django_db

URL = reverse("progress:group")


def _measured(world, goal=None, **fields):
    return measure(
        world,
        goal,
        baseline_date=began(world).isoformat(),
        target_date=(world.today + timedelta(days=200)).isoformat(),
        **fields,
    )


def test_a_provider_chooses_students_and_saves_a_score_for_each(world):
    reading = _measured(world)
    provider = client_for(world.provider)
    chooser = provider.get(URL).content.decode()
    assert f'value="{world.child.pk}"' in chooser
    assert f'value="{world.other_child.pk}"' not in chooser  # not on their team
    grid = provider.get(URL, {"student": world.child.pk})
    assert grid.status_code == 200
    html = grid.content.decode()
    found = re.search(rf'name="m{reading.pk}-client_key" value="([^"]+)"', html)
    assert found is not None
    key = found.group(1)
    form = {
        "student": [world.child.pk],
        "day": world.today.isoformat(),
        f"m{reading.pk}-value": "47",
        f"m{reading.pk}-client_key": key,
    }
    assert provider.post(URL, form).status_code == 303
    assert provider.post(URL, form).status_code == 303  # sent again: stored once
    point = DataPoint.objects.get()
    assert point.value == 47 and point.entered_by == world.provider


def test_a_bad_row_keeps_its_value_and_the_good_rows_are_saved(world):
    reading = _measured(world)
    other_goal = plan_goal(world, world.other_child, signer=world.other_parent)
    # Another student on the provider's team, with a percent goal.
    from samepage.teams import actions as team_actions

    team_actions.do_add_team_member(
        actor=None,
        student=world.other_child,
        user=world.provider,
        team_role="provider",
        start_date=world.today - timedelta(days=90),
    )
    percent = measure(
        world,
        other_goal,
        actor=world.district_admin,
        kind="percent",
        unit="",
        baseline_value="40",
        target_value="80",
        mastery_value="80",
    )
    provider = client_for(world.provider)
    form = {
        "student": [world.child.pk, world.other_child.pk],
        "day": world.today.isoformat(),
        f"m{reading.pk}-value": "47",
        f"m{reading.pk}-client_key": "00000000-0000-4000-8000-000000000011",
        f"m{percent.pk}-value": "130",
        f"m{percent.pk}-client_key": "00000000-0000-4000-8000-000000000012",
    }
    response = provider.post(URL, form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a percent from 0 to 100." in html and 'value="130"' in html
    assert list(DataPoint.objects.values_list("measurement_id", flat=True)) == [reading.pk]
    fixed = {**form, f"m{percent.pk}-value": "63"}
    assert provider.post(URL, fixed).status_code == 303
    assert DataPoint.objects.count() == 2


def test_who_records_for_no_one_is_refused_and_a_stranger_student_is_not_found(world):
    _measured(world)
    assert client_for(world.parent).get(URL).status_code == 403
    provider = client_for(world.provider)
    assert provider.get(URL, {"student": world.other_child.pk}).status_code == 404
    too_many = provider.get(URL, {"student": [str(n) for n in range(1, 12)]})
    assert too_many.status_code == 200 and "at most 8 students" in too_many.content.decode()


def test_an_empty_session_says_so(world):
    _measured(world)
    response = client_for(world.provider).post(
        URL, {"student": [world.child.pk], "day": world.today.isoformat()}
    )
    assert response.status_code == 400
    assert "Enter a score for at least one goal." in response.content.decode()
