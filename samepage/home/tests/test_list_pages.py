"""Every HTML list comes a page at a time, in the same number of queries however long
it is: the school leader's students, the caseload, the people page, the advocate's
families, the student and plan lists (core.bounds.paginate)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samepage import factories as f
from samepage.core import bounds
from samepage.core.bounds import PAGE_NUMBER_INVALID, PeekPaginator, paginate
from samepage.schools.models import Student
from samepage.teams import actions as team_actions
from samepage.teams.permissions import student_access

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _students(world, count: int, *, school=None, last: str = "Zed") -> list[Student]:
    """``count`` more students at the school, each with a guardian, on Carol's caseload,
    and a plan, named so they sort after the world's own (Lane, Moss)."""
    made = []
    for n in range(count):
        student = f.make_student(
            school or world.school, legal_first_name=f"Kid{n:02d}", legal_last_name=last
        )
        # Families sort first on the people page (by the person's name).
        f.make_guardian(student, f.make_user(f"Aaa Family {last} {n:02d}"))
        f.add_to_team(student, world.case_manager, f.TeamRole.CASE_MANAGER)
        f.make_plan(student, actor=world.case_manager)
        made.append(student)
    return made


def _grants(world, count: int, start: int = 0) -> None:
    """``count`` more families who shared a child's record with Ada the advocate."""
    today = timezone.localdate()
    for n in range(start, start + count):
        student = f.make_student(
            world.school, legal_first_name=f"Kid{n:02d}", legal_last_name="Zed"
        )
        parent = f.make_user(f"Zed Family {n:02d}")
        f.make_guardian(student, parent)
        team_actions.check_grant_consent(
            actor=parent,
            student=student,
            access=student_access(parent, student),
            grantee_email=world.advocate.email,
            scopes=["plans"],
            purpose="Help at the annual meeting",
            starts_on=today,
            # Later children's grants last longer, so they are listed first.
            expires_on=today + timedelta(days=30 + n),
            signature_name=parent.full_name,
            consent_confirmed=True,
        )


# Who looks at which list.
LISTS = {
    "leader home": ("school_leader", "/home/"),
    "caseload": ("case_manager", "/home/"),
    "people": ("district_admin", "/accounts/people/"),
    "students": ("district_admin", "/students/"),
    "plans": ("district_admin", "/plans/"),
}


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_the_same_queries_for_3_rows_and_for_30(world, name):
    role, url = LISTS[name]
    client = _client(getattr(world, role))
    _students(world, 3)
    few = _queries(client, url)
    _students(world, 27, last="Zz")
    many = _queries(client, url)
    assert many == few


@pytest.mark.parametrize("name", LISTS)
def test_the_second_page_shows_the_next_rows_and_a_page_holds_at_most_the_page_size(
    world, name, monkeypatch
):
    role, url = LISTS[name]
    _students(world, 4)
    monkeypatch.setattr(bounds, "PAGE_SIZE", 2)
    client = _client(getattr(world, role))
    first = client.get(url).content.decode()
    sep = "&" if "?" in url else "?"
    second = client.get(f"{url}{sep}page=2").content.decode()

    # Rows in the order the list shows them: people by the family's name, the rest by
    # the child's.
    def shown(html: str) -> list[int]:
        label = "Aaa Family Zed {:02d}" if name == "people" else "Kid{:02d} Zed"
        if name == "caseload":
            # "Needs your attention" above it names students from every page (their
            # drafts not yet shared): the page is the table below it.
            html = html[html.index('aria-label="Your caseload"') :]
        return [n for n in range(4) if label.format(n) in html]

    shown_first, shown_second = shown(first), shown(second)
    assert len(shown_first) <= 2 and len(shown_second) <= 2
    assert shown_second and set(shown_second).isdisjoint(shown_first)
    assert min(shown_second) > max(shown_first, default=-1)
    assert 'aria-label="Pages of' in first and "Next page" in first


