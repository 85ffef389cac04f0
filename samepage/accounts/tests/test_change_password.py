"""Changing one's password from the settings page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from samepage.accounts.models import ApiToken, User
from samepage.core.models import AuditEvent
from samepage.factories import PASSWORD

SETTINGS = "/accounts/settings/"
CHANGE = "/accounts/settings/password/"
NEW = "a quiet river at dawn 47"

pytestmark = pytest.mark.django_db


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _change(client: Client, old: str, new: str = NEW, again: str | None = None) -> Any:
    return client.post(
        CHANGE, {"old_password": old, "new_password1": new, "new_password2": again or new}
    )


def test_settings_page_offers_password_change(world: Any) -> None:
    html = _signed_in(world.parent).get(SETTINGS).content.decode()
    assert 'action="/accounts/settings/password/"' in html
    assert '<label for="id_old_password">Current password</label>' in html
    assert 'autocomplete="current-password"' in html
    assert 'autocomplete="new-password"' in html


def test_wrong_current_password_is_refused_with_a_message(world: Any) -> None:
    client = _signed_in(world.parent)
    before = User.objects.get(pk=world.parent.pk).password
    response = _change(client, "not my password")
    assert response.status_code == 400
    assert "That is not your current password. Please type it again." in response.content.decode()
    assert User.objects.get(pk=world.parent.pk).password == before
    assert not AuditEvent.objects.filter(action="user.password_changed").exists()


def test_new_password_must_pass_the_validators_and_match(world: Any) -> None:
    client = _signed_in(world.parent)
    weak = _change(client, PASSWORD, new="123", again="123").content.decode()
    assert "This password is too short." in weak
    mismatch = _change(client, PASSWORD, again=NEW + "x").content.decode()
    assert "The two new passwords do not match." in mismatch
    assert User.objects.get(pk=world.parent.pk).check_password(PASSWORD)


def test_success_changes_the_hash_keeps_this_session_and_ends_the_others(world: Any) -> None:
    here = _signed_in(world.parent)
    elsewhere = _signed_in(world.parent)
    before = User.objects.get(pk=world.parent.pk).password

    response = _change(here, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/settings/#password"

    user = User.objects.get(pk=world.parent.pk)
    assert user.password != before
    assert user.check_password(NEW)
    event = AuditEvent.objects.get(action="user.password_changed")
    assert event.actor_id == world.parent.pk
    assert NEW not in str(event.changes)

    page = here.get(SETTINGS)
    assert page.status_code == 200
    assert "Your password is changed." in page.content.decode()
    signed_out = elsewhere.get(SETTINGS)
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/accounts/login/")


def test_api_tokens_stop_working_after_a_password_change(world: Any) -> None:
    from samepage.accounts import actions

    token, raw = actions.do_create_api_token(world.parent, actor=world.parent, name="Sync")
    _change(_signed_in(world.parent), PASSWORD)
    assert not ApiToken.objects.get(pk=token.pk).is_active
    api = Client().get("/api/v1/students", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 401


def test_messages_are_in_spanish_for_a_spanish_reader(world: Any) -> None:
    User.objects.filter(pk=world.parent.pk).update(language="es")
    client = _signed_in(world.parent)
    refused = _change(client, "not my password").content.decode()
    assert "Esa no es su contraseña actual. Escríbala de nuevo." in refused
    _change(client, PASSWORD)
    page = client.get(SETTINGS).content.decode()
    assert "Se cambió su contraseña." in page


def test_anonymous_cannot_post_a_password_change(client: Client) -> None:
    response = _change(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
