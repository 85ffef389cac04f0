from __future__ import annotations

import pytest
from django.urls import reverse

from samepage import factories as f
from samepage.accounts.tests.conftest import current_code, make_device


@pytest.fixture
def required(settings):  # type: ignore[no-untyped-def]
    settings.SAMEPAGE_REQUIRE_STAFF_2FA = True


def test_off_lets_staff_without_two_factor_in(client, world, settings):  # type: ignore[no-untyped-def]
    settings.SAMEPAGE_REQUIRE_STAFF_2FA = False
    client.force_login(world.case_manager)
    assert client.get("/accounts/settings/").status_code == 200
    assert client.get(reverse("home:home")).status_code == 200


def test_on_sends_unverified_staff_to_setup(client, world, required):  # type: ignore[no-untyped-def]
    client.force_login(world.case_manager)
    response = client.get(reverse("home:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")
    response = client.get("/accounts/settings/")
    assert response["Location"] == reverse("accounts:two_factor")


def test_on_api_session_request_gets_json_403(client, world, required):  # type: ignore[no-untyped-def]
    client.force_login(world.case_manager)
    response = client.get("/api/v1/me")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert "two-factor" in response.json()["detail"]


def test_on_exempt_paths_still_work(client, world, required):  # type: ignore[no-untyped-def]
    client.force_login(world.case_manager)
    assert client.get(reverse("accounts:two_factor")).status_code == 200
    response = client.post(
        reverse("home:set_language"), {"language": "es", "next": "/accounts/two-factor/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/"
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_on_families_are_not_asked(client, world, required):  # type: ignore[no-untyped-def]
    client.force_login(world.parent)
    assert client.get(reverse("home:home")).status_code == 200


def test_on_verified_staff_get_in(client, world, required):  # type: ignore[no-untyped-def]
    device = make_device(world.case_manager)
    response = client.post(
        reverse("accounts:login"), {"username": world.case_manager.email, "password": f.PASSWORD}
    )
    assert response["Location"] == reverse("accounts:two_factor_verify")
    response = client.post(reverse("accounts:two_factor_verify"), {"code": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("home:home")).status_code == 200


def test_on_setting_up_two_factor_unlocks_the_site(client, world, required):  # type: ignore[no-untyped-def]
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(world.district_admin)
    client.get(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user=world.district_admin)
    response = client.post(
        reverse("accounts:two_factor"), {"action": "confirm", "code": current_code(device)}
    )
    assert response.status_code == 302
    assert client.get(reverse("home:home")).status_code == 200


def test_anonymous_unaffected(client, db, required):  # type: ignore[no-untyped-def]
    assert client.get(reverse("accounts:login")).status_code == 200


def test_on_staff_with_device_but_unverified_session_can_verify(client, world, required):  # type: ignore[no-untyped-def]
    from samepage.accounts.tests.conftest import wrong_code

    device = make_device(world.provider)
    client.force_login(world.provider)  # e.g. signed in before the rule was switched on
    response = client.get(reverse("home:home"))
    assert response["Location"] == reverse("accounts:two_factor")
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Verify this sign-in" in page
    bad = client.post(
        reverse("accounts:two_factor"), {"action": "verify", "code": wrong_code(device)}
    )
    assert bad.status_code == 400
    assert "did not match" in bad.content.decode()
    good = client.post(
        reverse("accounts:two_factor"), {"action": "verify", "code": current_code(device)}
    )
    assert good.status_code == 302
    assert client.get(reverse("home:home")).status_code == 200
