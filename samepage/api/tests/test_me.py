"""GET /api/v1/me."""

from __future__ import annotations

import pytest

from samepage.api.tests.helpers import API, token_client

pytestmark = pytest.mark.django_db


def test_me_for_a_parent(world):
    response = token_client(world.parent).get(f"{API}/me")
    assert response.status_code == 200
    assert response.json() == {
        "id": world.parent.pk,
        "email": world.parent.email,
        "full_name": "Alice Lane",
        "display_name": "Alice Lane",
        "language": "en",
        "time_zone": world.parent.time_zone,
        "roles": {"primary": "guardian", "is_staff_member": False},
    }


@pytest.mark.parametrize(
    ("who", "primary", "is_staff_member"),
    [
        ("case_manager", "case_manager", True),
        ("district_admin", "district_admin", True),
        ("student_user", "student", False),
        ("advocate", "advocate", False),
    ],
)
def test_me_roles(world, who, primary, is_staff_member):
    response = token_client(getattr(world, who)).get(f"{API}/me")
    assert response.json()["roles"] == {"primary": primary, "is_staff_member": is_staff_member}


def test_me_is_read_only(world):
    response = token_client(world.parent).post(f"{API}/me")
    assert response.status_code == 405
