import pytest
from django.test import Client

from samepage.teams.permissions import visible_students

pytestmark = pytest.mark.django_db


def _ids(user):
    return set(visible_students(user).values_list("pk", flat=True))


def test_guardian_sees_only_own_child(world):
    assert _ids(world.parent) == {world.child.pk}
    assert _ids(world.other_parent) == {world.other_child.pk}


def test_restricted_guardian_sees_nothing(world):
    assert _ids(world.restricted_parent) == set()


def test_staff_scope_follows_team_school_and_district(world):
    assert _ids(world.case_manager) == {world.child.pk}
    assert _ids(world.outside_provider) == set()
    assert _ids(world.school_leader) == {world.child.pk}
    assert _ids(world.other_school_leader) == {world.other_child.pk}
    assert _ids(world.district_admin) == {world.child.pk, world.other_child.pk}
    assert _ids(world.outsider_admin) == set()


def test_student_sees_own_record_only_when_district_allows(world):
    assert _ids(world.student_user) == {world.child.pk}
    district = world.child.district
    district.students_see_own_record = False
    district.save(update_fields=["students_see_own_record"])
    fresh = type(world.student_user).objects.get(pk=world.student_user.pk)
    assert _ids(fresh) == set()


@pytest.mark.parametrize(
    "who,status",
    [
        ("parent", 200),
        ("case_manager", 200),
        ("district_admin", 200),
        ("other_parent", 404),
        ("restricted_parent", 404),
        ("outside_provider", 404),
        ("advocate", 404),
        ("outsider_admin", 404),
    ],
)
def test_student_page_answers_404_when_not_visible(world, who, status):
    client = Client()
    client.force_login(getattr(world, who))
    assert client.get(f"/students/{world.child.pk}/").status_code == status


def test_missing_student_is_404_like_invisible(world):
    client = Client()
    client.force_login(world.district_admin)
    assert client.get("/students/999999/").status_code == 404


def test_student_list_lists_only_visible(world):
    client = Client()
    client.force_login(world.other_parent)
    body = client.get("/students/").content.decode()
    assert "Drew" in body
    assert "Casey" not in body


def test_student_list_query_count_is_pinned(world, django_assert_max_num_queries):
    from samepage import factories as f

    for _ in range(10):
        f.make_student(world.school)
    client = Client()
    client.force_login(world.district_admin)
    with django_assert_max_num_queries(8):
        response = client.get("/students/")
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 13


def test_student_search_filters_within_what_the_user_may_see(world):
    client = Client()
    client.force_login(world.district_admin)
    body = client.get("/students/", {"q": "drew"}).content.decode()
    assert "Drew Moss" in body
    assert "Casey Lane" not in body
    other = Client()
    other.force_login(world.other_parent)
    assert "Casey" not in other.get("/students/", {"q": "casey"}).content.decode()


def test_htmx_search_returns_only_the_results_partial(world):
    client = Client()
    client.force_login(world.district_admin)
    response = client.get("/students/", {"q": "lane"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "Casey Lane" in body
