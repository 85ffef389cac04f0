"""Every write to accounts: preferences, invitations, tokens, two-factor devices."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from samepage.accounts.models import (
    ApiToken,
    Invitation,
    TokenRevokedReason,
    User,
    hash_token,
    new_raw_token,
    new_token_expiry,
    validate_language,
    validate_time_zone,
)
from samepage.accounts.tasks import send_invitation_email
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
            record_audit(
                actor=actor, action="user.preferences_changed", target=user, changes=changes
            )
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
            actor=actor,
            action="user.created",
            target=user,
            changes={"email": user.email, "language": language},
        )
    return user


def do_reset_password(user: User, password: str, *, actor: Any) -> User:
    """Set a new password from the reset-password link (already validated by the form).

    Every API token of theirs stops working, as after a change: a reset is how people take
    back an account whose password someone else may know.
    """
    from axes.utils import reset as reset_lockouts

    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record_audit(actor=actor, action="user.password_reset", target=user)
        _revoke_every_api_token(user, actor=actor, reason=TokenRevokedReason.PASSWORD_RESET)
        # Whoever can read the mailbox has proven who they are; lift any sign-in lockout.
        transaction.on_commit(lambda: reset_lockouts(username=user.email))
    return user


def do_change_password(user: User, password: str, *, actor: Any) -> User:
    """Set a new password the person chose on their settings page (form-validated).

    Every other signed-in session of theirs ends: Django ties a session to a hash of the
    password, so the old hash no longer matches (the view keeps the current session with
    ``update_session_auth_hash``). Every API token of theirs stops working too: a new
    password is how people shut out whoever may have their old credentials.
    """
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record_audit(actor=actor, action="user.password_changed", target=user)
        _revoke_every_api_token(user, actor=actor, reason=TokenRevokedReason.PASSWORD_CHANGED)
    return user


# Invitations ----------------------------------------------------------------------------


def _schedule_invitation_email(invitation: Invitation) -> None:
    invitation_id, nonce = invitation.pk, invitation.nonce
    transaction.on_commit(lambda: send_invitation_email.enqueue(invitation_id, nonce))


def _mark_sent(invitation: Invitation) -> None:
    invitation.nonce = secrets.token_urlsafe(24)
    invitation.expires_at = Invitation.new_expiry()
    invitation.sent_count += 1
    invitation.last_sent_at = timezone.now()


def do_invite(user: User, *, actor: Any) -> Invitation:
    """Invite ``user`` to set a password; the email goes out once the transaction commits.

    Raises ValidationError if they already have an account or an open invitation.
    """
    with transaction.atomic():
        if user.has_usable_password():
            raise ValidationError(
                _("%(name)s already has an account and can sign in."),
                code="has_account",
                params={"name": user.display_name},
            )
        open_invitation = (
            Invitation.objects.select_for_update()
            .filter(
                user=user,
                accepted_at__isnull=True,
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .exists()
        )
        if open_invitation:
            raise ValidationError(
                _("%(name)s already has an open invitation. Resend it instead."),
                code="already_invited",
                params={"name": user.display_name},
            )
        invitation = Invitation(user=user, invited_by=actor if _is_user(actor) else None)
        _mark_sent(invitation)
        invitation.save()
        record_audit(
            actor=actor,
            action="invitation.created",
            target=invitation,
            changes={"user": user.pk, "expires_at": invitation.expires_at.isoformat()},
        )
        _schedule_invitation_email(invitation)
    return invitation


def do_resend_invitation(invitation: Invitation, *, actor: Any) -> Invitation:
    """Send a fresh link: a new nonce and expiry, so earlier links stop working."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(_("This invitation was already accepted."), code="accepted")
        if invitation.revoked_at is not None:
            raise ValidationError(_("This invitation was revoked."), code="revoked")
        _mark_sent(invitation)
        invitation.save(update_fields=["nonce", "expires_at", "sent_count", "last_sent_at"])
        record_audit(
            actor=actor,
            action="invitation.resent",
            target=invitation,
            changes={
                "sent_count": invitation.sent_count,
                "expires_at": invitation.expires_at.isoformat(),
            },
        )
        _schedule_invitation_email(invitation)
    return invitation


