"""Who may call the API: tokens, sessions, and the clear 401s for everything else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.utils import timezone, translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from samepage import factories as f
from samepage.accounts import actions
from samepage.accounts.models import ApiToken, new_raw_token
from samepage.api import messages
from samepage.api.auth import CsrfCheckFailed, session_auth
from samepage.api.tests.helpers import (
    API,
    bearer,
    make_token,
    row_counts,
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


def test_revoked_token_answers_in_the_request_language_not_the_owner_language(world):
    # Speaking the owner's language would tell the caller the token was once real.
    user = f.make_user("Sofia Ruiz", language="es")
    raw, _token = make_token(user, revoked_at=timezone.now())
    response = Client().get(f"{API}/me", headers=bearer(raw))
    assert response.status_code == 401
    assert response["Content-Language"] == "en"
    assert response.json() == {"detail": str(messages.INVALID_TOKEN)}


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


# A token obeys its owner's account ----------------------------------------------------------


def _answer(response) -> tuple[int, bytes, list[tuple[str, str]]]:
    """Everything a caller can see of a response."""
    return response.status_code, response.content, sorted(response.headers.items())


def _lock_out(user, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        Client().post("/accounts/login/", {"username": user.email, "password": "not-it-x"})
    locked = Client().post("/accounts/login/", {"username": user.email, "password": f.PASSWORD})
    assert locked.status_code == 429


def _spanish(user):
    type(user).objects.filter(pk=user.pk).update(language="es")
    user.refresh_from_db()
    return user


def _dead_tokens(world, settings) -> dict[str, str]:
    """One token for each way a real token stops working; every owner speaks Spanish."""
    settings.SAMEPAGE_REQUIRE_STAFF_2FA = True
    dead: dict[str, str] = {}
    dead["revoked"], _t = make_token(
        f.make_user("Rita Revoked", language="es"), revoked_at=timezone.now()
    )
    dead["expired"], _t = make_token(
        f.make_user("Eva Expired", language="es"), expires_at=timezone.now()
    )
    inactive = f.make_user("Diego Deactivated", language="es")
    dead["deactivated owner"], _t = make_token(inactive)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    locked = f.make_user("Luz Locked", language="es")
    dead["locked-out owner"], _t = make_token(locked)
    _lock_out(locked, settings)
    changed = f.make_user("Pablo Password", language="es")
    dead["changed password"], _t = make_token(changed)
    actions.do_change_password(changed, "a new and longer secret 9", actor=changed)
    reset = f.make_user("Rosa Reset", language="es")
    dead["reset password"], _t = make_token(reset)
    actions.do_reset_password(reset, "a new and longer secret 9", actor=reset)
    # The case manager is staff and has no authenticator.
    dead["staff owner without two-factor"], _t = make_token(_spanish(world.case_manager))
    return dead


@pytest.mark.parametrize("accept_language", ["en", "es"])
def test_every_dead_token_answers_exactly_like_an_unknown_one(world, settings, accept_language):
    dead = _dead_tokens(world, settings)
    headers = {"Accept-Language": accept_language}
    unknown = Client().get(f"{API}/me", headers={**headers, **bearer(new_raw_token())})
    assert unknown.status_code == 401
    with translation.override(accept_language):
        assert unknown.json() == {"detail": str(messages.INVALID_TOKEN)}
    for why, raw in dead.items():
        response = Client().get(f"{API}/me", headers={**headers, **bearer(raw)})
        assert _answer(response) == _answer(unknown), why


def test_a_dead_token_is_refused_on_writes_as_on_reads(world, settings):
    dead = _dead_tokens(world, settings)
    method, url = next((m, u) for m, u in ALL_OPERATIONS if m.upper() == "POST")
    unknown = Client().generic(method, url, headers=bearer(new_raw_token()))
    assert unknown.status_code == 401
    for why, raw in dead.items():
        response = Client().generic(method, url, headers=bearer(raw))
        assert _answer(response) == _answer(unknown), why


def test_refusing_a_dead_token_writes_nothing(world, settings):
    dead = _dead_tokens(world, settings)
    before_tokens = list(ApiToken.objects.order_by("pk").values())
    before_rows = row_counts()
    for raw in dead.values():
        assert Client().get(f"{API}/me", headers=bearer(raw)).status_code == 401
    assert list(ApiToken.objects.order_by("pk").values()) == before_tokens
    assert row_counts() == before_rows


def test_token_works_until_the_moment_it_expires(world):
    raw, token = make_token(world.parent, expires_at=timezone.now() + timedelta(minutes=1))
    client = Client(headers=bearer(raw))
    assert client.get(f"{API}/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert client.get(f"{API}/me").status_code == 401


def test_token_stops_on_password_change_and_stays_stopped(world):
    raw, _token = make_token(world.parent)
    client = Client(headers=bearer(raw))
    assert client.get(f"{API}/me").status_code == 200
    actions.do_change_password(world.parent, "a new and longer secret 9", actor=world.parent)
    assert client.get(f"{API}/me").status_code == 401
    # Changing it back does not bring the old token back.
    actions.do_change_password(world.parent, f.PASSWORD, actor=world.parent)
    assert client.get(f"{API}/me").status_code == 401


def test_token_made_after_a_password_change_works(world):
    actions.do_change_password(world.parent, "a new and longer secret 9", actor=world.parent)
    raw, _token = make_token(world.parent)
    assert Client().get(f"{API}/me", headers=bearer(raw)).status_code == 200


def test_token_stops_while_its_owner_is_locked_out_and_works_after_the_cool_off(world, settings):
    raw, _token = make_token(world.parent)
    client = Client(headers=bearer(raw))
    assert client.get(f"{API}/me").status_code == 200
    _lock_out(world.parent, settings)
    assert client.get(f"{API}/me").status_code == 401
    # The lockout lifts after SAMEPAGE_LOGIN_COOLOFF_MINUTES, as signing in does.
    later = timezone.now() - settings.AXES_COOLOFF_TIME * timedelta(hours=1) - timedelta(1)
    AccessAttempt.objects.filter(username=world.parent.email).update(attempt_time=later)
    assert client.get(f"{API}/me").status_code == 200


def test_lockout_from_another_address_does_not_stop_the_token(world, settings):
    # Axes locks an account *and address* pair, so that a stranger's wrong guesses cannot
    # shut the owner out; a token follows the same rule as the sign-in page.
    raw, _token = make_token(world.parent)
    _lock_out(world.parent, settings)
    response = Client(REMOTE_ADDR="203.0.113.9").get(f"{API}/me", headers=bearer(raw))
    assert response.status_code == 200
    again = Client().get(f"{API}/me", headers=bearer(raw))
    assert again.status_code == 401


def test_lockout_turned_off_locks_no_token(world, settings):
    raw, _token = make_token(world.parent)
    _lock_out(world.parent, settings)
    settings.AXES_ENABLED = False
    assert Client().get(f"{API}/me", headers=bearer(raw)).status_code == 200


def test_staff_token_needs_two_factor_only_when_required(world, settings):
    raw, _token = make_token(world.case_manager)
    client = Client(headers=bearer(raw))
    settings.SAMEPAGE_REQUIRE_STAFF_2FA = False
    assert client.get(f"{API}/me").status_code == 200
    settings.SAMEPAGE_REQUIRE_STAFF_2FA = True
    assert client.get(f"{API}/me").status_code == 401
    TOTPDevice.objects.create(user=world.case_manager, name="SamePage", confirmed=True)
    assert client.get(f"{API}/me").status_code == 200


def test_staff_token_stops_when_its_owner_turns_two_factor_off(world, settings):
    settings.SAMEPAGE_REQUIRE_STAFF_2FA = True
    device = TOTPDevice.objects.create(user=world.case_manager, name="SamePage", confirmed=True)
    _token, raw = actions.do_create_api_token(world.case_manager, actor=None, name="Sync")
    client = Client(headers=bearer(raw))
    assert client.get(f"{API}/me").status_code == 200
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    code = f"{totp.token():0{device.digits}d}"
    assert actions.do_disable_two_factor(world.case_manager, actor=world.case_manager, code=code)
    assert client.get(f"{API}/me").status_code == 401


def test_unconfirmed_authenticator_is_not_two_factor_set_up(world, settings):
    settings.SAMEPAGE_REQUIRE_STAFF_2FA = True
    raw, _token = make_token(world.case_manager)
    TOTPDevice.objects.create(user=world.case_manager, name="SamePage", confirmed=False)
    assert Client().get(f"{API}/me", headers=bearer(raw)).status_code == 401


def test_non_staff_token_needs_no_two_factor(world, settings):
    settings.SAMEPAGE_REQUIRE_STAFF_2FA = True
    raw, _token = make_token(world.parent)
    assert Client().get(f"{API}/me", headers=bearer(raw)).status_code == 200
