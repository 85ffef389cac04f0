"""GET /api/v1/students and /api/v1/students/{id}: the same permission layer as pages."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from samepage import factories as f
from samepage.api import messages
from samepage.api.tests.helpers import API, bearer, make_token, session_client, token_client
from samepage.schools.models import DisabilityCategory

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": str(messages.NOT_FOUND)}


def _ids(response):
    return [s["id"] for s in response.json()["items"]]


def test_parent_lists_own_child_only(world):
    response = token_client(world.parent).get(f"{API}/students")
    assert response.status_code == 200
    child = world.child
    assert response.json()["next"] is None
    assert response.json()["items"] == [
        {
            "id": child.pk,
            "district_student_id": child.district_student_id,
            "display_name": "Casey Lane",
            "legal_first_name": "Casey",
            "legal_last_name": "Lane",
            "preferred_name": "",
            "date_of_birth": child.date_of_birth.isoformat(),
            "grade": child.grade,
            "school": {"id": world.school.pk, "name": "Testwood Elementary"},
            "plan_type": "iep",
            "status": "active",
            "disability_categories": [],
        }
    ]


def test_district_student_id_keeps_leading_zeros(world):
    response = token_client(world.parent).get(f"{API}/students")
    value = response.json()["items"][0]["district_student_id"]
    assert isinstance(value, str)
    assert value == world.child.district_student_id


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("parent", {"child"}),
        ("other_parent", {"other_child"}),
        ("restricted_parent", set()),
        ("case_manager", {"child"}),
        ("outside_provider", set()),
        ("school_leader", {"child"}),
        ("other_school_leader", {"other_child"}),
        ("district_admin", {"child", "other_child"}),
        ("advocate", set()),
        ("student_user", {"child"}),
        ("outsider_admin", set()),
    ],
)
def test_list_matches_visible_students(world, who, expected):
    response = token_client(getattr(world, who)).get(f"{API}/students")
    assert set(_ids(response)) == {getattr(world, name).pk for name in expected}


def test_session_user_lists_students(world):
    response = session_client(world.case_manager).get(f"{API}/students")
    assert _ids(response) == [world.child.pk]


def test_student_detail(world):
    f.make_guardian(world.child, f.make_user("Grace Lane"), holds_educational_rights=False)
    response = token_client(world.parent).get(f"{API}/students/{world.child.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == world.child.pk
    assert body["school"] == {"id": world.school.pk, "name": "Testwood Elementary"}
    # The restricted guardian (Rex) is never listed.
    assert body["guardians"] == [
        {"name": "Alice Lane", "relationship": "parent", "holds_educational_rights": True},
        {"name": "Grace Lane", "relationship": "parent", "holds_educational_rights": False},
    ]
    team = {(m["name"], m["team_role"]) for m in body["team"]}
    assert team == {
        ("Carol Case", "case_manager"),
        ("Priya Speech", "provider"),
        ("Gina General", "gen_ed_teacher"),
    }


def test_other_familys_child_is_404_like_a_missing_one(world):
    client = token_client(world.parent)
    hidden = client.get(f"{API}/students/{world.other_child.pk}")
    missing = client.get(f"{API}/students/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == NOT_FOUND
    assert hidden.content == missing.content


@pytest.mark.parametrize(
    "who", ["restricted_parent", "outside_provider", "advocate", "outsider_admin"]
)
def test_outsiders_get_404(world, who):
    response = token_client(getattr(world, who)).get(f"{API}/students/{world.child.pk}")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_restricted_guardian_404_through_session_too(world):
    response = session_client(world.restricted_parent).get(f"{API}/students/{world.child.pk}")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "-", "-1", "0", str(2**63), str(2**70)])
def test_id_that_no_record_could_have_is_the_same_404(world, bad_id):
    # Not a record that could exist: the answer a missing or not-visible one gets.
    response = token_client(world.parent).get(f"{API}/students/{bad_id}")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_anonymous_422_check_comes_after_auth(db):
    # Validation must not tell an anonymous caller anything: auth runs first.
    response = Client().get(f"{API}/students/abc")
    assert response.status_code == 401


def test_permission_denied_maps_to_403_json(world):
    from samepage.api.api import api

    request = RequestFactory().get(f"{API}/students/1")
    response = api.on_exception(request, PermissionDenied())
    assert response.status_code == 403
    assert json.loads(response.content) == {"detail": str(messages.FORBIDDEN)}


def test_disability_categories_are_codes(world):
    child = world.child
    child.disability_categories = [DisabilityCategory.AUTISM.value]
    child.save(update_fields=["disability_categories"])
    response = token_client(world.parent).get(f"{API}/students/{child.pk}")
    assert response.json()["disability_categories"] == ["autism"]


def _count_list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{API}/students")
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["items"])


# Token lookup, last_used_at write, roles (staff profile, student account, guardianships)
# and the student list itself. Raise only with a reason; N+1 shows up as a jump here.
# +1: the token owner's sign-in lockout, read from django-axes (api/auth.py).
MAX_LIST_QUERIES = 7


def test_student_list_query_count_is_pinned(world, django_assert_max_num_queries):
    for n in range(12):
        f.make_student(world.school if n % 2 else world.other_school)
    raw, _token = make_token(world.district_admin)
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        response = Client().get(f"{API}/students", headers=bearer(raw))
    assert len(response.json()["items"]) == 14


def test_student_list_query_count_does_not_grow_with_students(world):
    raw, _token = make_token(world.district_admin)
    client = Client(headers=bearer(raw))
    client.get(f"{API}/students")  # settle last_used_at, so both runs skip the write
    few_queries, few = _count_list_queries(client)
    for _ in range(28):
        f.make_student(world.school)
    many_queries, many = _count_list_queries(client)
    assert (few, many) == (2, 30)
    assert many_queries == few_queries
