"""The general-education teacher's home: every student he teaches who has a plan in
effect, the accommodations he provides, whether he confirmed reading the version in
effect, and the way to its plan at a glance."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from samepage import factories as f
from samepage.core.bounds import PAGE_NUMBER_INVALID
from samepage.home import views as home_views
from samepage.plans.actions import lifecycle
from samepage.plans.actions.acknowledgements import do_acknowledge
from samepage.plans.content import build_content
from samepage.plans.models import Accommodation, PlanVersion
from samepage.plans.selectors import taught_plans
from samepage.teams.actions import do_end_team_membership
from samepage.teams.models import TeamMembership

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _in_effect(world, student=None) -> PlanVersion:
    student = student or world.child
    version = f.make_plan_in_effect(student, signer=world.parent, actor=world.case_manager)
    Accommodation.objects.create(
        version=version, description="Preferential seating", applies_to="classroom"
    )
    Accommodation.objects.create(
        version=version, description="Tests in a quiet room", applies_to="testing"
    )
    version.content = build_content(version)
    version.save(update_fields=["content"])
    return version


def _taught_student(world, first: str, last: str):
    """Another student of the school whom Gina teaches, with Alice as guardian."""
    student = f.make_student(world.school, legal_first_name=first, legal_last_name=last)
    f.make_guardian(student, world.parent)
    f.add_to_team(student, world.case_manager, f.TeamRole.CASE_MANAGER)
    f.add_to_team(student, world.gen_ed_teacher, f.TeamRole.GENERAL_ED_TEACHER)
    return student


def test_teacher_sees_the_accommodations_he_provides_grouped_by_where(world):
    version = _in_effect(world)
    html = _client(world.gen_ed_teacher).get("/home/").content.decode()
    assert "Students you teach who have a plan" in html
    assert "Casey Lane" in html
    # Grouped like the glance: in class, on tests, both.
    assert html.index("In class<") < html.index("Preferential seating")
    assert html.index("Preferential seating") < html.index("On tests<")
    assert html.index("On tests<") < html.index("Tests in a quiet room")
    assert html.index("In class and on tests<") < html.index("Extra time on tests")
    assert f'href="/plans/{version.plan_id}/glance/"' in html
    assert "Not confirmed yet" in html
    # The caseload table of other staff is not the teacher's page.
    assert "Your caseload" not in html


def test_home_says_when_the_teacher_confirmed_reading_the_version_in_effect(world):
    version = _in_effect(world)
    do_acknowledge(version, actor=world.gen_ed_teacher)
    html = _client(world.gen_ed_teacher).get("/home/").content.decode()
    assert "You confirmed you read this version on" in html
    assert "Not confirmed yet" not in html


def test_a_new_version_in_effect_asks_the_teacher_again(world):
    version = _in_effect(world)
    do_acknowledge(version, actor=world.gen_ed_teacher)
    f.amend_into_effect(version, actor=world.case_manager, signer=world.parent)
    html = _client(world.gen_ed_teacher).get("/home/").content.decode()
    assert "Tests read aloud" in html
    assert "Not confirmed yet" in html
    assert html.count('class="card taught-plan"') == 1


def test_only_plans_in_effect_of_students_he_teaches_are_listed(world):
    _in_effect(world)
    # A draft, an ended plan, and a plan of a student he does not teach: none listed.
    drafting = _taught_student(world, "Dana", "Draft")
    f.make_plan(drafting, world.case_manager)
    ended = _taught_student(world, "Eli", "Ended")
    ended_version = _in_effect(world, ended)
    lifecycle.do_end_plan(ended_version.plan, actor=world.case_manager, reason="Moved away.")
    f.add_to_team(world.other_child, world.case_manager, f.TeamRole.CASE_MANAGER)
    f.make_plan_in_effect(world.other_child, signer=world.other_parent, actor=world.case_manager)
    html = _client(world.gen_ed_teacher).get("/home/").content.decode()
    assert "Casey Lane" in html
    assert "Dana Draft" not in html
    assert "Eli Ended" not in html
    assert "Drew Moss" not in html
    assert html.count('class="card taught-plan"') == 1


def test_a_teacher_no_longer_on_the_team_no_longer_sees_the_plan(world):
    _in_effect(world)
    membership = TeamMembership.objects.get(
        student=world.child, user=world.gen_ed_teacher, end_date__isnull=True
    )
    do_end_team_membership(membership, actor=world.case_manager)
    assert list(taught_plans(world.gen_ed_teacher)) == []
    html = _client(world.gen_ed_teacher).get("/home/").content.decode()
    assert "Casey Lane" not in html
    assert "None of the students you teach has a plan in effect" in html


def test_other_staff_do_not_get_taught_plans(world):
    _in_effect(world)
    assert list(taught_plans(world.case_manager)) == []
    assert list(taught_plans(world.parent)) == []
    html = _client(world.case_manager).get("/home/").content.decode()
    assert "Your caseload" in html
    assert "Students you teach who have a plan" not in html


def test_every_glance_link_on_the_home_opens_for_the_teacher(world):
    _in_effect(world)
    _in_effect(world, _taught_student(world, "Finn", "Second"))
    client = _client(world.gen_ed_teacher)
    html = client.get("/home/").content.decode()
    links = set(re.findall(r'href="(/plans/\d+/glance/)"', html))
    assert len(links) == 2
    for link in links:
        assert client.get(link).status_code == 200


def test_the_list_comes_a_page_at_a_time(world, monkeypatch):
    monkeypatch.setattr(home_views, "TAUGHT_PER_PAGE", 2)
    _in_effect(world)
    _in_effect(world, _taught_student(world, "Ann", "Able"))
    _in_effect(world, _taught_student(world, "Zoe", "Zed"))
    client = _client(world.gen_ed_teacher)
    first = client.get("/home/").content.decode()
    assert "Ann Able" in first and "Casey Lane" in first and "Zoe Zed" not in first
    assert "Page 1 of 2" in first
    second = client.get("/home/?page=2").content.decode()
    assert "Zoe Zed" in second and "Ann Able" not in second
    # A number past the end shows the last page; one that is not a page number is a
    # 400 that says what to send (core.bounds.page_of), never a 500.
    banana = client.get("/home/?page=banana")
    assert banana.status_code == 400
    assert str(PAGE_NUMBER_INVALID) in banana.content.decode()
    assert "Zoe Zed" in client.get("/home/?page=99").content.decode()


def test_home_query_count_is_pinned_and_does_not_grow_with_students(world):
    _in_effect(world)
    client = _client(world.gen_ed_teacher)
    client.get("/home/")  # warm per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        client.get("/home/")
    for first in ("Gus", "Hal", "Ivy"):
        version = _in_effect(world, _taught_student(world, first, "More"))
        do_acknowledge(version, actor=world.gen_ed_teacher)
    with CaptureQueriesContext(connection) as four:
        response = client.get("/home/")
    assert response.content.decode().count('class="card taught-plan"') == 4
    assert len(four) == len(one)
    assert len(one) <= PINNED_HOME_QUERIES


# Session, user, roles, the count and the page of plans, their labels, the follow-ups
# of the problem-solving log the teacher owns (one), and the page's "new messages": the
# students' districts and the teacher's reaches (memberships, consents); a teacher who
# reads some of the students' messages adds one query over their threads. Measured 10
# before the new-message markers, 13 with them. Raise it only with a reason: a number
# that grows with students is an N+1.
PINNED_HOME_QUERIES = 13


def test_teacher_home_in_spanish(world):
    _in_effect(world)
    world.gen_ed_teacher.language = "es"
    world.gen_ed_teacher.save(update_fields=["language"])
    html = _client(world.gen_ed_teacher).get("/home/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Estudiantes a quienes usted enseña que tienen un plan" in html
    assert "Adaptaciones que usted proporciona" in html


def test_demo_teacher_sees_jamie_with_an_unconfirmed_plan_and_follows_it(db):
    from samepage.home.demo import seed

    seed()
    from samepage.accounts.models import User

    david = User.objects.get(email="david.brooks@riverbend.example")
    client = _client(david)
    html = client.get("/home/").content.decode()
    assert "Jamie" in html
    assert "Not confirmed yet" in html
    assert "Accommodations you provide" in html
    rows = list(taught_plans(david))
    assert rows and all(r.acknowledged_at is None for r in rows)  # type: ignore[attr-defined]
    assert rows[0].content and rows[0].content.get("accommodations")
    # His way on: the glance link, which shows Jamie's profile and the disputed entry.
    glance = re.search(r'href="(/plans/\d+/glance/)"', html)
    assert glance is not None
    page = client.get(glance.group(1))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Sudden changes to the schedule" in text
    assert "A quiet corner with his headphones" in text
    assert "He learns best when he sees it first" in text
    assert "Disputed: a correction was requested on" in text
    assert "I have read this plan at a glance" in text
