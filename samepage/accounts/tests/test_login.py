from __future__ import annotations

import pytest
from django.urls import reverse

from samepage import factories as f
from samepage.accounts.tests.conftest import current_code, make_device, wrong_code

LOGIN = "/accounts/login/"


def post_login(client, email, password, **extra):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def test_login_url_and_form_fields(client, db):  # type: ignore[no-untyped-def]
    assert reverse("accounts:login") == LOGIN
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert '<label for="id_username">Email address</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert ">Sign in</button>" in html
    assert "style=" not in html


def test_right_password_signs_in(client, world):  # type: ignore[no-untyped-def]
    response = post_login(client, world.parent.email, f.PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home:home")
    assert client.session["_auth_user_id"] == str(world.parent.pk)


def test_email_is_case_insensitive(client, world):  # type: ignore[no-untyped-def]
    response = post_login(client, world.parent.email.upper(), f.PASSWORD)
    assert response.status_code == 302


def test_next_is_followed_only_when_safe(client, world):  # type: ignore[no-untyped-def]
    response = post_login(client, world.parent.email, f.PASSWORD, next="/accounts/settings/")
    assert response["Location"] == "/accounts/settings/"
    client.logout()
    response = post_login(client, world.parent.email, f.PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("home:home")


def test_wrong_password_shows_message_not_500(client, world):  # type: ignore[no-untyped-def]
    response = post_login(client, world.parent.email, "not-the-password")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_email_same_message(client, db):  # type: ignore[no-untyped-def]
    response = post_login(client, "nobody@example.org", "whatever-password")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_blank_form_shows_field_errors(client, db):  # type: ignore[no-untyped-def]
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-describedby="id_username_error"' in html
    assert 'aria-invalid="true"' in html


def test_lockout_after_repeated_failures(client, world, settings):  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(4):
        assert post_login(client, world.parent.email, "wrong-password-x").status_code == 200
    response = post_login(client, world.parent.email, "wrong-password-x")
    assert response.status_code == 429
    assert "Signing in is paused" in response.content.decode()
    # Even the right password is refused while locked out.
    response = post_login(client, world.parent.email, f.PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    templates = [t.name for t in response.templates]
    assert "accounts/locked_out.html" in templates


def test_lockout_page_in_spanish(client, world, settings):  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 1
    response = client.post(
        LOGIN,
        {"username": world.parent.email, "password": "wrong-password-x"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 429
    assert 'lang="es"' in response.content.decode()


def test_signed_in_user_visiting_login_goes_home(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.parent)
    response = client.get(LOGIN)
    assert response.status_code == 302


def test_logout_is_post_only(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.parent)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_two_factor_user_is_not_signed_in_by_password(client, world):  # type: ignore[no-untyped-def]
    device = make_device(world.case_manager)
    response = post_login(client, world.case_manager.email, f.PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_verify")
    assert "_auth_user_id" not in client.session

    page = client.get(reverse("accounts:two_factor_verify"))
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()

    bad = client.post(reverse("accounts:two_factor_verify"), {"code": wrong_code(device)})
    assert bad.status_code == 200
    assert "did not match" in bad.content.decode()
    assert "_auth_user_id" not in client.session

    good = client.post(reverse("accounts:two_factor_verify"), {"code": current_code(device)})
    assert good.status_code == 302
    assert good["Location"] == reverse("home:home")
    assert client.session["_auth_user_id"] == str(world.case_manager.pk)
    assert client.session["otp_device_id"] == device.persistent_id


def test_verify_without_pending_sign_in_goes_to_login(client, db):  # type: ignore[no-untyped-def]
    response = client.get(reverse("accounts:two_factor_verify"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


@pytest.mark.parametrize("code", ["", "abcdef", "12"])
def test_verify_rejects_malformed_codes(client, world, code):  # type: ignore[no-untyped-def]
    make_device(world.case_manager)
    post_login(client, world.case_manager.email, f.PASSWORD)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'aria-describedby="id_code_helptext id_code_error"' in response.content.decode()
