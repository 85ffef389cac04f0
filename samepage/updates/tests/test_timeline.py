"""The timeline: order, keyset pages, what each reader may see, constant queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samepage import factories as f
from samepage.concerns.actions import check_add_concern, check_decline_concern
from samepage.concerns.permissions import concern_access_for
from samepage.conversations.tests.helpers import private, staff_thread, to_team
from samepage.plans.actions import lifecycle
from samepage.updates.models import HomeNote, QuickUpdate
from samepage.updates.selectors import tag_choices
from samepage.updates.tests.helpers import access_of, advocate_with, client_for, note, post
from samepage.updates.timeline import timeline_page

pytestmark = pytest.mark.django_db


def _kinds(user, student, **kwargs) -> list[str]:
    return [e.kind for e in timeline_page(access_of(user, student), **kwargs).entries]


def _at(row, minutes_ago: int) -> None:
    type(row).objects.filter(pk=row.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_newest_first_across_kinds(world):
    first = post(world.case_manager, world.child, text="First")
    second = note(world.parent, world.child, text="Second")
    third = post(world.provider, world.child, text="Third")
    _at(first, 30)
    _at(second, 20)
    _at(third, 10)
    entries = timeline_page(access_of(world.parent, world.child)).entries
    assert [e.row.text for e in entries] == ["Third", "Second", "First"]


def test_pages_follow_one_another_without_gaps_or_repeats(world):
    made: list[Any] = []
    for i in range(7):
        made.append(post(world.case_manager, world.child, text=f"Update {i}"))
        made.append(note(world.parent, world.child, text=f"Note {i}"))
    # Two rows at the very same moment: the order still names one place for each.
    same = timezone.now() - timedelta(hours=1)
    QuickUpdate.objects.filter(pk=made[4].pk).update(created_at=same)
    HomeNote.objects.filter(pk=made[5].pk).update(created_at=same)
    access = access_of(world.parent, world.child)
    everything = [(e.kind, e.pk) for e in timeline_page(access, limit=100).entries]
    assert len(everything) == 14
    walked: list[tuple[str, int]] = []
    cursor = None
    while True:
        page = timeline_page(access, cursor=cursor, limit=4)
        walked.extend((e.kind, e.pk) for e in page.entries)
        if page.next is None:
            break
        cursor = page.next
    assert walked == everything


def test_a_cursor_that_is_not_the_timelines_is_refused(world):
    access = access_of(world.parent, world.child)
    with pytest.raises(ValidationError):
        timeline_page(access, cursor="garbage")
    for _i in range(3):
        post(world.case_manager, world.child)
    cursor = timeline_page(access, limit=1).next
    # Another child's reader cannot use it to reach this child's rows.
    with pytest.raises(ValidationError):
        timeline_page(access_of(world.other_parent, world.other_child), cursor=cursor)
    response = client_for(world.parent).get(
        reverse("updates:timeline", args=[world.child.pk]), {"cursor": "garbage"}
    )
    assert response.status_code == 400


def _plan_world(world):
    """A plan in effect, an amendment shared with an answered question, a declined
    concern, and the next draft never shared."""
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    amendment = lifecycle.do_start_amendment(
        version.plan,
        actor=world.case_manager,
        reason="More",
        parts=["services"],
        effective_date=world.today,
    )
    shared = lifecycle.do_share_draft(amendment, actor=world.case_manager)
    question = lifecycle.do_ask_question(shared, actor=world.parent, anchor="plan", text="Why?")
    lifecycle.do_reply(question, actor=world.case_manager, text="Because.", by_staff=True)
    lifecycle.do_reply(question, actor=world.parent, text="Thanks?", by_staff=False)
    concern = check_add_concern(
        world.child,
        actor=world.parent,
        access=concern_access_for(world.parent, world.child),
        category="reading",
        text="Reading is hard.",
        importance="high",
    )
    check_decline_concern(
        concern,
        actor=world.case_manager,
        access=concern_access_for(world.case_manager, world.child),
        reason="Not now",
    )
    return version


def test_plan_events_reach_those_with_the_plans_part_only(world):
    _plan_world(world)
    plan_events = {"draft_shared", "question_answered", "concern_decided", "plan_in_effect"}
    for reader in (world.parent, world.case_manager, advocate_with(world, "Pat", ["plans"])):
        kinds = _kinds(reader, world.child)
        assert set(kinds) == plan_events, reader
        # The family's follow-up is not an answer: one answered question.
        assert kinds.count("question_answered") == 1
    messages_only = advocate_with(world, "Mia Messages", ["messages"])
    post(world.case_manager, world.child)
    assert _kinds(messages_only, world.child) == ["update"]
    # The minor student reads the plan's news but not messages.
    assert set(_kinds(world.student_user, world.child)) == plan_events


def test_an_unshared_draft_never_appears(world):
    plan = f.make_plan(world.child, world.case_manager)
    f.fill_plan(plan)
    for reader in (world.parent, world.case_manager):
        assert _kinds(reader, world.child) == []
    response = client_for(world.parent).get(reverse("updates:timeline", args=[world.child.pk]))
    assert response.status_code == 200
    assert reverse("plans:detail", args=[plan.pk]) not in response.content.decode()


def test_filters_by_kind(world):
    _plan_world(world)
    post(world.case_manager, world.child)
    note(world.parent, world.child)
    assert _kinds(world.parent, world.child, groups=["notes"]) == ["home_note"]
    assert "update" not in _kinds(world.parent, world.child, groups=["plan"])
    response = client_for(world.parent).get(
        reverse("updates:timeline", args=[world.child.pk]), {"show": "notes"}
    )
    assert response.status_code == 200
    assert "Rough night" in response.content.decode()
    assert "Casey read two pages" not in response.content.decode()


def _timeline_queries(world, count: int) -> int:
    goal = [next(c.value for c in tag_choices(world.child) if c.kind == "goal")]
    for i in range(count):
        post(world.case_manager, world.child, text=f"U{i}", tags=goal)
        note(world.parent, world.child, text=f"N{i}")
        to_team(world.parent, world.child, body=f"M{i}")
    client = client_for(world.parent)
    url = reverse("updates:timeline", args=[world.child.pk])
    client.get(url)  # the session and anything cached per process
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_timeline_costs_the_same_queries_for_a_few_and_30_entries(world):
    # Updates tagged to a goal, home notes, messages, and the plan's events beside them.
    _plan_world(world)
    few = _timeline_queries(world, 1)
    many = _timeline_queries(world, 10)
    assert few == many
    # 19: the 19 this page cost before read receipts, the one INSERT that leaves the
    # parent's receipts for every update the page shows (all at once, conflicts ignored)
    # and the record nav's unread-messages badge, less the 2 saved when the person's
    # roles became one query. Staff readers pay one SELECT for the page's receipts
    # instead of the INSERT (test_receipts.py).
    assert few == 19


def test_messages_appear_only_from_threads_the_reader_may_read(world):
    to_team(world.parent, world.child, body="Hello from home")
    staff_thread(world.case_manager, world.child, body="Staff only words")
    private(world.case_manager, world.child, world.provider, body="Just us two")
    parent_sees = [e.row.body for e in timeline_page(access_of(world.parent, world.child)).entries]
    assert parent_sees == ["Hello from home"]
    messaging = advocate_with(world, "Mia Messages", ["messages"])
    assert _kinds(messaging, world.child) == ["message"]
    staff_sees = {e.row.body for e in timeline_page(access_of(world.provider, world.child)).entries}
    assert staff_sees == {"Hello from home", "Staff only words", "Just us two"}
    html = client_for(world.parent).get(reverse("updates:timeline", args=[world.child.pk]))
    assert "Staff only words" not in html.content.decode()
    assert "Hello from home" in html.content.decode()
