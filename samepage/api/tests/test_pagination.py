"""Keyset pages for every growing API list: continuity, the limit, cursors, filters, and
that a cursor never reaches past what the permission layer lets a person see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from samepage import factories as f
from samepage.api import messages
from samepage.api.pagination import BAD_CURSOR, DEFAULT_LIMIT, MAX_LIMIT
from samepage.api.routers.students import STUDENTS
from samepage.api.tests.helpers import API, bearer, give_consent, make_token, token_client
from samepage.core.models import AccessEvent
from samepage.deadlines.tests.helpers import add_deadlines
from samepage.plans.actions import lifecycle
from samepage.plans.models import Plan
from samepage.profiles.tests.helpers import say
from samepage.schools.models import Student

pytestmark = pytest.mark.django_db

BAD = {"detail": str(messages.INVALID_INPUT), "errors": {"cursor": [str(BAD_CURSOR)]}}


def walk(client: Client, url: str, limit: int) -> list[list[int]]:
    """Follow ``next`` from the first page to the last; the ids of each page."""
    pages: list[list[int]] = []
    cursor = None
    joiner = "&" if "?" in url else "?"
    while True:
        query = f"{joiner}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url + query)
        assert response.status_code == 200, response.json()
        body = response.json()
        pages.append([item["id"] for item in body["items"]])
        cursor = body["next"]
        if cursor is None:
            return pages
        assert len(pages) < 100, "the pages never end"


def flat(pages: list[list[int]]) -> list[int]:
    return [i for page in pages for i in page]


def _namesakes(world: Any, n: int) -> list[Student]:
    """``n`` students all called Ann Ames: the ordering ties on both names."""
    return [
        f.make_student(world.school, legal_first_name="Ann", legal_last_name="Ames")
        for _ in range(n)
    ]


# Continuity --------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 2, 3, 5])
def test_a_few_rows_sorted_walk_exactly_as_an_index_walk_does(world, limit):
    # Keyset.page(few=True) only changes how the database reaches the order.
    from samepage.api.pagination import PageIn

    _namesakes(world, 6)
    rows = Student.objects.filter(district=world.child.district)

    def pages(few: bool) -> list[list[int]]:
        out, cursor = [], None
        while True:
            found = STUDENTS.page(rows, PageIn(limit=limit, cursor=cursor), few=few)
            out.append([s.pk for s in found.items])
            if found.next is None:
                return out
            cursor = found.next

    assert pages(few=True) == pages(few=False)
    assert len(flat(pages(few=True))) == rows.count()


def test_students_next_page_starts_where_the_last_stopped_under_ties(world):
    twins = _namesakes(world, 7)
    f.make_student(world.school, legal_first_name="Zed", legal_last_name="Ames")
    f.make_student(world.other_school, legal_first_name="Abe", legal_last_name="Zorn")
    expected = list(
        Student.objects.filter(district=world.child.district)
        .order_by("legal_last_name", "legal_first_name", "pk")
        .values_list("pk", flat=True)
    )
    client = token_client(world.district_admin)
    for limit in (1, 2, 3, 5):
        pages = walk(client, f"{API}/students", limit)
        assert flat(pages) == expected, limit
        assert all(len(page) == limit for page in pages[:-1])
        assert 1 <= len(pages[-1]) <= limit
    # The ties break by id, in order.
    ids = flat(walk(client, f"{API}/students", 2))
    assert [i for i in ids if i in {s.pk for s in twins}] == sorted(s.pk for s in twins)


def test_plans_walk_newest_first_without_gaps_or_repeats(world):
    plans = [f.make_plan(f.make_student(world.school), world.case_manager) for _ in range(7)]
    client = token_client(world.district_admin)
    ids = flat(walk(client, f"{API}/plans", 3))
    assert ids == sorted((p.pk for p in plans), reverse=True)


def test_access_log_pages_under_identical_times(world):
    client = token_client(world.case_manager)
    for _ in range(6):
        client.get(f"{API}/students/{world.child.pk}")
    # Every view at the very same instant: only the id tells them apart.
    AccessEvent.objects.update(created_at=AccessEvent.objects.earliest("id").created_at)
    reader = token_client(world.parent)
    url = f"{API}/students/{world.child.pk}/access-log"
    first = reader.get(f"{url}?limit=4").json()
    second = reader.get(f"{url}?limit=4&cursor={first['next']}").json()
    assert second["next"] is None
    events = AccessEvent.objects.order_by("-created_at", "-id")
    # The first page's own reading is recorded before it is read; the second page's
    # reading is newer than the cursor, so it shows on no page after it.
    assert [e["when"] for e in first["items"] + second["items"]]
    assert len(first["items"]) == 4
    assert len(first["items"]) + len(second["items"]) == events.count() - 1


# The limit ------------------------------------------------------------------------------


def test_default_limit_and_next(world):
    for _ in range(DEFAULT_LIMIT):
        f.make_student(world.school)
    body = token_client(world.district_admin).get(f"{API}/students").json()
    assert len(body["items"]) == DEFAULT_LIMIT
    assert body["next"]


def test_the_largest_limit_is_served(world):
    response = token_client(world.district_admin).get(f"{API}/students?limit={MAX_LIMIT}")
    assert response.status_code == 200
    assert len(response.json()["items"]) == 2


@pytest.mark.parametrize("limit", ["0", "-1", str(MAX_LIMIT + 1), "10000", "ten", "1.5"])
def test_a_limit_out_of_bounds_is_a_clear_400(world, limit):
    response = token_client(world.district_admin).get(f"{API}/students?limit={limit}")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == str(messages.INVALID_INPUT)
    assert list(body["errors"]) == ["limit"]
    assert body["errors"]["limit"][0]


def test_the_limit_message_says_the_range(world):
    body = token_client(world.district_admin).get(f"{API}/students?limit=500").json()
    assert body["errors"]["limit"] == [f"Enter a whole number from 1 to {MAX_LIMIT}."]


# Bad cursors ----------------------------------------------------------------------------


def _a_cursor(world: Any, url: str = f"{API}/students", who: str = "district_admin") -> str:
    cursor: str = token_client(getattr(world, who)).get(f"{url}?limit=1").json()["next"]
    assert cursor
    return cursor


def _tampered(cursor: str) -> str:
    value, signature = cursor.split(".")
    return f"{signing.b64_encode(b'1').decode()}.{signature}" if value != "MQ" else cursor[:-1]


@pytest.mark.parametrize(
    "make",
    [
        lambda world: "garbage",
        lambda world: "%00%01",
        lambda world: "a" * 200,
        lambda world: ".",
        lambda world: _tampered(_a_cursor(world)),
        lambda world: _a_cursor(world) + "x",
        # Another list's cursor: signed for plans, refused by students.
        lambda world: _a_cursor(world, f"{API}/plans"),
        # Signed for students, but not an id.
        lambda world: STUDENTS._signer.sign("Lane"),
        lambda world: STUDENTS._signer.sign("0"),
        lambda world: STUDENTS._signer.sign(str(2**70)),
    ],
    ids=[
        "garbage",
        "control",
        "long",
        "dot",
        "tampered",
        "appended",
        "other list",
        "not an id",
        "zero",
        "huge",
    ],
)
def test_a_cursor_this_list_did_not_give_is_a_400(world, make):
    f.make_plan(world.child, world.case_manager)
    f.make_plan(world.other_child, world.case_manager)
    cursor = make(world)
    response = token_client(world.district_admin).get(f"{API}/students", {"cursor": cursor})
    assert response.status_code == 400
    assert response.json() == BAD


def test_an_overlong_cursor_is_a_400_naming_cursor(world):
    response = token_client(world.district_admin).get(f"{API}/students", {"cursor": "a" * 201})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cursor"]


def test_a_bad_cursor_on_one_childs_list_records_no_view(world):
    before = AccessEvent.objects.count()
    response = token_client(world.parent).get(
        f"{API}/students/{world.child.pk}/plans", {"cursor": "garbage"}
    )
    assert response.status_code == 400
    assert response.json() == BAD
    assert AccessEvent.objects.count() == before


def test_each_page_of_one_childs_list_records_one_view(world):
    for _ in range(3):
        f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    client = token_client(world.parent)
    before = AccessEvent.objects.filter(user=world.parent).count()
    pages = walk(client, f"{API}/students/{world.child.pk}/plans", 2)
    assert len(pages) == 2
    events = AccessEvent.objects.filter(user=world.parent).order_by("id")[before:]
    assert [(e.student_id, e.part, e.via) for e in events] == [(world.child.pk, "plans", "api")] * 2


# Filters --------------------------------------------------------------------------------


def test_student_filters(world):
    sofia = f.make_student(world.school, legal_first_name="Sofía", legal_last_name="Núñez")
    gone = f.make_student(world.other_school, status=Student.Status.EXITED)
    five = f.make_student(world.school, plan_type=Student.PlanType.SECTION_504)
    client = token_client(world.district_admin)

    def ids(query: str) -> set[int]:
        response = client.get(f"{API}/students?{query}")
        assert response.status_code == 200, response.json()
        return {s["id"] for s in response.json()["items"]}

    assert ids(f"school={world.other_school.pk}") == {world.other_child.pk, gone.pk}
    assert ids("status=exited") == {gone.pk}
    assert ids("plan_type=504") == {five.pk}
    assert ids("q=sofia nun") == {sofia.pk}
    assert ids("q=NÚÑEZ") == {sofia.pk}
    assert ids(f"q=sofia&school={world.other_school.pk}") == set()
    assert ids("q=") == ids("")


@pytest.mark.parametrize(
    ("query", "field"),
    [("status=gone", "status"), ("plan_type=iep504", "plan_type"), ("school=abc", "school")],
)
def test_a_bad_student_filter_is_a_400(world, query, field):
    response = token_client(world.district_admin).get(f"{API}/students?{query}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_filter_choices_are_the_models(world):
    from samepage.api.routers.plans import StudentPlanFilter
    from samepage.api.routers.students import StudentFilter

    def choices(schema: Any, field: str) -> set[str]:
        annotation = schema.model_fields[field].annotation
        (literal, _none) = annotation.__args__
        return set(literal.__args__)

    assert choices(StudentFilter, "status") == set(Student.Status.values)
    assert choices(StudentFilter, "plan_type") == set(Student.PlanType.values)
    assert choices(StudentPlanFilter, "plan_type") == set(Plan.PlanType.values)


def test_plan_filters(world):
    in_effect = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    draft = f.make_plan(world.other_child, world.case_manager)
    ended = f.make_plan(f.make_student(world.school), world.case_manager)
    Plan.objects.filter(pk=ended.pk).update(ended_at=ended.created_at)
    client = token_client(world.district_admin)

    def ids(query: str) -> list[int]:
        response = client.get(f"{API}/plans?{query}")
        assert response.status_code == 200, response.json()
        return [p["id"] for p in response.json()["items"]]

    assert ids(f"student={world.other_child.pk}") == [draft.pk]
    assert ids("state=in_effect") == [in_effect.plan_id]
    assert ids("state=ended") == [ended.pk]
    assert ids("state=final") == []
    assert ids("plan_type=504") == []
    assert ids("plan_type=iep") == [ended.pk, draft.pk, in_effect.plan_id]
    # A student the caller cannot see filters to nothing, the same as one with no plans.
    parent = token_client(world.parent)
    hidden = parent.get(f"{API}/plans?student={world.other_child.pk}").json()
    assert hidden == {"items": [], "next": None}


def test_final_means_waiting_for_signatures(world):
    plan = f.make_plan(world.child, world.case_manager)
    version = f.fill_plan(plan)
    lifecycle.do_record_meeting(
        version, actor=world.case_manager, meeting_date=version.proposed_start
    )
    lifecycle.check_finalize(version, actor=world.case_manager)
    body = token_client(world.parent).get(f"{API}/plans?state=final").json()
    assert [p["id"] for p in body["items"]] == [plan.pk]


# Permission still filters ---------------------------------------------------------------


def test_a_parents_pages_hold_only_their_own_children(world):
    second = f.make_student(world.school, legal_first_name="Abby", legal_last_name="Lane")
    f.make_guardian(second, world.parent)
    _namesakes(world, 4)
    pages = walk(token_client(world.parent), f"{API}/students", 1)
    assert sorted(flat(pages)) == sorted([world.child.pk, second.pk])


def test_a_cursor_from_another_persons_list_reveals_nothing(world):
    # Bob has two children; his first page ends at one of them.
    third = f.make_student(world.school, legal_first_name="Aaron", legal_last_name="Aal")
    f.make_guardian(third, world.other_parent)
    bobs = _a_cursor(world, who="other_parent")
    admins = _a_cursor(world)
    parent = token_client(world.parent)
    for cursor in (bobs, admins):
        body = parent.get(f"{API}/students", {"cursor": cursor}).json()
        # Alice reads only her own child after that point, never Bob's.
        assert {s["id"] for s in body["items"]} <= {world.child.pk}
        assert body["next"] is None


def test_a_cursor_cannot_open_a_childs_list_the_caller_cannot_see(world):
    for _ in range(2):
        f.make_plan_in_effect(
            world.other_child, signer=world.other_parent, actor=world.district_admin
        )
    cursor = _a_cursor(world, f"{API}/students/{world.other_child.pk}/plans")
    response = token_client(world.parent).get(
        f"{API}/students/{world.other_child.pk}/plans", {"cursor": cursor}
    )
    assert response.status_code == 404


# Query counts: constant for 3 rows and for 30 --------------------------------------------


def _queries(client: Client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), len(response.json()["items"])


def _students(world: Any, n: int) -> None:
    for _ in range(n):
        f.make_student(world.school)


def _plans(world: Any, n: int) -> None:
    for _ in range(n):
        f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)


def _concerns(world: Any, n: int) -> None:
    client = token_client(world.parent)
    for i in range(n):
        body = {"category": "reading", "text": f"Concern {i}", "importance": "high"}
        response = client.post(
            f"{API}/students/{world.child.pk}/concerns", body, content_type="application/json"
        )
        assert response.status_code == 201


def _consents(world: Any, n: int) -> None:
    for _ in range(n):
        give_consent(world.child, by=world.parent, to=world.advocate)


def _voice(world: Any, n: int) -> None:
    for i in range(n):
        say(world.student_user, world.child, text=f"Answer {i}")


def _deadlines(world: Any, n: int) -> None:
    add_deadlines(world.child, n, today=world.today)


def _views(world: Any, n: int) -> None:
    client = token_client(world.case_manager)
    for _ in range(n):
        client.get(f"{API}/students/{world.child.pk}")


LISTS: list[tuple[str, str, Callable[[Any, int], None]]] = [
    ("district_admin", "/students", _students),
    ("district_admin", "/plans", _plans),
    ("parent", "/students/{child}/plans", _plans),
    ("parent", "/students/{child}/concerns", _concerns),
    ("parent", "/students/{child}/consents", _consents),
    ("advocate", "/me/grants", _consents),
    ("parent", "/students/{child}/voice", _voice),
    ("parent", "/students/{child}/access-log", _views),
    ("parent", "/students/{child}/deadlines", _deadlines),
]


@pytest.mark.parametrize(("who", "path", "add"), LISTS, ids=[row[1] for row in LISTS])
def test_a_page_costs_the_same_queries_for_3_rows_and_for_30(world, who, path, add):
    url = API + path.format(child=world.child.pk)
    raw, _token = make_token(getattr(world, who))
    client = Client(headers=bearer(raw))
    add(world, 3)
    client.get(url)  # settle the token's last_used_at, so both runs skip that write
    few_queries, few = _queries(client, f"{url}?limit=30")
    add(world, 27)
    many_queries, many = _queries(client, f"{url}?limit=30")
    assert few >= 3
    assert many == 30
    assert many_queries == few_queries
    # And a page further on (from a cursor) costs what the first one does.
    cursor = client.get(f"{url}?limit=10").json()["next"]
    deep_queries, deep = _queries(client, f"{url}?limit=10&cursor={cursor}")
    assert deep == 10
    assert deep_queries == few_queries


def test_entry_history_pages(world):
    from samepage.profiles.tests.helpers import write

    entry = write(world.parent, world.child, text="Version 1")
    client = token_client(world.parent)
    url = f"{API}/students/{world.child.pk}/profile/entries/{entry.pk}"
    for n in range(2, 6):
        response = client.put(
            url, {"text": f"Version {n}", "revision": n - 1}, content_type="application/json"
        )
        assert response.status_code == 200
    texts = []
    cursor = None
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(f"{url}/history{query}").json()
        texts += [r["text"] for r in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert texts == [f"Version {n}" for n in range(5, 0, -1)]


def test_a_plan_list_does_not_read_versions_content(world):
    f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    client = token_client(world.parent)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{API}/plans")
    assert response.status_code == 200
    version_reads = [
        q["sql"] for q in ctx.captured_queries if 'FROM "plans_planversion"' in q["sql"]
    ]
    assert version_reads
    assert all('"plans_planversion"."content"' not in sql for sql in version_reads)
