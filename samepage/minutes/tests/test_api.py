"""The service minutes API end to end: summaries, sessions a page at a time, logging
(with the same client key twice) and voiding, and who may do what."""

from __future__ import annotations

import json
from datetime import date

import pytest

from samepage.api.tests.helpers import API, token_client
from samepage.core.models import AccessEvent
from samepage.minutes.models import ServiceSession
from samepage.minutes.tests.helpers import log, service_in_effect
from samepage.plans.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(world):
    found = service_in_effect(world)
    Service.objects.filter(pk=found.pk).update(
        minutes=60, frequency_unit="week", start_date=date(2026, 11, 2), end_date=None
    )
    found.refresh_from_db()
    return found


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_services_with_their_delivery_in_numbers_and_words(world, service):
    log(world.provider, world.child, service, day=date(2026, 12, 2), minutes=30)
    log(
        world.provider,
        world.child,
        service,
        day=date(2026, 12, 8),
        status="missed",
        missed_reason="provider_absent",
    )
    answer = token_client(world.parent).get(f"{API}/students/{world.child.pk}/services")
    assert answer.status_code == 200
    (found,) = answer.json()
    assert found["lineage_id"] == str(service.lineage_id)
    assert found["month"]["prescribed"] == 276
    assert found["month"]["delivered"] == 30
    assert found["ledger"] == {
        "owed": 30,
        "made_up": 0,
        "balance": 30,
        "not_owed": 0,
        "words": "30 minutes to make up.",
    }
    assert found["summary"] == "This month: 30 of 276 minutes, in 1 session. 30 minutes to make up."
    assert found["below_threshold"] is True and found["threshold_percent"] == 80
    assert AccessEvent.objects.filter(user=world.parent, part="progress", via="api").count() == 1


def test_sessions_page_and_the_staff_note_is_for_staff(world, service):
    for n in range(1, 5):
        log(world.provider, world.child, service, day=date(2026, 12, n), staff_note="Tired")
    url = f"{API}/students/{world.child.pk}/service-sessions"
    first = token_client(world.parent).get(url + "?limit=3").json()
    assert [s["day"] for s in first["items"]] == ["2026-12-04", "2026-12-03", "2026-12-02"]
    assert all(s["staff_note"] is None for s in first["items"])
    rest = token_client(world.parent).get(url + f"?limit=3&cursor={first['next']}").json()
    assert [s["day"] for s in rest["items"]] == ["2026-12-01"] and rest["next"] is None
    staff = token_client(world.case_manager).get(url).json()
    assert staff["items"][0]["staff_note"] == "Tired"
    assert token_client(world.parent).get(url + "?cursor=garbage").status_code == 400


def test_logging_twice_with_one_key_stores_one_session(world, service):
    url = f"{API}/students/{world.child.pk}/service-sessions"
    data = {
        "service": str(service.lineage_id),
        "day": "2026-12-15",
        "minutes": 30,
        "status": "delivered",
        "client_key": "5b7e0a52-5b7e-4d0e-9a51-0d3a9f1e7c11",
    }
    client = token_client(world.provider)
    first = post(client, url, data)
    assert first.status_code == 201
    again = post(client, url, data)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert ServiceSession.objects.count() == 1
    assert first.json()["entered_by"]["name"] == "Priya Speech"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": -30}, "minutes"),
        ({"minutes": 2000}, "minutes"),
        ({"day": "2026-12-17"}, "day"),
        ({"day": "2026-10-01"}, "day"),
        ({"status": "missed"}, "missed_reason"),
        ({"service": "nonsense"}, "service"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(world, service, change, field):
    url = f"{API}/students/{world.child.pk}/service-sessions"
    data = {
        "service": str(service.lineage_id),
        "day": "2026-12-15",
        "minutes": 30,
        "status": "delivered",
    }
    answer = post(token_client(world.provider), url, {**data, **change})
    assert answer.status_code == 400
    assert field in answer.json()["errors"]
    assert not ServiceSession.objects.exists()


def test_bad_input_in_spanish(world, service):
    world.provider.language = "es"
    world.provider.save(update_fields=["language"])
    url = f"{API}/students/{world.child.pk}/service-sessions"
    data = {
        "service": str(service.lineage_id),
        "day": "2026-12-15",
        "minutes": 0,
        "status": "delivered",
    }
    answer = post(token_client(world.provider), url, data)
    assert answer.json()["errors"]["minutes"] == ["Escriba al menos 1 minuto."]


def test_who_may_do_what(world, service):
    url = f"{API}/students/{world.child.pk}/service-sessions"
    data = {
        "service": str(service.lineage_id),
        "day": "2026-12-15",
        "minutes": 30,
        "status": "delivered",
    }
    assert post(token_client(world.parent), url, data).status_code == 403
    assert post(token_client(world.other_parent), url, data).status_code == 404
    assert token_client(world.gen_ed_teacher).get(url).status_code == 403
    assert token_client(world.other_parent).get(url).status_code == 404
    # Another student's service: 404, as for one that does not exist.
    other = {**data, "service": "3f2b1e1e-0000-4000-8000-000000000009"}
    assert post(token_client(world.provider), url, other).status_code == 404


def test_void(world, service):
    session = log(world.provider, world.child, service, day=date(2026, 12, 15))
    url = f"{API}/students/{world.child.pk}/service-sessions/{session.pk}/void"
    assert post(token_client(world.parent), url, {"reason": "x"}).status_code == 403
    assert post(token_client(world.provider), url, {"reason": " "}).status_code == 400
    answer = post(token_client(world.provider), url, {"reason": "Wrong student"})
    assert answer.status_code == 200
    assert answer.json()["void_reason"] == "Wrong student" and answer.json()["voided_at"]
    assert post(token_client(world.provider), url, {"reason": "Again"}).status_code == 400
    missing = f"{API}/students/{world.child.pk}/service-sessions/999999/void"
    assert post(token_client(world.provider), missing, {"reason": "x"}).status_code == 404


def test_the_lists_take_a_fixed_number_of_queries(world, service, django_assert_num_queries):
    client = token_client(world.case_manager)
    base = f"{API}/students/{world.child.pk}"
    for n in range(1, 3):
        log(world.provider, world.child, service, day=date(2026, 12, n))
    counts = {}
    for path in ("/services", "/service-sessions"):
        client.get(base + path)
        with django_assert_num_queries(QUERIES[path]) as captured:
            client.get(base + path)
        counts[path] = len(captured)
    for n in range(7, 12):
        log(world.provider, world.child, service, day=date(2026, 12, n))
    for path, count in counts.items():
        with django_assert_num_queries(count):
            client.get(base + path)


# The token, the sign-in lockout's count, the student, the person's roles, their team
# membership and consents (6); the access record (1); then the services, the
# district's settings, the closures and the standing sessions (4), or the page of
# sessions with who logged them and their services' words (2). Whatever the number of
# sessions.
QUERIES = {"/services": 11, "/service-sessions": 9}
