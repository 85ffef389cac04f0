"""API tokens expire after SAMEPAGE_API_TOKEN_DAYS, and the settings page says when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samepage import factories as f
from samepage.accounts import actions
from samepage.accounts.models import ApiToken, User
from samepage.core.models import AuditEvent

SETTINGS = "/accounts/settings/"


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _token_row(html: str, name: str) -> str:
    start = html.index(f'<th scope="row">{name}</th>')
    return html[start : html.index("</tr>", start)]


def test_new_token_expires_after_the_configured_days(world: Any, settings: Any) -> None:
    settings.SAMEPAGE_API_TOKEN_DAYS = 30
    before = timezone.now()
    token, _raw = actions.do_create_api_token(world.parent, actor=world.parent, name="Sync")
    after = timezone.now()
    assert before + timedelta(days=30) <= token.expires_at <= after + timedelta(days=30)
    event = AuditEvent.objects.get(action="api_token.created", target_id=str(token.pk))
    assert event.changes["expires_at"] == token.expires_at.isoformat()


def test_default_is_ninety_days(world: Any) -> None:
    token, _raw = actions.do_create_api_token(world.parent, actor=world.parent, name="Sync")
    assert abs(token.expires_at - timezone.now() - timedelta(days=90)) < timedelta(minutes=1)


def test_a_token_is_expired_from_its_expiry_moment(world: Any) -> None:
    token, _raw = actions.do_create_api_token(world.parent, actor=world.parent, name="Sync")
    assert token.is_active
    token.expires_at = timezone.now()
    assert token.is_expired
    assert not token.is_active
    assert not token.is_revoked


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "Feb. 28, 2027"), ("es", "28 de febrero de 2027")]
)
def test_settings_page_shows_expiry_in_the_readers_zone_and_language(
    world: Any, language: str, shown: str
) -> None:
    # 03:00 UTC on 1 March is still the evening of 28 February in Chicago.
    User.objects.filter(pk=world.parent.pk).update(language=language, time_zone="America/Chicago")
    token, _raw = actions.do_create_api_token(world.parent, actor=world.parent, name="Sync")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=datetime(2027, 3, 1, 3, tzinfo=UTC))
    row = _token_row(_signed_in(world.parent).get(SETTINGS).content.decode(), "Sync")
    assert f"<td>{shown}</td>" in row


def test_settings_page_marks_expired_tokens_and_offers_no_revoke(world: Any) -> None:
    live, _raw = actions.do_create_api_token(world.parent, actor=world.parent, name="Live")
    old, _raw = actions.do_create_api_token(world.parent, actor=world.parent, name="Old")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    html = _signed_in(world.parent).get(SETTINGS).content.decode()
    assert '<span class="status">Expired</span>' in _token_row(html, "Old")
    assert reverse("accounts:revoke_api_token", args=[old.pk]) not in html
    assert "Expired" not in _token_row(html, "Live")
    assert reverse("accounts:revoke_api_token", args=[live.pk]) in _token_row(html, "Live")


def test_expired_is_marked_in_spanish(world: Any) -> None:
    User.objects.filter(pk=world.parent.pk).update(language="es")
    old, _raw = actions.do_create_api_token(world.parent, actor=world.parent, name="Old")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    html = _signed_in(world.parent).get(SETTINGS).content.decode()
    assert '<span class="status">Vencido</span>' in _token_row(html, "Old")


def test_settings_page_says_how_long_a_new_token_lasts(world: Any, settings: Any) -> None:
    settings.SAMEPAGE_API_TOKEN_DAYS = 45
    html = _signed_in(world.parent).get(SETTINGS).content.decode()
    assert "A new token works for 45 days." in html
    User.objects.filter(pk=world.parent.pk).update(language="es")
    settings.SAMEPAGE_API_TOKEN_DAYS = 1
    html = _signed_in(world.parent).get(SETTINGS).content.decode()
    assert "Un token nuevo funciona durante 1 día." in html


@pytest.mark.django_db(transaction=True)
def test_migration_gives_existing_tokens_their_creation_plus_the_default(
    settings: Any,
) -> None:
    settings.SAMEPAGE_API_TOKEN_DAYS = 90
    before_expiry = [("accounts", "0002_api_token_expiry_and_revoked_reason")]
    executor = MigrationExecutor(connection)
    executor.migrate(before_expiry)
    old_apps = executor.loader.project_state(before_expiry).apps
    OldUser = old_apps.get_model("accounts", "User")
    OldToken = old_apps.get_model("accounts", "ApiToken")
    owner = OldUser.objects.create(email="old.timer@example.org", full_name="Old Timer")
    made = datetime(2026, 1, 10, 15, 30, tzinfo=UTC)
    for name, revoked_at in [("kept", None), ("dropped", made)]:
        token = OldToken.objects.create(
            user=owner, name=name, token_hash=name * 8, prefix="sp_x", revoked_at=revoked_at
        )
        OldToken.objects.filter(pk=token.pk).update(created_at=made)

    # Forward to every app's newest migration, not just this one: going back to 0002
    # also took back whatever depends on it, and later tests in this process expect the
    # whole schema (a column added after 0004 was missing from the rest of the run).
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    kept = ApiToken.objects.get(name="kept")
    assert kept.expires_at == made + timedelta(days=90)
    assert kept.is_expired  # older than 90 days when the migration ran
    assert kept.revoked_reason == ""
    assert ApiToken.objects.get(name="dropped").revoked_reason == "revoked"


def test_new_rows_get_an_expiry_even_without_the_action(world: Any, settings: Any) -> None:
    # Rows made directly (test helpers, the shell) still expire.
    settings.SAMEPAGE_API_TOKEN_DAYS = 7
    token = ApiToken.objects.create(
        user=f.make_user(), name="Direct", token_hash="d" * 64, prefix="sp_d"
    )
    assert timezone.now() + timedelta(days=6) < token.expires_at <= timezone.now() + timedelta(7)
