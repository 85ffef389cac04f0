"""Pinned query counts: the goal page, the progress tab and the entry form cost the same
whatever the goal's history (5 points or 40, one goal or three), each query with why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samepage.progress.tests.helpers import began, measure, record
from samepage.updates.tests.helpers import client_for

pytestmark = pytest.mark.django_db


def _measured(world):
    return measure(
        world,
        baseline_date=began(world).isoformat(),
        target_date=(world.today + timedelta(days=200)).isoformat(),
    )


def _fill(world, measurement, count):
    for i in range(count):
        record(world.provider, measurement, day=world.today - timedelta(days=i % 50), value="50")


def _count(client, url, method="get", data=None):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 303), response.status_code
    return len(queries), queries


@pytest.mark.parametrize("name", ["progress:goal", "progress:record"])
def test_the_goal_page_and_the_entry_form_do_not_grow_with_the_goals_history(world, name):
    measurement = _measured(world)
    _fill(world, measurement, 5)
    url = reverse(name, args=[world.child.pk, measurement.goal_lineage])
    client = client_for(world.provider)
    client.get(url)  # warm: the session's first read
    few, _ = _count(client, url)
    _fill(world, measurement, 35)
    many, queries = _count(client, url)
    assert few == many, "\n".join(q["sql"] for q in queries)


# Signing in and the record: session, person, student, their roles (one query),
# team memberships, consents; the header's unread messages.
_REQUEST = 7

PINNED = {
    # + the goal, its measurement; the entries page (20 newest); the points the
    # analysis reads; phase lines with who marked them; the district's rules; open
    # alerts; the access log row.
    "progress:goal": _REQUEST + 8,
    # + the goal, its measurement; the access log row.
    "progress:record": _REQUEST + 3,
    # + the current goals, their measurements, open alerts, last scores (one query
    # each, whatever the number of goals); the access log row.
    "progress:overview": _REQUEST + 5,
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_progress_pages_cost_a_pinned_number_of_queries(world, name):
    measurement = _measured(world)
    _fill(world, measurement, 12)
    args = (
        [world.child.pk]
        if name == "progress:overview"
        else [world.child.pk, measurement.goal_lineage]
    )
    url = reverse(name, args=args)
    client = client_for(world.provider)
    client.get(url)
    count, queries = _count(client, url)
    assert count == PINNED[name], "\n".join(q["sql"][:120] for q in queries)


def test_saving_a_score_costs_the_same_with_a_long_history(world):
    measurement = _measured(world)
    _fill(world, measurement, 5)
    url = reverse("progress:record", args=[world.child.pk, measurement.goal_lineage])
    client = client_for(world.provider)
    client.get(url)
    form = {"day": world.today.isoformat(), "value": "52", "client_key": ""}
    few, _ = _count(
        client, url, "post", {**form, "client_key": "00000000-0000-4000-8000-000000000001"}
    )
    _fill(world, measurement, 35)
    many, queries = _count(
        client, url, "post", {**form, "client_key": "00000000-0000-4000-8000-000000000002"}
    )
    assert few == many, "\n".join(q["sql"][:120] for q in queries)


def test_the_group_session_chooser_costs_the_same_for_a_bigger_caseload(world):
    from samepage import factories as f
    from samepage.teams import actions as team_actions

    _measured(world)
    client = client_for(world.provider)
    url = reverse("progress:group")
    client.get(url)
    small, _ = _count(client, url)
    for n in range(3):
        student = f.make_student(world.school, legal_first_name=f"Extra{n}")
        team_actions.do_add_team_member(
            actor=None,
            student=student,
            user=world.provider,
            team_role="provider",
            start_date=world.today - timedelta(days=30),
        )
    big, queries = _count(client, url)
    # Session, person, their team places with students and schools (one query, a
    # caseload's rows), the header's person.
    assert small == big == 4, "\n".join(q["sql"][:120] for q in queries)
