"""A child's deadlines through the API: what each says, its order (soonest first,
unknown last), who may read them, and pages that cost the same queries however many."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from samepage.api.tests.helpers import API, token_client
from samepage.core.models import AccessEvent
from samepage.deadlines.actions import refresh_deadlines
from samepage.deadlines.models import Deadline, DeadlineStatus
from samepage.deadlines.tests.helpers import add_deadlines

pytestmark = pytest.mark.django_db


def _url(world: Any) -> str:
    return f"{API}/students/{world.child.pk}/deadlines"


def test_the_family_reads_each_deadline_with_its_rule_source_start_and_days_left(world):
    refresh_deadlines(world.child)
    response = token_client(world.parent).get(_url(world))
    assert response.status_code == 200
    items = {item["rule_key"]: item for item in response.json()["items"]}
    evaluation = items["initial_evaluation"]
    assert evaluation["title"] == "Initial evaluation after consent"
    assert evaluation["citation"] == "34 CFR 300.301(c)(1)"
    assert evaluation["start_event"] == "evaluation_consent"
    # Unknown is said as such, with no dates, never as fine.
    assert evaluation["status"] == "unknown"
    assert evaluation["start_date"] is None
    assert evaluation["due_date"] is None
    assert evaluation["days_left"] is None
    transition = items["transition_plan"]
    assert transition["status"] == "open"
    assert transition["due_date"] == "2031-03-14"
    assert transition["days_left"] == (date(2031, 3, 14) - world.today).days
    assert transition["when"].endswith("days left")


def test_the_list_is_soonest_due_first_with_unknown_last_across_pages(world):
    today = world.today
    unknown = add_deadlines(world.child, 2, today=today, status=DeadlineStatus.UNKNOWN)
    late = add_deadlines(world.child, 3, today=today)
    Deadline.objects.filter(pk=late[0].pk).update(due_date=today - timedelta(days=2))
    client = token_client(world.parent)
    ids, cursor = [], None
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(_url(world) + query).json()
        ids += [item["id"] for item in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert ids == [late[0].pk, late[1].pk, late[2].pk, unknown[0].pk, unknown[1].pk]
    first = client.get(_url(world)).json()["items"][0]
    assert first["overdue"] is True
    assert first["days_left"] == -2
    assert first["when"] == "2 days overdue"


def test_titles_and_words_are_in_the_readers_language(world):
    add_deadlines(world.child, 1, today=world.today)
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    item = token_client(world.parent).get(_url(world), HTTP_ACCEPT_LANGUAGE="es").json()["items"][0]
    with translation.override("es"):
        assert item["title"] == str(translation.gettext("Progress report for the reporting period"))
    assert item["title"] != "Progress report for the reporting period"
    assert item["when"] == "Vence hoy"


@pytest.mark.parametrize("who", ["other_parent", "outside_provider", "outsider_admin"])
def test_someone_who_cannot_see_the_child_gets_404(world, who):
    response = token_client(getattr(world, who)).get(_url(world))
    assert response.status_code == 404


def test_a_teacher_without_the_plans_gets_403(world):
    assert token_client(world.gen_ed_teacher).get(_url(world)).status_code == 403


def test_each_read_is_recorded_as_a_view_of_the_plans(world):
    before = AccessEvent.objects.count()
    token_client(world.case_manager).get(_url(world))
    event = AccessEvent.objects.latest("id")
    assert AccessEvent.objects.count() == before + 1
    assert (event.student_id, event.part, event.via) == (world.child.pk, "plans", "api")


def test_reading_recomputes_nothing(world):
    add_deadlines(world.child, 2, today=world.today)
    with CaptureQueriesContext(connection) as ctx:
        token_client(world.parent).get(_url(world))
    writes = [q["sql"] for q in ctx.captured_queries if "deadlines_deadline" in q["sql"]]
    assert writes and all(sql.lstrip().upper().startswith("SELECT") for sql in writes)
