"""Who may call the API: tokens, sessions, and the clear 401s for everything else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone, translation

from samepage import factories as f
from samepage.api import messages
from samepage.api.auth import CsrfCheckFailed, session_auth
from samepage.api.tests.helpers import (
    API,
    bearer,
    make_token,
    session_client,
    token_client,
)
from samepage.api.tests.test_route_inventory import openapi_operations

pytestmark = pytest.mark.django_db


def _concrete(path: str) -> str:
    return re.sub(r"\{\w+\}", "1", path)


# Every operation in the document (the document itself is public: test_openapi.py).
ALL_OPERATIONS = [(method, _concrete(path)) for path, method in openapi_operations()]


@pytest.mark.parametrize(("method", "url"), ALL_OPERATIONS)
def test_anonymous_gets_401_everywhere(db, method, url):
    response = Client().generic(method, url)
    assert response.status_code == 401
    assert response.json() == {"detail": str(messages.SIGN_IN_REQUIRED)}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_every_operation_requires_auth():
    # No operation may be public: ninja would list an empty security requirement.
    from samepage.api.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("security"), f"{method.upper()} {path} is public"


def test_session_auth(world):
    response = session_client(world.parent).get(f"{API}/me")
    assert response.status_code == 200
    assert response.json()["email"] == world.parent.email


def test_session_reads_need_no_csrf_token(world):
    client = session_client(world.parent, enforce_csrf_checks=True)
    assert client.get(f"{API}/students").status_code == 200


def test_session_unsafe_request_without_csrf_token_is_refused(world):
    # The auth class itself; test_teams_api checks the same end to end on a real write.
    request = RequestFactory().post(f"{API}/students")
    request.user = world.parent
    request.session = {}  # type: ignore[assignment]
    with pytest.raises(CsrfCheckFailed) as caught:
        session_auth(request)
    assert caught.value.status_code == 403
    assert caught.value.message == str(messages.CSRF_FAILED)


def test_session_safe_request_passes_csrf(world):
    request = RequestFactory().get(f"{API}/students")
    request.user = world.parent
    assert session_auth(request) == world.parent


def test_bearer_auth(world):
    response = token_client(world.case_manager).get(f"{API}/me")
    assert response.status_code == 200
    assert response.json()["email"] == world.case_manager.email


def test_bearer_scheme_is_case_insensitive(world):
    raw, _token = make_token(world.parent)
    response = Client().get(f"{API}/me", headers={"Authorization": f"bearer {raw}"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Bearer", messages.MALFORMED_AUTHORIZATION),
        ("Bearer ", messages.MALFORMED_AUTHORIZATION),
        ("Bearer x y", messages.MALFORMED_AUTHORIZATION),
        ("Bearer  sp_double_space", messages.MALFORMED_AUTHORIZATION),
        ("Basic YWxpY2U6c2VjcmV0", messages.MALFORMED_AUTHORIZATION),
        ("Token sp_abc", messages.MALFORMED_AUTHORIZATION),
        ("Bearer sp_nonsense", messages.INVALID_TOKEN),
        ("Bearer not_our_prefix", messages.INVALID_TOKEN),
        ("Bearer sp_" + "x" * 5000, messages.INVALID_TOKEN),
    ],
)
def test_bad_authorization_header_is_a_clear_401(db, header, message):
    response = Client().get(f"{API}/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json() == {"detail": str(message)}


def test_bad_header_does_not_fall_back_to_the_session(world):
    # A script with a broken token must not quietly act as whoever is signed in.
    client = session_client(world.parent)
    response = client.get(f"{API}/me", headers={"Authorization": "Bearer sp_nonsense"})
    assert response.status_code == 401


def test_token_wins_over_session(world):
    raw, _token = make_token(world.case_manager)
    client = session_client(world.parent)
    response = client.get(f"{API}/me", headers=bearer(raw))
    assert response.json()["email"] == world.case_manager.email


def test_revoked_token_is_refused_on_the_very_next_request(world):
    raw, token = make_token(world.parent)
    client = Client(headers=bearer(raw))
    assert client.get(f"{API}/me").status_code == 200
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    response = client.get(f"{API}/me")
    assert response.status_code == 401
    assert response.json() == {"detail": str(messages.INVALID_TOKEN)}


def test_token_of_inactive_user_is_refused(world):
    raw, _token = make_token(world.parent)
    world.parent.is_active = False
    world.parent.save(update_fields=["is_active"])
    response = Client().get(f"{API}/me", headers=bearer(raw))
    assert response.status_code == 401
    assert response.json() == {"detail": str(messages.INVALID_TOKEN)}


def test_last_used_at_is_recorded(world):
    raw, token = make_token(world.parent)
    assert token.last_used_at is None
    Client().get(f"{API}/me", headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < timedelta(seconds=30)


def test_last_used_at_is_written_at_most_once_a_minute(world):
    recently = timezone.now() - timedelta(seconds=20)
    raw, token = make_token(world.parent, last_used_at=recently)
    client = Client(headers=bearer(raw))
    client.get(f"{API}/me")
    token.refresh_from_db()
    assert token.last_used_at == recently

    long_ago = timezone.now() - timedelta(minutes=5)
    token.last_used_at = long_ago
    token.save(update_fields=["last_used_at"])
    client.get(f"{API}/me")
    token.refresh_from_db()
    assert token.last_used_at > long_ago


def test_token_user_is_request_user_for_permission_functions(world):
    # The child is visible to the case manager only through permission functions that
    # read request.user, so a 200 here proves the token set it.
    response = token_client(world.case_manager).get(f"{API}/students/{world.child.pk}")
    assert response.status_code == 200


def test_revoked_token_answers_in_owner_language(world):
    user = f.make_user("Sofia Ruiz", language="es")
    raw, _token = make_token(user, revoked_at=timezone.now())
    response = Client().get(f"{API}/me", headers=bearer(raw))
    assert response.status_code == 401
    assert response["Content-Language"] == "es"
    with translation.override("es"):
        expected = str(messages.INVALID_TOKEN)
    assert response.json() == {"detail": expected}


def test_spanish_token_user_gets_404_detail_in_spanish(world):
    """A token's owner gets answers in their own language, whatever the browser says."""
    user = f.make_user("Sofia Ruiz", language="es")
    raw, _token = make_token(user)
    response = Client().get(f"{API}/students/{world.child.pk}", headers=bearer(raw))
    assert response.status_code == 404
    with translation.override("es"):
        expected = str(messages.NOT_FOUND)
    assert response.json() == {"detail": expected}
    assert expected.startswith("No pudimos encontrar")
    assert response["Content-Language"] == "es"