@pytest.mark.parametrize("name", LISTS)
def test_a_page_that_is_not_a_number_is_a_400_and_past_the_end_shows_the_last(world, name):
    role, url = LISTS[name]
    client = _client(getattr(world, role))
    sep = "&" if "?" in url else "?"
    banana = client.get(f"{url}{sep}page=banana")
    assert banana.status_code == 400
    assert str(PAGE_NUMBER_INVALID) in banana.content.decode()
    assert client.get(f"{url}{sep}page=99").status_code == 200
    assert client.get(f"{url}{sep}page={2**63 - 1}").status_code == 200


def test_the_leaders_home_searches_their_schools_students(world):
    _students(world, 3)
    client = _client(world.school_leader)
    html = client.get("/home/?q=kid01").content.decode()
    assert "Kid01 Zed" in html
    assert "Kid00 Zed" not in html and "Casey Lane" not in html
    # The other school's students stay out, searched for or not.
    _students(world, 1, school=world.other_school, last="Other")
    assert "Kid00 Other" not in client.get("/home/?q=other").content.decode()


def test_the_plan_list_searches_by_the_students_name(world):
    _students(world, 3)
    html = _client(world.district_admin).get("/plans/?q=kid02").content.decode()
    assert "Kid02 Zed" in html
    assert "Kid01 Zed" not in html
    empty = _client(world.district_admin).get("/plans/?q=nobody").content.decode()
    assert "No plan matched" in empty


def test_a_list_longer_than_a_page_shows_no_total_until_its_last_page(world, monkeypatch):
    _students(world, 4)
    monkeypatch.setattr(bounds, "PAGE_SIZE", 2)
    client = _client(world.district_admin)
    first = client.get("/students/").content.decode()
    assert "Students 1 to 2; more on the next pages." in first
    assert "Page 1" in first and "Page 1 of" not in first
    # Six students in all: the third page is the last, and knows the total.
    last = client.get("/students/?page=3").content.decode()
    assert "6 students." in last and "Page 3 of 3" in last and "Next page" not in last


def test_the_advocates_families_come_a_page_at_a_time(world, monkeypatch):
    client = _client(world.advocate)
    _grants(world, 3)
    few = _queries(client, "/home/")
    _grants(world, 3, start=3)
    assert _queries(client, "/home/") == few
    monkeypatch.setattr(bounds, "PAGE_SIZE", 2)
    first = client.get("/home/").content.decode()
    second = client.get("/home/?page=2").content.decode()
    # The longest-lasting grants first: the families added last.
    assert first.count("<tr>") - 1 == 2 and "Next page" in first
    assert "Kid05 Zed" in first and "Kid04 Zed" in first and "Kid03 Zed" not in first
    assert "Kid03 Zed" in second and "Kid05 Zed" not in second
    assert client.get("/home/?page=banana").status_code == 400
    # The page that lists only them pages the same way.
    shared = client.get("/students/shared-with-me/?page=2").content.decode()
    assert "Kid03 Zed" in shared and "Kid05 Zed" not in shared
    assert client.get("/students/shared-with-me/?page=banana").status_code == 400


def test_paginate_reads_one_row_past_the_page_and_counts_nothing(world):
    _students(world, 5)
    rows = Student.objects.order_by("legal_last_name", "legal_first_name", "pk")
    with CaptureQueriesContext(connection) as queries:
        page = paginate(rows, "2", per_page=2)
    assert len(queries) == 1
    assert "COUNT(" not in queries[0]["sql"].upper()
    assert [s.legal_first_name for s in page] == ["Kid00", "Kid01"]
    assert isinstance(page.paginator, PeekPaginator)
    assert page.paginator.more and page.has_next() and page.has_previous()
    last = paginate(rows, "4", per_page=2)
    assert isinstance(last.paginator, PeekPaginator)
    assert not last.paginator.more and last.paginator.count == 7 and not last.has_next()
    assert [s.legal_first_name for s in paginate(rows, "40", per_page=2)] == ["Kid04"]
