"""A password change or reset revokes every working API token of that person."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samepage.accounts import actions
from samepage.accounts.models import ApiToken, TokenRevokedReason, User
from samepage.core.models import AuditEvent
from samepage.factories import PASSWORD

NEW = "a quiet river at dawn 47"


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _tokens(user: User) -> tuple[ApiToken, ApiToken, ApiToken]:
    live, _raw = actions.do_create_api_token(user, actor=user, name="Live")
    gone, _raw = actions.do_create_api_token(user, actor=user, name="Gone")
    actions.do_revoke_api_token(gone, actor=user)
    old, _raw = actions.do_create_api_token(user, actor=user, name="Old")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    return live, gone, old


def test_change_revokes_working_tokens_with_the_reason(world: Any) -> None:
    live, gone, old = _tokens(world.parent)
    theirs, _raw = actions.do_create_api_token(world.other_parent, actor=None, name="Bob's")
    gone_at = ApiToken.objects.get(pk=gone.pk).revoked_at
    actions.do_change_password(world.parent, NEW, actor=world.parent)

    live.refresh_from_db()
    assert live.revoked_at is not None
    assert live.revoked_reason == TokenRevokedReason.PASSWORD_CHANGED
    event = AuditEvent.objects.get(action="api_token.revoked", target_id=str(live.pk))
    assert event.actor_id == world.parent.pk
    assert event.changes == {"reason": "password_changed"}
    # Already revoked or expired tokens keep saying how they ended.
    gone.refresh_from_db()
    assert (gone.revoked_at, gone.revoked_reason) == (gone_at, TokenRevokedReason.BY_PERSON)
    old.refresh_from_db()
    assert old.revoked_at is None and old.is_expired
    # Nobody else's tokens are touched.
    theirs.refresh_from_db()
    assert theirs.is_active


def test_reset_revokes_working_tokens_with_the_reason(world: Any) -> None:
    live, _gone, old = _tokens(world.parent)
    actions.do_reset_password(world.parent, NEW, actor=world.parent)
    live.refresh_from_db()
    assert live.revoked_reason == TokenRevokedReason.PASSWORD_RESET
    assert not live.is_active
    assert AuditEvent.objects.filter(
        action="api_token.revoked", target_id=str(live.pk), changes={"reason": "password_reset"}
    ).exists()
    old.refresh_from_db()
    assert old.revoked_at is None


def test_a_refused_change_leaves_tokens_working(world: Any) -> None:
    live, _raw = actions.do_create_api_token(world.parent, actor=world.parent, name="Live")
    response = _signed_in(world.parent).post(
        reverse("accounts:change_password"),
        {"old_password": "not my password", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 400
    live.refresh_from_db()
    assert live.is_active
    assert not AuditEvent.objects.filter(action="api_token.revoked").exists()


def test_settings_page_says_tokens_stopped_and_why(world: Any) -> None:
    actions.do_create_api_token(world.parent, actor=world.parent, name="Sync")
    client = _signed_in(world.parent)
    response = client.post(
        reverse("accounts:change_password"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    html = response.content.decode()
    assert "your API tokens no longer work" in html
    row = html[html.index('<th scope="row">Sync</th>') :]
    row = row[: row.index("</tr>")]
    assert "Revoked " in row and "The password changed." in row


def test_settings_page_says_why_in_spanish(world: Any) -> None:
    User.objects.filter(pk=world.parent.pk).update(language="es")
    actions.do_create_api_token(world.parent, actor=world.parent, name="Sync")
    actions.do_reset_password(world.parent, NEW, actor=world.parent)
    html = _signed_in(world.parent).get(reverse("accounts:settings")).content.decode()
    assert "La contraseña se restableció." in html
    assert "sus tokens de API dejan de funcionar" in html


def test_reset_through_the_emailed_link_stops_the_token(client: Client, world: Any) -> None:
    _token, raw = actions.do_create_api_token(world.parent, actor=world.parent, name="Sync")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    assert api.get("/api/v1/me").status_code == 200
    client.post(reverse("accounts:password_reset"), {"email": world.parent.email})
    link = re.search(
        r"https?://testserver(/accounts/password-reset/\S+/)", str(mail.outbox[0].body)
    )
    assert link
    form_url = client.get(link.group(1))["Location"]
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert api.get("/api/v1/me").status_code == 401
