"""The concerns API end to end, with named users (STYLE rule 9)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samepage import factories as f
from samepage.api.tests.helpers import API, bearer, make_token, send_json, token_client
from samepage.concerns.models import ParentConcern
from samepage.concerns.tests.helpers import (
    add,
    consent,
    decline,
    draft_with_goal,
    goal_target,
    link,
    rows,
)
from samepage.core.models import AccessEvent

pytestmark = pytest.mark.django_db


def _base(world):
    return f"{API}/students/{world.child.pk}/concerns"


def _new(**extra):
    return {
        "category": "reading",
        "text": "Reading at home is hard.",
        "importance": "high",
        **extra,
    }


def test_a_parent_adds_and_lists_concerns(world):
    client = token_client(world.parent)
    response = send_json(client, "POST", _base(world), _new())
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "open"
    assert body["author"]["name"] == world.parent.display_name
    assert body["on_behalf_of"] is None
    listed = client.get(_base(world)).json()["items"]
    assert [c["id"] for c in listed] == [body["id"]]


def test_link_decline_defer_through_the_api(world):
    version = draft_with_goal(world)
    ids = [add(world, text=t).pk for t in ("one", "two", "three")]
    client = token_client(world.case_manager)
    target = goal_target(version)
    linked = send_json(
        client,
        "POST",
        f"{_base(world)}/{ids[0]}/link",
        {"plan_id": version.plan_id, "target": target, "note": "Goal 1."},
    )
    assert linked.status_code == 200
    assert linked.json()["status"] == "addressed"
    assert linked.json()["landed"][0]["target"] == target
    assert linked.json()["landed"][0]["text"] == "Goal: Read grade-level text fluently"
    declined = send_json(
        client, "POST", f"{_base(world)}/{ids[1]}/decline", {"reason": "Not needed."}
    )
    assert declined.json()["status"] == "declined"
    assert declined.json()["decline_reason"] == "Not needed."
    until = (timezone.localdate() + timedelta(days=20)).isoformat()
    deferred = send_json(client, "POST", f"{_base(world)}/{ids[2]}/defer", {"until": until})
    assert deferred.json()["status"] == "deferred"
    assert deferred.json()["deferred_until"] == until
    one = client.get(f"{_base(world)}/{ids[0]}").json()
    assert [o["kind"] for o in one["outcomes"]] == ["addressed"]
    assert one["outcomes"][0]["decided_by"]["name"] == world.case_manager.display_name


def test_trace_counts_add_up_to_the_number_of_concerns(world):
    version = draft_with_goal(world)
    link(world, add(world, text="a"), version)
    decline(world, add(world, text="b"))
    add(world, text="c")
    body = token_client(world.parent).get(f"{_base(world)}/trace").json()
    assert body["total"] == 3 == len(body["concerns"])
    assert body["counts"] == {"open": 1, "addressed": 1, "declined": 1, "deferred": 0}
    assert sum(body["counts"].values()) == body["total"]


def test_a_goal_of_another_student_is_a_400_and_nothing_changes(world):
    mine = draft_with_goal(world)
    theirs = f.fill_plan(f.make_plan(world.other_child, world.district_admin))
    concern = add(world)
    client = token_client(world.case_manager)
    url = f"{_base(world)}/{concern.pk}/link"
    before = rows()
    response = send_json(
        client, "POST", url, {"plan_id": theirs.plan_id, "target": goal_target(theirs)}
    )
    assert response.status_code == 400
    assert "plan_id" in response.json()["errors"]
    response = send_json(
        client, "POST", url, {"plan_id": mine.plan_id, "target": goal_target(theirs)}
    )
    assert response.status_code == 400
    assert "target" in response.json()["errors"]
    response = send_json(client, "POST", url, {"plan_id": mine.plan_id, "target": "goal:forged"})
    assert response.status_code == 400
    assert rows() == before


def test_an_advocate_without_the_plans_scope_gets_403(world):
    consent(world, ["profile"])
    client = token_client(world.advocate)
    before = rows()
    assert send_json(client, "POST", _base(world), _new()).status_code == 403
    assert client.get(_base(world)).status_code == 403
    assert rows() == before


def test_an_advocate_with_the_plans_scope_writes_on_behalf_of_the_guardian(world):
    consent(world, ["plans"])
    response = send_json(token_client(world.advocate), "POST", _base(world), _new())
    assert response.status_code == 201
    assert response.json()["on_behalf_of"]["id"] == world.parent.pk
    assert response.json()["author"]["id"] == world.advocate.pk


def test_staff_record_a_heard_concern_and_must_say_from_whom(world):
    client = token_client(world.case_manager)
    before = rows()
    missing = send_json(client, "POST", _base(world), _new())
    assert missing.status_code == 400
    assert "heard_from_id" in missing.json()["errors"]
    assert rows() == before
    response = send_json(client, "POST", _base(world), _new(heard_from_id=world.parent.pk))
    assert response.status_code == 201
    assert response.json()["recorded_by_phone"] is True
    assert response.json()["heard_from"]["id"] == world.parent.pk


def test_a_family_member_cannot_pose_as_staff(world):
    before = rows()
    response = send_json(
        token_client(world.parent), "POST", _base(world), _new(heard_from_id=world.parent.pk)
    )
    assert response.status_code == 403
    assert rows() == before


@pytest.mark.parametrize("text", ["", "  ", "z" * 5001])
def test_empty_or_oversized_text_is_a_clear_400(world, text):
    before = rows()
    response = send_json(token_client(world.parent), "POST", _base(world), _new(text=text))
    assert response.status_code == 400
    assert response.json()["errors"]["text"]
    assert rows() == before


def test_script_in_text_comes_back_as_plain_data(world):
    payload = "<script>alert(1)</script>"
    response = send_json(token_client(world.parent), "POST", _base(world), _new(text=payload))
    assert response.json()["text"] == payload
    assert response["Content-Type"].startswith("application/json")


def test_every_read_records_one_access_event_for_plans(world):
    concern = add(world)
    client = token_client(world.parent)
    for url in (_base(world), f"{_base(world)}/trace", f"{_base(world)}/{concern.pk}"):
        before = AccessEvent.objects.count()
        assert client.get(url).status_code == 200
        assert AccessEvent.objects.count() == before + 1
        event = AccessEvent.objects.order_by("-id")[0]
        assert (event.part, event.via) == ("plans", "api")


def _routes(world, concern):
    base = _base(world)
    one = f"{base}/{concern.pk}"
    return [
        ("GET", base, None),
        ("POST", base, _new()),
        ("GET", f"{base}/trace", None),
        ("GET", one, None),
        ("POST", f"{one}/link", {"plan_id": 1, "target": "section:present_levels"}),
        ("POST", f"{one}/decline", {"reason": "x"}),
        ("POST", f"{one}/defer", {"until": "2100-01-01"}),
    ]


@pytest.mark.parametrize(
    "who", ["other_parent", "restricted_parent", "outside_provider", "outsider_admin", "advocate"]
)
def test_outsiders_get_404_on_every_route(world, who):
    concern = add(world)
    client = token_client(getattr(world, who))
    before = rows()
    for method, url, body in _routes(world, concern):
        assert send_json(client, method, url, body).status_code == 404, (method, url)
    assert rows() == before


def test_read_only_people_get_403_on_every_write(world):
    concern = add(world)
    before = rows()
    for who in ("provider", "student_user", "parent"):
        client = token_client(getattr(world, who))
        for method, url, body in _routes(world, concern)[4:]:
            assert send_json(client, method, url, body).status_code == 403, (who, url)
    for method, url, body in _routes(world, concern):
        response = send_json(token_client(world.gen_ed_teacher), method, url, body)
        assert response.status_code == 403, url
    assert send_json(token_client(world.provider), "POST", _base(world), _new()).status_code == 403
    assert (
        send_json(token_client(world.student_user), "POST", _base(world), _new()).status_code == 403
    )
    assert rows() == before


def test_nobody_signed_in_gets_401(world):
    concern = add(world)
    for method, url, body in _routes(world, concern):
        assert send_json(Client(), method, url, body).status_code == 401


def test_a_concern_of_another_student_is_404(world):
    theirs = ParentConcern.objects.create(
        student=world.other_child, category="other", text="Theirs", author=world.other_parent
    )
    client = token_client(world.case_manager)
    assert client.get(f"{_base(world)}/{theirs.pk}").status_code == 404


# Query counts ---------------------------------------------------------------------------

# Token lookup (last_used_at already settled), the student, the caller's roles (staff
# profile, student account, whether a guardian), their guardianships and consents (each
# reach of the access definition), the access event, then the concerns with authors and
# their outcomes, and (for a reader who may not see drafts, as here) the frozen versions
# and shared drafts whose words a landing shows: one query each, however many.
# +1: the token owner's sign-in lockout, read from django-axes (api/auth.py).
MAX_LIST_QUERIES = 13


def _many(world, n):
    version = draft_with_goal(world)
    for i in range(n):
        concern = add(world, text=f"Concern {i}")
        if i % 2:
            link(world, concern, version)
        else:
            decline(world, concern)


@pytest.mark.parametrize("suffix", ["", "/trace"])
def test_list_and_trace_query_counts_are_pinned(world, django_assert_max_num_queries, suffix):
    _many(world, 8)
    raw, _token = make_token(world.parent)
    client = Client(headers=bearer(raw))
    client.get(_base(world) + suffix)  # settle last_used_at
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        response = client.get(_base(world) + suffix)
    assert response.status_code == 200


def test_list_query_count_does_not_grow_with_concerns(world):
    raw, _token = make_token(world.case_manager)
    client = Client(headers=bearer(raw))
    add(world)
    client.get(_base(world))
    with CaptureQueriesContext(connection) as few:
        client.get(_base(world))
    _many(world, 6)
    with CaptureQueriesContext(connection) as many:
        client.get(_base(world))
    assert len(many) == len(few)
