"""Small helpers for API tests: tokens and clients for the named users."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.test import Client

from samepage.accounts.models import ApiToken, User, hash_token, new_raw_token
from samepage.core.dates import district_today
from samepage.core.models import AuditEvent
from samepage.schools.models import Student
from samepage.teams.actions import check_grant_consent
from samepage.teams.models import ConsentGrant, Scope, TeamMembership
from samepage.teams.permissions import student_access

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


def send_json(client: Client, method: str, url: str, body: Any = None) -> Any:
    """POST/PUT ``body`` as JSON (no body at all when it is None)."""
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, url, data, content_type="application/json")


def row_counts() -> dict[str, int]:
    """Rows a refused write must leave alone; compare before and after."""
    return {
        "memberships": TeamMembership.objects.count(),
        "ended": TeamMembership.objects.filter(end_date__isnull=False).count(),
        "grants": ConsentGrant.objects.count(),
        "revoked": ConsentGrant.objects.filter(revoked_at__isnull=False).count(),
        "audit": AuditEvent.objects.count(),
        "users": User.objects.count(),
    }


def give_consent(
    student: Student,
    *,
    by: User,
    to: User,
    scopes: list[str] | None = None,
    purpose: str = "Help at the annual IEP meeting",
) -> ConsentGrant:
    """A valid grant made through the real action, as a family would."""
    today = district_today(student.district)
    return check_grant_consent(
        actor=by,
        student=student,
        access=student_access(by, student),
        grantee_email=to.email,
        scopes=scopes or [Scope.PLANS, Scope.PROGRESS],
        purpose=purpose,
        starts_on=today,
        expires_on=today + timedelta(days=90),
        signature_name=by.full_name,
        consent_confirmed=True,
    )
