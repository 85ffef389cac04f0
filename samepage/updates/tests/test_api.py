"""The updates API end to end: the same rules as the pages, keyset pages, clear 400s."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samepage import factories as f
from samepage.updates.selectors import tag_choices
from samepage.updates.tests.helpers import client_for, note, post

pytestmark = pytest.mark.django_db


def _url(world, rest: str) -> str:
    return f"/api/v1/students/{world.child.pk}/{rest}"


def test_staff_post_an_update_tagged_to_a_goal_the_family_lists_it(world):
    f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    goal = next(c for c in tag_choices(world.child) if c.kind == "goal")
    staff = client_for(world.case_manager)
    response = staff.post(
        _url(world, "updates"),
        {"text": "Read aloud!", "day": "great", "tags": [goal.value]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["tags"][0]["text"] == "Goal: Read grade-level text fluently"
    listed = client_for(world.parent).get(_url(world, "updates")).json()
    assert [u["text"] for u in listed["items"]] == ["Read aloud!"]
    refused = client_for(world.parent).post(
        _url(world, "updates"), {"text": "x", "day": "good"}, content_type="application/json"
    )
    assert refused.status_code == 403
    empty = staff.post(
        _url(world, "updates"), {"text": " ", "day": "good"}, content_type="application/json"
    )
    assert empty.status_code == 400 and "text" in empty.json()["errors"]


def test_home_notes_and_withdraw_through_the_api(world):
    family = client_for(world.parent)
    made = family.post(
        _url(world, "home-notes"),
        {"text": "New medication", "kind": "health"},
        content_type="application/json",
    )
    assert made.status_code == 201
    note_id = made.json()["id"]
    assert client_for(world.case_manager).get(_url(world, "home-notes")).json()["items"][0][
        "text"
    ] == ("New medication")
    withdrawn = family.post(_url(world, f"home-notes/{note_id}/withdraw"))
    assert withdrawn.status_code == 200
    assert withdrawn.json()["text"] == "" and withdrawn.json()["withdrawn_at"]
    assert client_for(world.other_parent).get(_url(world, "home-notes")).status_code == 404


def test_the_timeline_pages_with_its_cursor(world):
    for i in range(3):
        post(world.case_manager, world.child, text=f"U{i}")
        note(world.parent, world.child, text=f"N{i}")
    client = client_for(world.parent)
    first = client.get(_url(world, "timeline"), {"limit": 4}).json()
    assert len(first["items"]) == 4 and first["next"]
    second = client.get(_url(world, "timeline"), {"limit": 4, "cursor": first["next"]}).json()
    assert len(second["items"]) == 2 and second["next"] is None
    seen = [(e["kind"], e["id"]) for e in first["items"] + second["items"]]
    assert len(set(seen)) == 6
    bad = client.get(_url(world, "timeline"), {"cursor": "nope"})
    assert bad.status_code == 400 and "cursor" in bad.json()["errors"]
    only_notes = client.get(_url(world, "timeline"), {"show": "notes"}).json()
    assert {e["kind"] for e in only_notes["items"]} == {"home_note"}


def _api_queries(world, url: str, count: int) -> int:
    f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    goal = [next(c.value for c in tag_choices(world.child) if c.kind == "goal")]
    for i in range(count):
        post(world.case_manager, world.child, text=f"U{i}", tags=goal)
        note(world.parent, world.child, text=f"N{i}")
    client = client_for(world.parent)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("rest", ["updates", "home-notes", "timeline"])
def test_api_lists_cost_the_same_queries_for_few_and_many(world, rest):
    url = _url(world, rest)
    few = _api_queries(world, url, 1)
    many = _api_queries_more(world, url)
    assert few == many


def _api_queries_more(world, url: str) -> int:
    for i in range(20):
        post(world.case_manager, world.child, text=f"More {i}")
        note(world.parent, world.child, text=f"More {i}")
    client = client_for(world.parent)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
