"""Every write to accounts: preferences, invitations, tokens, two-factor devices."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from samepage.accounts.models import User, validate_language, validate_time_zone
from samepage.core.audit import diff, record_audit, snapshot


def do_change_preferences(
    user: User, *, actor: Any, language: str | None, time_zone: str | None
) -> User:
    """Change a person's language and/or time zone (validated; raises ValidationError)."""
    fields = []
    if language is not None:
        validate_language(language)
        fields.append("language")
    if time_zone is not None:
        validate_time_zone(time_zone)
        fields.append("time_zone")
    if not fields:
        return user
    with transaction.atomic():
        before = snapshot(user, fields)
        if language is not None:
            user.language = language
        if time_zone is not None:
            user.time_zone = time_zone
        after = snapshot(user, fields)
        changes = diff(before, after)
        if changes:
            user.save(update_fields=fields)
            record_audit(actor=actor, action="user.preferences_changed", target=user, changes=changes)
    return user


def do_create_user(
    *,
    actor: Any,
    email: str,
    full_name: str,
    password: str | None = None,
    language: str = "en",
    **extra: Any,
) -> User:
    """Create a person. Without a password they cannot sign in until invited."""
    with transaction.atomic():
        user = User(email=email.strip().lower(), full_name=full_name, language=language, **extra)
        user.full_clean(exclude=["password"])
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        record_audit(
            actor=actor, action="user.created", target=user,
            changes={"email": user.email, "language": language},
        )
    return user
