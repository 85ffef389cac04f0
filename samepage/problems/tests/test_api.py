"""The problem-solving log through the JSON API: the same rules as the pages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samepage.notifications.models import Notice
from samepage.problems.models import TrickySituation
from samepage.problems.tests.helpers import agree, client_for, idea, outcome, raise_situation
from samepage.profiles.tests.helpers import write

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("straddle_midnight")]

LIST_QUERIES = 8  # the person's roles are one query (schools/roles.py)


def _base(world):
    return f"/api/v1/students/{world.child.pk}/situations"


def _post(client, url, data, method="POST"):
    return client.generic(method, url, json.dumps(data), content_type="application/json")


def test_raise_read_idea_try_outcome(world, django_capture_on_commit_callbacks):
    parent = client_for(world.parent)
    cm = client_for(world.case_manager)
    calming = write(world.parent, world.child, "calming", "Headphones.")
    response = _post(
        parent,
        _base(world),
        {
            "summary": "Bus mornings",
            "what_happens": "Refuses to get on.",
            "entry_ids": [calming.pk],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["profile_links"][0]["entry_id"] == calming.pk
    url = f"{_base(world)}/{body['id']}"
    assert _post(parent, url + "/ideas", {"text": "Sit at the front"}).status_code == 201
    today = world.today
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            cm,
            url + "/tries",
            {
                "what": "Front seat with a friend",
                "owner_id": world.parent.pk,
                "due_on": today.isoformat(),
                "follow_up_on": (today + timedelta(days=10)).isoformat(),
            },
        )
    assert response.status_code == 201, response.content
    try_id = response.json()["tries"][0]["id"]
    told = Notice.objects.filter(kind="problem.try_agreed")
    assert list(told.values_list("recipient", flat=True)) == [world.parent.pk]
    response = _post(parent, f"{url}/tries/{try_id}/outcome", {"result": "helped", "note": "Yes"})
    assert response.status_code == 201
    read = parent.get(url).json()
    assert read["tries"][0]["outcome"]["result"] == "helped"
    assert [i["text"] for i in read["ideas"]] == ["Sit at the front"]


def test_the_api_refuses_as_the_pages_do(world):
    situation = raise_situation(world.parent, world.child)
    url = f"{_base(world)}/{situation.pk}"
    assert client_for(world.other_parent).get(url).status_code == 404
    assert client_for(world.restricted_parent).get(_base(world)).status_code == 404
    assert _post(client_for(world.parent), url + "/tries", {"what": "x"}).status_code == 403
    assert client_for(None).get(_base(world)).status_code == 401


def test_a_follow_up_before_the_start_is_a_400_naming_the_field(world):
    situation = raise_situation(world.parent, world.child)
    today = world.today
    response = _post(
        client_for(world.case_manager),
        f"{_base(world)}/{situation.pk}/tries",
        {
            "what": "x",
            "owner_id": world.provider.pk,
            "due_on": (today + timedelta(days=3)).isoformat(),
            "follow_up_on": today.isoformat(),
        },
    )
    assert response.status_code == 400
    assert "follow_up_on" in response.json()["errors"]


@pytest.mark.parametrize(
    "payload",
    [
        {"summary": "x", "what_happens": "y", "entry_ids": ["a"]},
        {"summary": ["x"], "what_happens": "y"},
        {"summary": "x\u0000", "what_happens": "y"},
        {"summary": "x", "what_happens": "y", "entry_ids": [10**30]},
        [],
    ],
)
def test_bad_input_is_a_400_never_a_500(world, payload):
    response = _post(client_for(world.parent), _base(world), payload)
    assert response.status_code == 400
    assert not TrickySituation.objects.exists()


def test_another_childs_entry_is_refused_under_entry_ids(world):
    theirs = write(world.other_parent, world.other_child, "triggers", "Fire drills.")
    response = _post(
        client_for(world.parent),
        _base(world),
        {"summary": "x", "what_happens": "y", "entry_ids": [theirs.pk]},
    )
    assert response.status_code == 400
    assert "entry_ids" in response.json()["errors"]


def test_a_stale_update_is_a_409(world):
    situation = raise_situation(world.parent, world.child)
    url = f"{_base(world)}/{situation.pk}"
    client = client_for(world.parent)
    data = {"summary": "New", "what_happens": "Words", "revision": 1}
    assert _post(client, url, data, "PUT").status_code == 200
    response = _post(client, url, {**data, "what_happens": "Other"}, "PUT")
    assert response.status_code == 409
    assert response.json()["theirs"]["what_happens"] == "Words"


def test_the_list_pages_with_cursors_open_first(world):
    closed = raise_situation(world.parent, world.child, summary="Closed one")
    closed.status, closed.is_open, closed.closed_at = "resolved", False, closed.created_at
    closed.save(update_fields=["status", "is_open", "closed_at"])
    for n in range(4):
        raise_situation(world.parent, world.child, summary=f"Open {n}")
    client = client_for(world.parent)
    seen = []
    response = client.get(_base(world), {"limit": 2})
    while True:
        body = response.json()
        seen += [s["summary"] for s in body["items"]]
        if not body["next"]:
            break
        response = client.get(_base(world), {"limit": 2, "cursor": body["next"]})
    assert seen == ["Open 3", "Open 2", "Open 1", "Open 0", "Closed one"]
    assert client.get(_base(world), {"cursor": "garbage"}).status_code == 400
    assert client.get(_base(world), {"limit": 0}).status_code == 400


def test_the_list_costs_the_same_queries_however_long(world):
    client = client_for(world.case_manager)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_base(world)).status_code == 200
        return len(queries)

    situation = raise_situation(world.parent, world.child)
    idea(world.parent, situation)
    few = count()
    for _ in range(5):
        s = raise_situation(world.parent, world.child)
        outcome(world.parent, agree(world.case_manager, s, world.parent))
    assert count() == few == LIST_QUERIES


def test_close_reopen_and_add_what_helped_to_the_profile_once(world):
    situation = raise_situation(world.parent, world.child)
    agreed = agree(world.case_manager, situation, world.parent)
    outcome(world.parent, agreed, "helped")
    url = f"{_base(world)}/{situation.pk}"
    parent = client_for(world.parent)
    for _click in range(2):
        response = _post(parent, f"{url}/tries/{agreed.pk}/profile", {"section": "calming"})
        assert response.status_code == 201
    links = response.json()["profile_links"]
    assert len(links) == 1 and links[0]["from_outcome_id"] is not None
    assert _post(parent, url + "/close", {"status": "nonsense"}).status_code == 400
    assert _post(parent, url + "/close", {"status": "resolved"}).json()["status"] == "resolved"
    assert _post(parent, url + "/reopen", {}).json()["status"] == "open"
    student = client_for(world.student_user)
    assert _post(student, url + "/close", {"status": "resolved"}).status_code == 403
