"""Small helpers for API tests: tokens and clients for the named users."""

from __future__ import annotations

from typing import Any

from django.test import Client

from samepage.accounts.models import ApiToken, User, hash_token, new_raw_token

API = "/api/v1"
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def make_token(user: User, name: str = "Test script", **extra: Any) -> tuple[str, ApiToken]:
    """A new personal access token for ``user``: the raw value and its row."""
    raw = new_raw_token()
    token = ApiToken.objects.create(
        user=user, name=name, token_hash=hash_token(raw), prefix=raw[:8], **extra
    )
    return raw, token


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def token_client(user: User) -> Client:
    """A client that sends a fresh token for ``user`` on every request, and no cookies."""
    raw, _token = make_token(user)
    return Client(headers=bearer(raw))


def session_client(user: User, *, enforce_csrf_checks: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    client.force_login(user, backend=SESSION_BACKEND)
    return client
