"""Home pages per role, language switching, and clear answers to bad requests."""

import pytest
from django.conf import settings
from django.test import Client

from samepage.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_home_redirects_to_sign_in(client):
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_index_sends_signed_in_people_home(world):
    assert _client(world.parent).get("/")["Location"] == "/home/"


def test_parent_home_shows_their_child_and_case_manager(world):
    body = _client(world.parent).get("/home/").content.decode()
    assert "Casey Lane" in body
    assert "Carol Case" in body
    assert "Drew" not in body


def test_case_manager_home_shows_caseload(world):
    body = _client(world.case_manager).get("/home/").content.decode()
    assert "Your caseload" in body
    assert "Casey Lane" in body
    assert "Drew Moss" not in body


def test_school_leader_home_shows_school_students(world):
    body = _client(world.other_school_leader).get("/home/").content.decode()
    assert "Drew Moss" in body
    assert "Casey Lane" not in body


def test_district_admin_home_counts_students_per_school(world):
    response = _client(world.district_admin).get("/home/")
    schools = {s.name: s.active_students for s in response.context["schools"]}
    assert schools == {"Testwood Elementary": 1, "Testwood Middle": 1}


def test_student_home_links_own_record(world):
    body = _client(world.student_user).get("/home/").content.decode()
    assert f"/students/{world.child.pk}/" in body


def test_advocate_without_consent_sees_no_students(world):
    response = _client(world.advocate).get("/home/")
    assert response.status_code == 200
    assert response.context["grants"] == []
    assert "/students/" not in response.content.decode().split("<main", 1)[-1]


def test_navigation_depends_on_role(world):
    staff_nav = [i["label"] for i in _client(world.case_manager).get("/home/").context["nav_items"]]
    parent_nav = [i["label"] for i in _client(world.parent).get("/home/").context["nav_items"]]
    assert "Students" in staff_nav
    assert "My children" in parent_nav
    assert "Students" not in parent_nav


def test_switching_language_saves_it_on_the_account_and_audits(world):
    client = _client(world.parent)
    response = client.post("/language/", {"language": "es", "next": "/home/"})
    assert response.status_code == 302
    assert response["Location"] == "/home/"
    world.parent.refresh_from_db()
    assert world.parent.language == "es"
    assert AuditEvent.objects.filter(
        action="user.preferences_changed", target_id=str(world.parent.pk)
    ).exists()
    assert client.get("/home/").content.decode().startswith('<!doctype html>\n\n<html lang="es">')


def test_switching_language_anonymously_sets_cookie(client):
    response = client.post("/language/", {"language": "es", "next": "/accounts/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_unknown_language_is_a_clear_400_and_changes_nothing(world):
    client = _client(world.parent)
    response = client.post("/language/", {"language": "klingon"})
    assert response.status_code == 400
    assert "English and Spanish" in response.content.decode()
    world.parent.refresh_from_db()
    assert world.parent.language == "en"


def test_language_switch_refuses_offsite_next(client):
    response = client.post("/language/", {"language": "es", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_oversized_request_gets_a_clear_413(world, settings):
    settings.SAMEPAGE_MAX_REQUEST_BYTES = 2048
    client = _client(world.parent)
    response = client.post("/language/", {"language": "es", "next": "x" * 5000})
    assert response.status_code == 413
    assert "too much to send" in response.content.decode()
    world.parent.refresh_from_db()
    assert world.parent.language == "en"


def test_oversized_api_request_gets_json_413(world, settings):
    settings.SAMEPAGE_MAX_REQUEST_BYTES = 2048
    response = _client(world.parent).post(
        "/api/v1/students", data="x" * 5000, content_type="application/json"
    )
    assert response.status_code == 413
    assert "too much to send" in response.json()["detail"]


def test_not_found_page_is_friendly_and_translated(world):
    client = _client(world.parent)
    assert "not shared with you" in client.get("/no-such-page/").content.decode()
    client.post("/language/", {"language": "es"})
    body = client.get("/no-such-page/").content.decode()
    assert "Página no encontrada" in body
