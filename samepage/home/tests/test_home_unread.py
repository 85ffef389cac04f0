""" "New since your last visit" on the staff homes: each student of the caseload (and
each taught student) says how many messages the reader has not read, linked to that
student's conversations, for the whole page in a fixed number of queries. Counts come
from the threads the permission layer lets the reader read, never others."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samepage import factories as f
from samepage.conversations.selectors import unread_by_student
from samepage.conversations.tests.helpers import private, reply, staff_thread, to_team
from samepage.notifications.tests.helpers import grant_consent
from samepage.plans.content import build_content
from samepage.plans.models import Accommodation
from samepage.teams.models import Capability, TeamMembership

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _conversations(student) -> str:
    return reverse("conversations:list", args=[student.pk])


def _caseload_with_messages(world, count: int, last: str) -> None:
    """``count`` more students on Carol's caseload, each with a parent who wrote twice
    to the team thread."""
    for n in range(count):
        student = f.make_student(world.school, legal_first_name=f"Kid{n:02d}", legal_last_name=last)
        parent = f.make_user(f"Family {last} {n:02d}")
        f.make_guardian(student, parent)
        f.add_to_team(student, world.case_manager, f.TeamRole.CASE_MANAGER)
        to_team(parent, student, "A question from home")
        to_team(parent, student, "And one more")


def test_the_caseload_says_how_many_messages_are_new_for_each_student(world):
    to_team(world.parent, world.child, "Casey had a rough night")
    to_team(world.parent, world.child, "She is better this morning")
    html = _client(world.case_manager).get("/home/").content.decode()
    assert "2 new messages" in html
    assert f'href="{_conversations(world.child)}"' in html
    # The link names the student for a screen reader going from link to link.
    assert '<span class="visually-hidden"> — Casey Lane</span>' in html


def test_reading_the_thread_clears_the_marker(world):
    message = to_team(world.parent, world.child, "A question")
    client = _client(world.case_manager)
    assert "1 new message" in client.get("/home/").content.decode()
    client.get(reverse("conversations:thread", args=[world.child.pk, message.thread_id]))
    assert "new message" not in client.get("/home/").content.decode()


def test_ones_own_messages_are_never_new(world):
    to_team(world.case_manager, world.child, "Welcome, everyone")
    assert unread_by_student(world.case_manager, [world.child.pk]) == {}


def test_the_caseload_costs_the_same_queries_for_3_students_with_messages_and_for_30(world):
    client = _client(world.case_manager)
    _caseload_with_messages(world, 3, "Zed")
    client.get("/home/")  # warm per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        html = client.get("/home/").content.decode()
    assert html.count("2 new messages") == 3
    _caseload_with_messages(world, 27, "Zz")
    with CaptureQueriesContext(connection) as many:
        html = client.get("/home/").content.decode()
    # A page of the caseload (core.bounds.PAGE_SIZE rows) whatever its length.
    assert html.count("2 new messages") >= 20
    assert len(many) == len(few) == PINNED_CASELOAD_QUERIES


# Session, user, roles (one query: schools.roles), the caseload's count and page, the
# overdue reviews, the follow-ups and new home notes, the schools whose progress reports
# they draft (12 before the markers), then the
# unread counts: the students' accesses (one query per way Carol reaches them:
# memberships, consents) and one query over all their readable threads (15); then
# "Needs your attention" over the whole caseload (teams/attention.py): Carol's
# memberships and consents once for every part asked, and one query per kind (six
# kinds), whatever the caseload's length (home/tests/test_attention.py pins 10 vs 300).
# Raise it only with a reason: a number that grows with students is an N+1.
PINNED_CASELOAD_QUERIES = 15 + 2 + 6


def test_staff_only_messages_count_only_for_staff_who_may_see_them(world):
    staff_thread(world.case_manager, world.child, body="Staff only: behaviour plan")
    grant_consent(world, world.advocate, ["messages"])
    assert unread_by_student(world.provider, [world.child.pk]) == {world.child.pk: 1}
    assert unread_by_student(world.school_leader, [world.child.pk]) == {world.child.pk: 1}
    for family in (world.parent, world.advocate, world.student_user):
        assert unread_by_student(family, [world.child.pk]) == {}
    assert "new message" not in _client(world.parent).get("/home/").content.decode()


def test_a_private_thread_counts_only_for_its_two_people(world):
    private(world.case_manager, world.child, world.provider, "Between the two of us")
    assert unread_by_student(world.provider, [world.child.pk]) == {world.child.pk: 1}
    assert unread_by_student(world.school_leader, [world.child.pk]) == {}
    assert unread_by_student(world.parent, [world.child.pk]) == {}


def test_families_and_advocates_count_only_the_threads_they_read(world):
    team = to_team(world.case_manager, world.child, "Welcome to Casey's team")
    reply(world.case_manager, team.thread, "Our first meeting is on Monday")
    staff_thread(world.case_manager, world.child, body="Staff only")
    private(world.case_manager, world.child, world.provider, "Between us")
    assert unread_by_student(world.parent, [world.child.pk]) == {world.child.pk: 2}
    # An advocate without consent to the messages sees no count at all, then the team's.
    assert unread_by_student(world.advocate, [world.child.pk]) == {}
    grant_consent(world, world.advocate, ["messages"])
    assert unread_by_student(world.advocate, [world.child.pk]) == {world.child.pk: 2}
    # Someone who does not see the student, asking for it, learns nothing.
    assert unread_by_student(world.other_parent, [world.child.pk]) == {}
    assert unread_by_student(world.outsider_admin, [world.child.pk]) == {}
    html = _client(world.parent).get("/home/").content.decode()
    assert "2 new messages since your last visit" in html


def test_the_count_agrees_with_the_student_page(world):
    to_team(world.parent, world.child, "Hello")
    staff_thread(world.provider, world.child)
    private(world.parent, world.child, world.case_manager)
    counts = unread_by_student(world.case_manager, [world.child.pk, world.other_child.pk])
    assert counts == {world.child.pk: 3}


def _in_effect(world) -> None:
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    Accommodation.objects.create(
        version=version, description="Preferential seating", applies_to="classroom"
    )
    version.content = build_content(version)
    version.save(update_fields=["content"])


def test_the_teacher_sees_new_messages_only_with_the_messages_part(world):
    _in_effect(world)
    to_team(world.parent, world.child, "Homework question")
    client = _client(world.gen_ed_teacher)
    # Gina reads the plan at a glance but not the conversations: no count.
    assert "new message" not in client.get("/home/").content.decode()
    membership = TeamMembership.objects.get(student=world.child, user=world.gen_ed_teacher)
    membership.capabilities = [*membership.capabilities, Capability.MESSAGE_FAMILY]
    membership.save(update_fields=["capabilities"])
    html = client.get("/home/").content.decode()
    assert "1 new message" in html
    assert f'href="{_conversations(world.child)}"' in html


def test_the_marker_in_spanish(world):
    to_team(world.parent, world.child, "Una pregunta")
    to_team(world.parent, world.child, "Y otra")
    world.case_manager.language = "es"
    world.case_manager.save(update_fields=["language"])
    html = _client(world.case_manager).get("/home/", HTTP_ACCEPT_LANGUAGE="es")
    assert "2 mensajes nuevos" in html.content.decode()


def test_a_familys_home_costs_the_same_queries_for_one_child_and_for_three(world):
    to_team(world.case_manager, world.child, "Welcome to the team")
    client = _client(world.parent)
    client.get("/home/")  # warm per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        html = client.get("/home/").content.decode()
    assert html.count("new message since your last visit") == 1
    for n in range(2):
        sibling = f.make_student(world.school, legal_first_name=f"Sib{n}", legal_last_name="Lane")
        f.make_guardian(sibling, world.parent)
        f.add_to_team(sibling, world.case_manager, f.TeamRole.CASE_MANAGER)
        to_team(world.case_manager, sibling, "Hello from school")
        to_team(world.case_manager, sibling, "And again")
    with CaptureQueriesContext(connection) as three:
        html = client.get("/home/").content.decode()
    assert html.count("new message since your last visit") == 1
    assert html.count("2 new messages since your last visit") == 2
    # The children's unread counts come together (their accesses, one query per way the
    # parent reaches them, and one over their threads), not three queries per child,
    # and each child's district comes with the child.
    assert len(three) == len(one) == PINNED_FAMILY_HOME_QUERIES


# Session, user and roles (one query) are three of them.
PINNED_FAMILY_HOME_QUERIES = 9
