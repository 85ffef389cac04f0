"""A child's deadlines page: who may open it, what it says, and that reading it never
recomputes anything."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from samepage.concerns.tests import helpers as concerns
from samepage.deadlines.actions import refresh_deadlines
from samepage.deadlines.models import Deadline

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(world: Any) -> str:
    return f"/students/{world.child.pk}/deadlines/"


def test_the_family_reads_each_deadline_with_its_rule_source_and_start(world: Any) -> None:
    refresh_deadlines(world.child)
    html = _client(world.parent).get(_url(world)).content.decode()
    assert "Initial evaluation after consent" in html
    assert "60 calendar days after the parent&#x27;s consent to the initial evaluation" in html
    assert "34 CFR 300.301(c)(1)" in html
    # Unknown is said in plain words, never shown as fine.
    assert "SamePage has no record of the date the parent gave consent" in html
    assert "(not on record)" in html
    # The transition plan is counted from the 16th birthday (2015-03-14 + 16 years).
    assert "March 14, 2031" in html
    assert "days left" in html


def test_an_overdue_deadline_says_by_how_many_days(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    concern = concerns.add(world)
    with django_capture_on_commit_callbacks(execute=True):
        concerns.defer(world, concern, days=30)
    Deadline.objects.filter(rule_key="deferred_concern").update(
        due_date=world.today - timedelta(days=3)
    )
    html = _client(world.case_manager).get(_url(world)).content.decode()
    assert "3 days overdue" in html
    assert "A concern the team put off until a date" in html


def test_the_page_in_spanish(world: Any) -> None:
    refresh_deadlines(world.child)
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    html = _client(world.parent).get(_url(world), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Fechas límite" in html
    assert "Evaluación inicial después del consentimiento" in html
    assert "Desconocida" in html
    assert "Initial evaluation" not in html


@pytest.mark.parametrize("who", ["other_parent", "outside_provider", "outsider_admin"])
def test_someone_who_cannot_see_the_child_gets_404(world: Any, who: str) -> None:
    assert _client(getattr(world, who)).get(_url(world)).status_code == 404


def test_a_teacher_without_the_plans_gets_403(world: Any) -> None:
    assert _client(world.gen_ed_teacher).get(_url(world)).status_code == 403


def test_reading_the_page_recomputes_nothing_and_runs_a_fixed_number_of_queries(
    world: Any,
) -> None:
    refresh_deadlines(world.child)
    before = list(Deadline.objects.values_list("pk", "computed_at"))
    client = _client(world.parent)
    client.get(_url(world))  # warm per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(world)).status_code == 200
    assert list(Deadline.objects.values_list("pk", "computed_at")) == before
    assert not any("INSERT" in q["sql"] and "deadlines_" in q["sql"] for q in queries)
    # Pinned: the session and the record's access (as every record page), the nav's
    # tabs, the deadlines, one access-log row; the same with more deadlines.
    assert len(queries) == PINNED_QUERIES, [q["sql"][:80] for q in queries.captured_queries]
    for n in range(5):
        concerns.defer(world, concerns.add(world, text=f"Concern {n}"), days=n + 1)
    refresh_deadlines(world.child)
    with CaptureQueriesContext(connection) as more:
        assert client.get(_url(world)).status_code == 200
    assert len(more) == PINNED_QUERIES


PINNED_QUERIES = 9
