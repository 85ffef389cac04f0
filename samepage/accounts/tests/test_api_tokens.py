from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from samepage.accounts import actions
from samepage.accounts.models import ApiToken, hash_token
from samepage.core.models import AuditEvent


def test_create_action_returns_raw_once_and_stores_hash(world):  # type: ignore[no-untyped-def]
    token, raw = actions.do_create_api_token(world.parent, actor=world.parent, name="Laptop")
    assert raw.startswith("sp_")
    assert token.token_hash == hash_token(raw)
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert raw.startswith(token.prefix)
    assert AuditEvent.objects.filter(action="api_token.created", target_id=str(token.pk)).exists()


def test_create_action_needs_a_name(world):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        actions.do_create_api_token(world.parent, actor=world.parent, name="   ")


def test_create_from_settings_shows_token_once(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.parent)
    response = client.post(reverse("accounts:create_api_token"), {"name": "Spreadsheet"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=world.parent)
    html = response.content.decode()
    raw = html.split('<code class="secret">', 1)[1].split("</code>", 1)[0]
    assert token.token_hash == hash_token(raw)
    again = client.get(reverse("accounts:settings")).content.decode()
    assert raw not in again
    assert "Spreadsheet" in again and token.prefix in again


def test_create_with_blank_name_is_explained(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.parent)
    response = client.post(reverse("accounts:create_api_token"), {"name": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_own_token(client, world):  # type: ignore[no-untyped-def]
    token, _raw = actions.do_create_api_token(world.parent, actor=world.parent, name="Old")
    client.force_login(world.parent)
    response = client.post(reverse("accounts:revoke_api_token", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoked", actor=world.parent).exists()
    assert "Revoked" in client.get(reverse("accounts:settings")).content.decode()


def test_cannot_see_or_revoke_someone_elses_token(client, world):  # type: ignore[no-untyped-def]
    token, _raw = actions.do_create_api_token(world.parent, actor=world.parent, name="Alice's")
    client.force_login(world.other_parent)
    assert "Alice&#x27;s" not in client.get(reverse("accounts:settings")).content.decode()
    response = client.post(reverse("accounts:revoke_api_token", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_cannot_create_or_revoke(client, world):  # type: ignore[no-untyped-def]
    token, _raw = actions.do_create_api_token(world.parent, actor=world.parent, name="T")
    assert client.post(reverse("accounts:create_api_token"), {"name": "x"}).status_code == 302
    assert client.post(reverse("accounts:revoke_api_token", args=[token.pk])).status_code == 302
    assert ApiToken.objects.count() == 1


def test_command_prints_token(world, capsys):  # type: ignore[no-untyped-def]
    call_command("create_api_token", "--email", world.parent.email.upper(), "--name", "CLI")
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=world.parent)
    assert token.name == "CLI"
    assert token.token_hash == hash_token(raw)
    assert AuditEvent.objects.filter(action="api_token.created", actor=None).exists()


def test_command_unknown_email(db):  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="No person has the email address"):
        call_command("create_api_token", "--email", "nobody@example.org")
