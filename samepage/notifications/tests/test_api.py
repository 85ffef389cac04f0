"""The caller's notices and preferences through the JSON API: the same rules, actions and
validation as the centre and the settings page."""

from __future__ import annotations

from datetime import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from samepage.api.tests.helpers import send_json, session_client, token_client
from samepage.notifications.kinds import CATEGORIES
from samepage.notifications.models import EmailSchedule, Notice
from samepage.notifications.preferences import channels_of, texted_categories
from samepage.notifications.tests.helpers import make_notice

pytestmark = pytest.mark.django_db

NOTICES = "/api/v1/me/notifications"
PREFERENCES = "/api/v1/me/notification-preferences"


def _choices(email: str = "each", **texts: bool) -> list[dict]:
    return [{"category": c, "email": email, "text": texts.get(c, False)} for c in CATEGORIES]


def test_my_notices_newest_first_a_page_at_a_time_in_my_language(world):
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    made = [make_notice(world.parent, world.child) for _ in range(3)]  # each older
    make_notice(world.other_parent, world.other_child)  # someone else's
    client = token_client(world.parent)
    first = client.get(NOTICES, {"limit": 2}).json()
    assert [n["id"] for n in first["items"]] == [made[0].pk, made[1].pk]
    assert first["items"][0]["title"] == "Se compartió con usted un borrador del plan de Casey"
    assert first["items"][0]["is_unread"] is True
    assert first["items"][0]["link"] == made[0].link
    second = client.get(NOTICES, {"limit": 2, "cursor": first["next"]}).json()
    assert [n["id"] for n in second["items"]] == [made[2].pk]
    assert second["next"] is None


def test_a_bad_cursor_or_limit_is_a_400_naming_it(world):
    client = token_client(world.parent)
    response = client.get(NOTICES, {"cursor": "garbage"})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]
    assert client.get(NOTICES, {"limit": 1000}).status_code == 400


def test_marking_one_and_all_read(world):
    first, second = make_notice(world.parent, world.child), make_notice(world.parent, world.child)
    client = token_client(world.parent)
    answer = send_json(client, "POST", f"{NOTICES}/{first.pk}/read")
    assert answer.status_code == 200
    assert answer.json()["is_unread"] is False
    world.parent.refresh_from_db()
    assert world.parent.unread_notice_count == 1
    assert send_json(client, "POST", f"{NOTICES}/read-all").json() == {"marked": 1}
    assert not Notice.objects.filter(pk=second.pk, read_at__isnull=True).exists()
    world.parent.refresh_from_db()
    assert world.parent.unread_notice_count == 0


def test_anothers_notice_is_a_404_and_changes_nothing(world):
    notice = make_notice(world.parent, world.child)
    client = token_client(world.other_parent)
    assert send_json(client, "POST", f"{NOTICES}/{notice.pk}/read").status_code == 404
    assert send_json(client, "POST", f"{NOTICES}/999999/read").status_code == 404
    assert Notice.objects.get(pk=notice.pk).read_at is None


def test_signing_in_is_needed(world):
    assert Client().get(NOTICES).status_code == 401
    assert Client().get(PREFERENCES).status_code == 401


def test_read_and_change_my_preferences(world):
    client = token_client(world.parent)
    before = client.get(PREFERENCES).json()
    assert before["can_text"] is True
    assert {c["category"] for c in before["categories"]} == set(CATEGORIES)
    assert before["quiet_from"] == "21:00"
    answer = send_json(
        client,
        "PUT",
        PREFERENCES,
        {
            "categories": _choices("digest", plans=True),
            "phone_number": "+1 512 555 0100",
            "quiet_from": "22:00",
            "quiet_until": "06:30",
        },
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["phone_number"] == "+15125550100"
    assert set(channels_of(world.parent).values()) == {"digest"}
    assert texted_categories(world.parent) == {"plans"}
    schedule = EmailSchedule.objects.get(user=world.parent)
    assert (schedule.quiet_from, schedule.quiet_until) == (time(22), time(6, 30))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"categories": [{"category": "everything", "email": "each"}]}, "categories"),
        ({"categories": _choices("sometimes")}, "plans"),
        ({"quiet_from": "25:00"}, "quiet_from"),
        ({"categories": _choices(plans=True), "phone_number": ""}, "phone_number"),
        ({"categories": _choices(plans=True), "phone_number": "555"}, "phone_number"),
    ],
)
def test_bad_preferences_are_a_400_field_by_field_and_save_nothing(world, change, field):
    client = token_client(world.parent)
    payload = {
        "categories": _choices(),
        "phone_number": "",
        "quiet_from": "21:00",
        "quiet_until": "07:00",
        **change,
    }
    answer = send_json(client, "PUT", PREFERENCES, payload)
    assert answer.status_code == 400
    assert field in answer.json()["errors"]
    assert not EmailSchedule.objects.filter(user=world.parent).exists()
    world.parent.refresh_from_db()
    assert world.parent.phone_number == ""


def test_staff_cannot_choose_texts_through_the_api(world):
    client = token_client(world.case_manager)
    assert client.get(PREFERENCES).json()["can_text"] is False
    answer = send_json(
        client,
        "PUT",
        PREFERENCES,
        {
            "categories": _choices(plans=True),
            "phone_number": "+15125550100",
            "quiet_from": "21:00",
            "quiet_until": "07:00",
        },
    )
    assert answer.status_code == 200
    assert texted_categories(world.case_manager) == set()
    world.case_manager.refresh_from_db()
    assert world.case_manager.phone_number == ""


def test_a_session_write_needs_the_csrf_token(world):
    client = session_client(world.parent, enforce_csrf_checks=True)
    assert send_json(client, "POST", f"{NOTICES}/read-all").status_code == 403


# Auth (token and its person), one page of notices; the same for one notice or twenty.
LIST_QUERIES = 3


def test_the_list_takes_a_fixed_number_of_queries(world):
    client = session_client(world.parent)
    make_notice(world.parent, world.child)
    client.get(NOTICES)
    with CaptureQueriesContext(connection) as one:
        client.get(NOTICES)
    for _ in range(20):
        make_notice(world.parent, world.child)
    with CaptureQueriesContext(connection) as many:
        client.get(NOTICES)
    assert len(one) == len(many) == LIST_QUERIES
