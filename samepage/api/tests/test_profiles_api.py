"""The profile and student voice API: same rules as the pages, JSON in and out."""

from __future__ import annotations

import pytest

from samepage.api.tests.helpers import API, give_consent, send_json, session_client, token_client
from samepage.core.models import AccessEvent
from samepage.profiles.models import CorrectionRequest, ProfileEntry, StudentVoiceEntry
from samepage.profiles.tests.helpers import say, write

pytestmark = pytest.mark.django_db


def _profile(student) -> str:
    return f"{API}/students/{student.pk}/profile"


def _entries(student) -> str:
    return f"{_profile(student)}/entries"


def _advocate_with_profile(world):
    give_consent(world.child, by=world.parent, to=world.advocate, scopes=["profile"])
    return world.advocate


def test_get_profile_lists_what_the_caller_may_see_and_records_one_access(world):
    write(world.parent, world.child, "strengths", "Loves trains")
    write(world.parent, world.child, "health", "Peanut allergy")
    write(world.case_manager, world.child, "triggers", "Loud rooms", visibility="private_draft")
    response = token_client(world.gen_ed_teacher).get(_profile(world.child))
    assert response.status_code == 200
    body = response.json()
    assert [e["text"] for e in body["entries"]] == ["Loves trains"]
    assert body["entries"][0]["attribution"] == "guardian"
    assert body["permissions"]["can_see_health"] is False
    events = AccessEvent.objects.filter(user=world.gen_ed_teacher)
    assert [(e.part, e.via) for e in events] == [("profile", "api")]
    provider = token_client(world.provider).get(_profile(world.child)).json()
    assert {e["text"] for e in provider["entries"]} == {"Loves trains", "Peanut allergy"}


def test_add_entry_attributes_it_and_bad_input_is_400(world):
    client = token_client(world.parent)
    created = send_json(
        client, "POST", _entries(world.child), {"section": "calming", "text": "Music"}
    )
    assert created.status_code == 201
    assert created.json()["attribution"] == "guardian"
    assert created.json()["author"]["name"] == "Alice Lane"
    bad = send_json(client, "POST", _entries(world.child), {"section": "nope", "text": "x" * 5001})
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"section", "text"}
    assert ProfileEntry.objects.count() == 1
    staff = send_json(
        token_client(world.provider),
        "POST",
        _entries(world.child),
        {"section": "learning", "text": "Visuals"},
    )
    assert staff.json()["attribution"] == "staff_observation"


def test_update_with_a_stale_revision_is_409_and_nothing_is_lost(world):
    entry = write(world.parent, world.child, text="Original")
    client = token_client(world.parent)
    url = f"{_entries(world.child)}/{entry.pk}"
    ok = send_json(client, "PUT", url, {"text": "Laptop", "revision": 1})
    assert ok.status_code == 200
    assert ok.json()["revision"] == 2
    stale = send_json(client, "PUT", url, {"text": "Phone", "revision": 1})
    assert stale.status_code == 409
    assert stale.json()["theirs"]["text"] == "Laptop"
    assert stale.json()["yours"]["text"] == "Phone"
    assert stale.json()["revision"] == 2
    missing = send_json(client, "PUT", url, {"text": "No revision"})
    assert missing.status_code == 400
    history = client.get(f"{url}/history").json()["items"]
    assert [r["text"] for r in history] == ["Laptop", "Original"]


def test_archive_and_history(world):
    entry = write(world.parent, world.child, text="Old")
    client = session_client(world.parent)
    url = f"{_entries(world.child)}/{entry.pk}"
    assert send_json(client, "POST", f"{url}/archive", {"revision": 1}).status_code == 200
    assert client.get(_profile(world.child)).json()["entries"] == []
    assert client.get(f"{url}/history").status_code == 404


