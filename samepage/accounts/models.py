"""People who sign in, how they are invited, and their API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samepage.core.dates import local_date, valid_time_zones, validate_time_zone
from samepage.core.models import TimeStampedModel

__all__ = ["valid_time_zones", "validate_time_zone"]


def validate_language(value: str) -> None:
    if value not in dict(settings.LANGUAGES):
        raise ValidationError(
            _("“%(value)s” is not a language SamePage speaks yet."),
            code="invalid_language",
            params={"value": value},
        )


# E.164: a plus, a country code and the number, 8 to 15 digits in all, no spaces.
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
# What people type between the digits: spaces, dashes, dots and brackets.
_PHONE_SEPARATORS = re.compile(r"[\s\-.()]")


def normalize_phone_number(value: str) -> str:
    """``value`` without the separators people type ("+1 (512) 555-0100" → "+15125550100")."""
    return _PHONE_SEPARATORS.sub("", value or "")


def validate_phone_number(value: str) -> None:
    if not _E164.match(normalize_phone_number(value)):
        raise ValidationError(
            _(
                "Enter the mobile number with its country code, starting with +, "
                "for example +1 512 555 0100."
            ),
            code="invalid_phone_number",
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    """A person who can sign in: staff, guardian, student, advocate or interpreter.

    Email is the login. What a person may see comes from their links (staff profile,
    guardian links, student account, team memberships, consent grants), never from a
    flag on this row.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        default="en",
        choices=settings.LANGUAGES,
        validators=[validate_language],
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
    )
    # For text messages, if the person chooses them (stored in E.164, "+15125550100").
    phone_number = models.CharField(
        _("mobile phone number"),
        max_length=16,
        blank=True,
        default="",
        validators=[validate_phone_number],
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_advocate = models.BooleanField(
        _("educational advocate"),
        default=False,
        help_text=_("An outside advocate who sees a child only with a family's consent."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # How many of this person's notices are unread: a stored count the notifications
    # app keeps, so the header's badge costs no query (this row is read for every
    # request anyway).
    unread_notice_count = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # The people page lists everyone someone may invite by name, a page at a time.
        indexes = [models.Index(fields=["full_name", "email", "id"], name="person_by_name")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name or self.email

    @property
    def is_staff(self) -> bool:
        # Django's admin is not installed; nobody gets the admin's "staff" flag.
        return False

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()


class Invitation(TimeStampedModel):
    """An invitation for a person to set a password and join SamePage.

    The link carries a signed value holding the invitation id and a nonce. It works once,
    expires after SAMEPAGE_INVITATION_DAYS, and resending replaces the nonce so only the
    newest link works.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations")
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nonce = models.CharField(max_length=64, default="")
    expires_at = models.DateTimeField()
    sent_count = models.PositiveIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.user.email}"

    @staticmethod
    def new_expiry() -> Any:
        return timezone.now() + timedelta(days=settings.SAMEPAGE_INVITATION_DAYS)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "pending"


TOKEN_PREFIX = "sp_"  # noqa: S105 (a label, not a secret)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_token_expiry() -> datetime:
    """When a token made now stops working: SAMEPAGE_API_TOKEN_DAYS from now."""
    return timezone.now() + timedelta(days=settings.SAMEPAGE_API_TOKEN_DAYS)


class TokenRevokedReason(models.TextChoices):
    """Why a token stopped working before it expired."""

    BY_PERSON = "revoked", _("Revoked by its owner")
    PASSWORD_CHANGED = "password_changed", _("The password changed.")
    PASSWORD_RESET = "password_reset", _("The password was reset.")


class ApiToken(TimeStampedModel):
    """A personal access token for the JSON API. Only its SHA-256 hash is stored.

    It works until ``expires_at`` unless revoked first (by its owner, or by a password
    change or reset). Whether its owner may use it at all (active, not locked out, staff
    with two-factor when that is required) is checked on every request by the API.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    # First characters of the token, shown so people can tell their tokens apart.
    prefix = models.CharField(max_length=12)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), default=new_token_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(
        max_length=20, choices=TokenRevokedReason.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_active(self) -> bool:
        """Neither revoked nor expired (the owner's own state is checked separately)."""
        return not self.is_revoked and not self.is_expired

    @property
    def revoked_because(self) -> str:
        """Why it was revoked, when it was not its owner's own choice; else empty."""
        if self.revoked_reason in ("", TokenRevokedReason.BY_PERSON):
            return ""
        return str(TokenRevokedReason(self.revoked_reason).label)

    @property
    def expires_on(self) -> date:
        """The reader's calendar date on which the token stops working."""
        return local_date(self.expires_at)
