"""Read receipts on quick updates: left by opening the timeline, shown to staff only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samepage.updates import actions
from samepage.updates.models import QuickUpdateSeen
from samepage.updates.tests.helpers import access_of, advocate_with, client_for, note, post

pytestmark = pytest.mark.django_db


def _timeline(world, user, **query):
    response = client_for(user).get(reverse("updates:timeline", args=[world.child.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def _readers(update) -> list[str]:
    return sorted(r.user.display_name for r in QuickUpdateSeen.objects.filter(update=update))


def test_opening_the_timeline_leaves_one_receipt_for_the_reader_not_the_writer(world):
    update = post(world.case_manager, world.child)
    _timeline(world, world.case_manager)
    assert _readers(update) == []
    _timeline(world, world.parent)
    first = QuickUpdateSeen.objects.get(update=update)
    assert first.user == world.parent
    _timeline(world, world.parent)
    # Twice is still one receipt, and the first time stays.
    again = QuickUpdateSeen.objects.get(update=update)
    assert again.pk == first.pk and again.seen_at == first.seen_at
    _timeline(world, world.provider)
    assert _readers(update) == ["Alice Lane", "Priya Speech"]


def test_no_receipt_for_a_withdrawn_update_or_one_the_page_did_not_show(world):
    withdrawn = post(world.case_manager, world.child, text="Oops")
    actions.do_withdraw_update(
        withdrawn, actor=world.case_manager, access=access_of(world.case_manager, world.child)
    )
    hidden = post(world.case_manager, world.child, text="Not on this page")
    note(world.parent, world.child)
    _timeline(world, world.parent, show="notes")
    assert _readers(hidden) == []
    _timeline(world, world.parent)
    assert _readers(hidden) == ["Alice Lane"]
    assert _readers(withdrawn) == []


def test_staff_see_who_saw_it_and_when_in_their_own_zone(world):
    update = post(world.case_manager, world.child)
    _timeline(world, world.parent)
    QuickUpdateSeen.objects.filter(update=update).update(
        seen_at=datetime(2026, 12, 3, 18, 4, tzinfo=UTC)
    )
    world.case_manager.time_zone = "America/Los_Angeles"
    world.case_manager.save(update_fields=["time_zone"])
    assert "Seen by Alice Lane, 3 Dec 10:04" in _timeline(world, world.case_manager)
    # Any staff member who may post updates sees it; in Spanish with Spanish month names.
    world.provider.language = "es"
    world.provider.time_zone = "UTC"
    world.provider.save(update_fields=["language", "time_zone"])
    assert "Visto por Alice Lane, 3 Dic 18:04" in _timeline(world, world.provider)


def test_the_family_and_advocates_see_no_receipts(world):
    post(world.case_manager, world.child)
    _timeline(world, world.provider)
    for reader in (world.parent, advocate_with(world, "Mia Messages", ["messages"])):
        page = _timeline(world, reader)
        assert "Casey read two pages" in page
        assert "Seen by" not in page and "Priya Speech" not in page


def test_the_action_refuses_an_access_that_is_not_the_actors(world):
    update = post(world.case_manager, world.child)
    with pytest.raises(PermissionDenied):
        actions.do_mark_updates_seen(
            [update], actor=world.other_parent, access=access_of(world.parent, world.child)
        )
    with pytest.raises(PermissionDenied):
        actions.do_mark_updates_seen([update], actor=world.parent, access=None)
    assert _readers(update) == []


def _url(world, rest: str) -> str:
    return f"/api/v1/students/{world.child.pk}/{rest}"


def test_the_api_leaves_receipts_and_gives_seen_by_to_staff_only(world):
    update = post(world.case_manager, world.child)
    family = client_for(world.parent)
    listed = family.get(_url(world, "updates")).json()["items"][0]
    assert listed["seen_by"] is None
    assert _readers(update) == ["Alice Lane"]
    timeline_entry = family.get(_url(world, "timeline")).json()["items"][0]
    assert timeline_entry["kind"] == "update" and timeline_entry["seen_by"] is None
    staff = client_for(world.case_manager)
    seen = staff.get(_url(world, "updates")).json()["items"][0]["seen_by"]
    assert [s["name"] for s in seen] == ["Alice Lane"] and seen[0]["seen_at"]
    entry = staff.get(_url(world, "timeline")).json()["items"][0]
    assert [s["name"] for s in entry["seen_by"]] == ["Alice Lane"]
    messaging = advocate_with(world, "Mia Messages", ["messages"])
    assert client_for(messaging).get(_url(world, "updates")).json()["items"][0]["seen_by"] is None


def _staff_timeline_queries(world, count: int) -> int:
    for i in range(count):
        post(world.case_manager, world.child, text=f"U{i}")
    _timeline(world, world.parent)
    _timeline(world, world.provider)
    client = client_for(world.case_manager)
    url = reverse("updates:timeline", args=[world.child.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert (
        response.content.decode().count("Seen by Alice Lane")
        == QuickUpdateSeen.objects.filter(user=world.parent).count()
    )
    return len(queries)


def test_receipts_cost_one_query_for_the_page_however_many_updates(world):
    few = _staff_timeline_queries(world, 3)
    many = _staff_timeline_queries(world, 27)
    assert few == many