def test_correction_request_and_answer(world):
    observation = write(world.case_manager, world.child, "triggers", "Refuses group work.")
    url = f"{_entries(world.child)}/{observation.pk}/corrections"
    parent = token_client(world.parent)
    assert send_json(parent, "POST", url, {"text": ""}).status_code == 400
    made = send_json(parent, "POST", url, {"text": "He leaves when it is loud."})
    assert made.status_code == 201
    request_id = made.json()["id"]
    answer_url = f"{_profile(world.child)}/corrections/{request_id}/answer"
    assert (
        send_json(parent, "POST", answer_url, {"decision": "declined", "answer": "x"}).status_code
        == 403
    )
    answered = send_json(
        token_client(world.case_manager),
        "POST",
        answer_url,
        {"decision": "declined", "answer": "We saw it twice."},
    )
    assert answered.status_code == 200
    assert answered.json()["status"] == "declined"
    again = send_json(
        token_client(world.case_manager),
        "POST",
        answer_url,
        {"decision": "accepted", "answer": "Changed my mind."},
    )
    assert again.status_code == 400
    listed = parent.get(_profile(world.child)).json()["entries"][0]["corrections"]
    assert listed[0]["answer"] == "We saw it twice."
    assert CorrectionRequest.objects.get().status == "declined"


def test_voice_read_and_write(world):
    say(world.case_manager, world.child, prompt="my_goals", text="Be a vet")
    url = f"{API}/students/{world.child.pk}/voice"
    listed = token_client(world.parent).get(url).json()["items"]
    assert listed[0]["from_interview"] is True
    own = send_json(
        token_client(world.student_user), "POST", url, {"prompt": "good_at", "text": "Art"}
    )
    assert own.status_code == 201
    assert own.json()["source"] == "written_by_student"
    assert (
        send_json(
            token_client(world.parent), "POST", url, {"prompt": "good_at", "text": "x"}
        ).status_code
        == 403
    )
    assert StudentVoiceEntry.objects.count() == 2


# --- outsider 404 and read-only 403 on every route ------------------------------------


def _routes(world):
    observation = write(world.case_manager, world.child, "triggers", "Loud rooms.")
    own = write(world.parent, world.child, "strengths", "Trains.")
    correction = CorrectionRequest.objects.create(
        entry=observation, requested_by=world.parent, text="Fix"
    )
    base = _profile(world.child)
    return [
        ("GET", base, None, False),
        ("POST", f"{base}/entries", {"section": "strengths", "text": "x"}, True),
        ("PUT", f"{base}/entries/{own.pk}", {"text": "x", "revision": 1}, True),
        ("POST", f"{base}/entries/{own.pk}/archive", {"revision": 1}, True),
        ("GET", f"{base}/entries/{own.pk}/history", None, False),
        ("POST", f"{base}/entries/{observation.pk}/corrections", {"text": "x"}, True),
        (
            "POST",
            f"{base}/corrections/{correction.pk}/answer",
            {"decision": "declined", "answer": "x"},
            True,
        ),
        ("GET", f"{API}/students/{world.child.pk}/voice", None, False),
        (
            "POST",
            f"{API}/students/{world.child.pk}/voice",
            {"prompt": "good_at", "text": "x"},
            True,
        ),
    ]


def test_outsiders_get_404_on_every_route(world):
    routes = _routes(world)
    for stranger in (
        world.other_parent,
        world.restricted_parent,
        world.outside_provider,
        world.outsider_admin,
        world.advocate,
    ):
        client = token_client(stranger)
        for method, url, body, _write in routes:
            assert send_json(client, method, url, body).status_code == 404, (stranger, method, url)


def test_read_only_advocate_gets_403_on_every_write(world):
    advocate = _advocate_with_profile(world)
    client = token_client(advocate)
    before = (ProfileEntry.objects.count(), CorrectionRequest.objects.count())
    for method, url, body, is_write in _routes(world):
        expected = 403 if is_write else 200
        assert send_json(client, method, url, body).status_code == expected, (method, url)
    assert (ProfileEntry.objects.count(), CorrectionRequest.objects.count()) == (
        before[0] + 2,
        before[1] + 1,
    )
    assert CorrectionRequest.objects.get().is_open


def test_anonymous_gets_401(world):
    from django.test import Client

    assert Client().get(_profile(world.child)).status_code == 401
