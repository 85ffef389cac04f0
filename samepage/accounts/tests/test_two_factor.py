from __future__ import annotations

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from samepage.accounts import actions
from samepage.accounts.tests.conftest import current_code, make_device, wrong_code
from samepage.core.models import AuditEvent

SETUP = "/accounts/two-factor/"


def test_setup_page_needs_sign_in(client, db):  # type: ignore[no-untyped-def]
    assert reverse("accounts:two_factor") == SETUP
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_setup_page_shows_qr_svg_and_secret(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.parent)
    response = client.get(SETUP)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="qr"><svg' in html
    assert "<title>" in html
    assert '<code class="secret">' in html
    assert "<script" not in html.split("<main", 1)[1]
    assert "style=" not in html
    device = TOTPDevice.objects.get(user=world.parent)
    assert not device.confirmed
    # Reloading shows the same unconfirmed device, not a new one each time.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=world.parent).count() == 1
    assert AuditEvent.objects.filter(action="two_factor.setup_started").count() == 1


def test_confirm_with_right_code(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.parent)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=world.parent)
    response = client.post(SETUP, {"action": "confirm", "code": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session["otp_device_id"] == device.persistent_id
    assert AuditEvent.objects.filter(
        action="two_factor.enabled", actor=world.parent, target_id=str(device.pk)
    ).exists()
    page = client.get(SETUP).content.decode()
    assert "Turn off two-factor sign-in" in page


def test_confirm_with_wrong_code(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.parent)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=world.parent)
    response = client.post(SETUP, {"action": "confirm", "code": wrong_code(device)})
    assert response.status_code == 400
    assert "did not match" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not AuditEvent.objects.filter(action="two_factor.enabled").exists()


def test_disable_needs_right_code(client, world):  # type: ignore[no-untyped-def]
    device = make_device(world.parent)
    client.force_login(world.parent)
    response = client.post(SETUP, {"action": "disable", "code": wrong_code(device)})
    assert response.status_code == 400
    assert "still on" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.parent, confirmed=True).exists()

    response = client.post(SETUP, {"action": "disable", "code": current_code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.parent).exists()
    assert AuditEvent.objects.filter(action="two_factor.disabled", actor=world.parent).exists()


def test_unknown_action_is_a_clear_error(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.parent)
    client.get(SETUP)  # the form is posted from the page, which starts the set-up
    response = client.post(SETUP, {"action": "explode", "code": "123456"})
    assert response.status_code == 400
    assert "reload the page" in response.content.decode()


def test_confirm_action_replaces_older_devices(world):  # type: ignore[no-untyped-def]
    old = make_device(world.parent, confirmed=False)
    old_id = old.pk
    new = TOTPDevice.objects.create(user=world.parent, name="SamePage", confirmed=False)
    assert actions.do_confirm_two_factor(world.parent, actor=world.parent, code=current_code(new))
    assert list(TOTPDevice.objects.filter(user=world.parent).values_list("pk", flat=True)) == [
        new.pk
    ]
    assert not TOTPDevice.objects.filter(pk=old_id).exists()


def test_a_code_sent_without_a_set_up_starts_none(client, world):  # type: ignore[no-untyped-def]
    # Starting a set-up is the page's job; a refused post must not write one.
    client.force_login(world.parent)
    response = client.post(SETUP, {"action": "confirm", "code": "123456"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.parent).exists()
