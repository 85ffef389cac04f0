"""The notification centre: a person's own notices, a page at a time, opened and read."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from samepage import factories as f
from samepage.core.bounds import PAGE_SIZE
from samepage.notifications.actions import recount_unread
from samepage.notifications.models import Notice
from samepage.notifications.tests.helpers import make_notice
from samepage.plans.actions import lifecycle

pytestmark = pytest.mark.django_db

QUERIES_CENTRE = 6


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_centre_lists_ones_own_notices_newest_first_with_unread_marked(world):
    older = make_notice(world.parent, world.child, params={"student": "Casey", "actor": "X"})
    newer = make_notice(
        world.parent,
        world.child,
        kind="plan.in_effect",
        created_at=older.created_at.replace(year=older.created_at.year + 1),
    )
    older.read_at = older.created_at
    older.save(update_fields=["read_at"])
    make_notice(world.other_parent, world.other_child, kind="plan.finalized")
    body = _client(world.parent).get("/notifications/").content.decode()
    assert body.index("Casey&#x27;s plan is now in effect") < body.index(
        "A draft of Casey&#x27;s plan was shared with you"
    )
    assert "ready for signatures" not in body  # another family's notice
    assert body.count('class="card notice-unread"') == 1
    assert f"/notifications/{newer.pk}/open/" in body


def test_the_centre_is_paginated(world):
    for _ in range(PAGE_SIZE + 3):
        make_notice(world.parent, world.child)
    client = _client(world.parent)
    first = client.get("/notifications/").content.decode()
    assert first.count('action="/notifications/') == PAGE_SIZE + 1  # + "mark all read"
    assert "Next page" in first
    second = client.get("/notifications/?page=2").content.decode()
    assert second.count("/open/") == 3
    assert client.get("/notifications/?page=x").status_code == 400


def test_opening_marks_read_and_goes_to_the_page_to_act_on(world):
    notice = make_notice(world.parent, world.child)
    response = _client(world.parent).post(f"/notifications/{notice.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == f"/students/{world.child.pk}/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_another_persons_notice_is_404_and_stays_unread(world):
    notice = make_notice(world.parent, world.child)
    for person in (world.other_parent, world.case_manager, world.district_admin):
        assert _client(person).post(f"/notifications/{notice.pk}/open/").status_code == 404
    assert _client(world.parent).post("/notifications/999999/open/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_opening_is_post_only_and_needs_sign_in(world):
    notice = make_notice(world.parent, world.child)
    assert _client(world.parent).get(f"/notifications/{notice.pk}/open/").status_code == 405
    assert Client().get("/notifications/").status_code == 302


def test_a_stored_link_to_another_site_is_never_followed(world):
    notice = make_notice(world.parent, world.child, link="https://evil.example/")
    response = _client(world.parent).post(f"/notifications/{notice.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_mark_all_read_touches_only_ones_own(world):
    mine = [make_notice(world.parent, world.child) for _ in range(3)]
    theirs = make_notice(world.other_parent, world.other_child)
    response = _client(world.parent).post("/notifications/read-all/")
    assert response.status_code == 302
    assert not Notice.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_header_shows_the_unread_count_on_every_page(world):
    for _ in range(3):
        make_notice(world.parent, world.child)
    client = _client(world.parent)
    body = client.get("/home/").content.decode()
    assert 'href="/notifications/"' in body
    assert '<span class="count-badge">3<span class="visually-hidden"> unread' in body
    client.post("/notifications/read-all/")
    assert "count-badge" not in client.get("/home/").content.decode()
    # Everyone signed in reaches the centre from the header, whatever their role.
    for person in (world.case_manager, world.advocate, world.student_user):
        assert 'href="/notifications/"' in _client(person).get("/home/").content.decode()


def test_the_unread_count_stops_at_99_plus(world):
    Notice.objects.bulk_create(
        [
            Notice(
                recipient=world.parent,
                kind="plan.draft_shared",
                student=world.child,
                target_type_id=make_notice(world.other_parent, world.child).target_type_id,
                target_id=world.child.pk,
                link="/home/",
                params={},
                key=f"bulk:{i}",
            )
            for i in range(105)
        ]
    )
    recount_unread(world.parent.pk)
    body = _client(world.parent).get("/notifications/").content.decode()
    assert '<span class="count-badge">99+' in body


def test_the_centre_shows_spanish_to_a_spanish_reader(world):
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    make_notice(world.parent, world.child)
    client = _client(world.parent)
    client.cookies["django_language"] = "es"
    body = client.get("/notifications/").content.decode()
    assert "Se compartió con usted un borrador del plan de Casey" in body
    assert "Marcar todo como leído" in body


def test_the_centres_queries_do_not_grow_with_its_notices(world):
    client = _client(world.parent)
    for _ in range(3):
        make_notice(world.parent, world.child)
    client.get("/notifications/")  # warm the content-type and session caches
    with CaptureQueriesContext(connection) as three:
        assert client.get("/notifications/").status_code == 200
    for _ in range(27):
        make_notice(world.parent, world.child)
    with CaptureQueriesContext(connection) as thirty:
        assert client.get("/notifications/").status_code == 200
    assert len(thirty) == len(three)
    # Session, person, the menu's roles, the page (one row past it); the unread count
    # is the person's stored count, no query.
    assert len(three) <= QUERIES_CENTRE


def test_the_stored_unread_count_follows_new_opened_and_read_notices(
    world, django_capture_on_commit_callbacks
):
    plan = f.make_plan(world.child, actor=world.case_manager)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.do_share_draft(f.fill_plan(plan), actor=world.case_manager)
    world.parent.refresh_from_db()
    assert world.parent.unread_notice_count == 1
    make_notice(world.parent, world.child)
    notice = Notice.objects.filter(recipient=world.parent).earliest("pk")
    client = _client(world.parent)
    client.post(f"/notifications/{notice.pk}/open/")
    client.post(f"/notifications/{notice.pk}/open/")  # twice: counted once
    world.parent.refresh_from_db()
    assert world.parent.unread_notice_count == 1
    client.post("/notifications/read-all/")
    world.parent.refresh_from_db()
    assert world.parent.unread_notice_count == 0


def test_names_in_a_title_are_shown_as_text_never_run(world):
    make_notice(
        world.parent,
        world.child,
        kind="team.member_added",
        params={"student": "Casey", "member": '<script>alert("x")</script>'},
    )
    body = _client(world.parent).get("/notifications/").content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body
