"""The "add a team member" list offers a page of people, never the district's thousands.

Without a search it lists the staff of the student's school; a name search reaches the
whole district's staff; either way at most ``STAFF_OFFERED``. The form still accepts any
staff member of the district, listed or not.
"""

import re

import pytest
from django.test import Client

from samepage import factories as f
from samepage.teams.models import TeamMembership
from samepage.teams.selectors import STAFF_OFFERED

pytestmark = pytest.mark.django_db


def _offered(world, query: str = "") -> list[str]:
    client = Client()
    client.force_login(world.case_manager)
    response = client.get(f"/students/{world.child.pk}/team/", {"find": query} if query else {})
    assert response.status_code == 200
    select = re.search(r'<select name="user".*?</select>', response.content.decode(), re.S)
    assert select is not None
    return re.findall(r'<option value="\d+"[^>]*>([^<(]+)', select.group(0))


def test_without_a_search_the_list_shows_the_students_school_staff(world):
    f.make_staff(
        world.child.district, f.StaffRole.PROVIDER, schools=[world.other_school], name="Mona Middle"
    )
    names = [n.strip() for n in _offered(world)]
    assert "Priya Speech" in names
    assert "Mona Middle" not in names
    assert "Otto Leader" not in names  # the other school's leader


def test_a_name_search_finds_staff_of_any_school_of_the_district(world):
    f.make_staff(
        world.child.district, f.StaffRole.PROVIDER, schools=[world.other_school], name="Mona Middle"
    )
    assert [n.strip() for n in _offered(world, "mona")] == ["Mona Middle"]
    assert [n.strip() for n in _offered(world, "MIDD mon")] == ["Mona Middle"]
    # Another district's staff never appear.
    assert _offered(world, "eve") == []


def test_the_list_is_bounded_however_many_staff_the_school_has(world):
    for n in range(STAFF_OFFERED + 5):
        f.make_staff(
            world.child.district, f.StaffRole.PROVIDER, schools=[world.school], name=f"Zed {n:02d}"
        )
    assert len(_offered(world)) == STAFF_OFFERED
    assert len(_offered(world, "zed")) == STAFF_OFFERED


def test_a_staff_member_not_listed_can_still_be_added(world):
    other = f.make_staff(
        world.child.district, f.StaffRole.PROVIDER, schools=[world.other_school], name="Mona Middle"
    )
    client = Client()
    client.force_login(world.case_manager)
    response = client.post(
        f"/students/{world.child.pk}/team/add/", {"user": other.pk, "team_role": "provider"}
    )
    assert response.status_code == 302
    assert TeamMembership.objects.filter(student=world.child, user=other).exists()


@pytest.mark.parametrize("query", ["mona\x00", "\x00", "a" * 500, "%", "_"])
def test_odd_searches_answer_a_page(world, query):
    assert isinstance(_offered(world, query), list)