def do_revoke_invitation(invitation: Invitation, *, actor: Any) -> Invitation:
    """Stop an invitation's link from working."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(_("This invitation was already accepted."), code="accepted")
        if invitation.revoked_at is not None:
            return invitation
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = actor if _is_user(actor) else None
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        record_audit(actor=actor, action="invitation.revoked", target=invitation)
    return invitation


def do_accept_invitation(
    invitation: Invitation,
    password: str,
    *,
    actor: Any,
    language: str,
    time_zone: str,
) -> User:
    """Set the invited person's password and preferences; the link then stops working.

    Raises ValidationError for a bad password, language or time zone, or when the
    invitation is no longer open (a second tab may have used it a moment ago).
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        )
        if invitation.status != "pending":
            raise ValidationError(_("This invitation can no longer be used."), code="not_open")
        user = invitation.user
        validate_language(language)
        validate_time_zone(time_zone)
        validate_password(password, user)
        user.set_password(password)
        user.language = language
        user.time_zone = time_zone
        user.save(update_fields=["password", "language", "time_zone"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        record_audit(
            actor=actor,
            action="invitation.accepted",
            target=invitation,
            changes={"language": language, "time_zone": time_zone},
        )
    return user


def _is_user(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


# API tokens -------------------------------------------------------------------------------


def lacks_required_two_factor(user: User) -> bool:
    """Staff must have two-factor set up (when SAMEPAGE_REQUIRE_STAFF_2FA is on) to hold a
    working API token: a token skips the sign-in where two-factor is asked for.

    Checked when a token is made and again on every request, so a staff member who later
    turns two-factor off (or a person who becomes staff) cannot go on using one.
    """
    return (
        settings.SAMEPAGE_REQUIRE_STAFF_2FA
        # The staff profile lives in schools, above accounts: read through the relation.
        and hasattr(user, "staff_profile")
        and not user_has_device(user, confirmed=True)
    )


def do_create_api_token(user: User, *, actor: Any, name: str) -> tuple[ApiToken, str]:
    """Make a personal API token. The raw value is returned once and never stored.

    It works for SAMEPAGE_API_TOKEN_DAYS. Raises ValidationError for a bad name, or for a
    staff member without two-factor when staff two-factor is required.
    """
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name you will recognise."), code="required")
    if len(name) > 100:
        raise ValidationError(_("Keep the name under 100 characters."), code="max_length")
    if lacks_required_two_factor(user):
        raise ValidationError(
            _(
                "Staff accounts need two-factor sign-in before they can have an API token. "
                "Set up two-factor sign-in on your settings page, then create the token."
            ),
            code="two_factor_required",
        )
    raw = new_raw_token()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            token_hash=hash_token(raw),
            prefix=raw[:10],
            expires_at=new_token_expiry(),
        )
        record_audit(
            actor=actor,
            action="api_token.created",
            target=token,
            changes={
                "name": name,
                "prefix": token.prefix,
                "expires_at": token.expires_at.isoformat(),
            },
        )
    return token, raw


def do_revoke_api_token(token: ApiToken, *, actor: Any) -> ApiToken:
    """Stop a token from working. Revoking twice is harmless."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_reason = TokenRevokedReason.BY_PERSON
            token.save(update_fields=["revoked_at", "revoked_reason"])
            record_audit(
                actor=actor,
                action="api_token.revoked",
                target=token,
                changes={"reason": token.revoked_reason},
            )
    return token


def _revoke_every_api_token(user: User, *, actor: Any, reason: TokenRevokedReason) -> None:
    """Revoke every token of ``user``'s that still works, one audit row each. Call inside
    the action's transaction, so the tokens stop in the same commit as the password.
    (Expired ones are left alone: they already ended, and say so.)
    """
    now = timezone.now()
    tokens = list(
        ApiToken.objects.select_for_update().filter(
            user=user, revoked_at__isnull=True, expires_at__gt=now
        )
    )
    for token in tokens:
        token.revoked_at = now
        token.revoked_reason = reason
        token.save(update_fields=["revoked_at", "revoked_reason"])
        record_audit(
            actor=actor, action="api_token.revoked", target=token, changes={"reason": reason}
        )


# Two-factor -------------------------------------------------------------------------------


def do_start_two_factor_setup(user: User, *, actor: Any) -> TOTPDevice:
    """The unconfirmed authenticator this person is setting up, made if missing."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="SamePage", confirmed=False)
            record_audit(actor=actor, action="two_factor.setup_started", target=device)
    return device


def do_confirm_two_factor(user: User, *, actor: Any, code: str) -> TOTPDevice | None:
    """Turn two-factor on if ``code`` matches the authenticator being set up.

    Returns the confirmed device, or None when the code is wrong (or too many wrong
    codes came too fast).
    """
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-id")
            .first()
        )
        if device is None or not device.verify_token(code):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # One authenticator per person: drop older ones and abandoned setups.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        record_audit(actor=actor, action="two_factor.enabled", target=device)
    return device


def do_disable_two_factor(user: User, *, actor: Any, code: str) -> bool:
    """Turn two-factor off, proven with a current code. Returns False for a wrong code."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("-id")
            .first()
        )
        if device is None or not device.verify_token(code):
            return False
        record_audit(actor=actor, action="two_factor.disabled", target=device)
        TOTPDevice.objects.filter(user=user).delete()
    return True


# Writing last_used_at on every call would turn each read into a write; a minute is
# precise enough for "when did this token last work?".
LAST_USED_PRECISION = timedelta(minutes=1)


def do_note_api_token_use(token: ApiToken) -> None:
    """Record when a token was last used, at most once per LAST_USED_PRECISION.

    Bookkeeping, not a change anyone made: it writes no audit event.
    """
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    token.last_used_at = now
    token.save(update_fields=["last_used_at"])
