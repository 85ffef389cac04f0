"""Notices: one person's copy of something that happened to a child they work with."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samepage.notifications.kinds import title_of
from samepage.schools.models import Student


class Notice(models.Model):
    """One event as one recipient gets it: in the centre, and by email.

    The title is kept as its kind and the names it mentions (``params``), not as text,
    so each reader sees it in their own language. ``link`` is the page to act on, a path
    on this site worked out when the notice was made. ``key`` is the event's key: one
    notice per person per event, however often the event is handled.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="+", verbose_name=_("student")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    link = models.CharField(_("link"), max_length=500)
    # The part of the record the event is in (``teams.permissions.Part``), asked again
    # with the kind's audience when the notice is emailed or texted.
    part = models.CharField(_("part"), max_length=30, blank=True, default="")
    params = models.JSONField(default=dict, blank=True)
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # When the email went out: a task run twice finds it set and sends nothing.
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    # An email that fell in the recipient's quiet hours waits until this moment.
    held_until = models.DateTimeField(_("held until"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notice_per_event"),
        ]
        indexes = [
            # The unread badge: a person's unread notices.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notice_unread"),
            # The centre: a person's notices newest first, a page at a time.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notice_inbox"),
            # Digests and held emails read only the notices not yet emailed.
            models.Index(
                fields=["recipient", "created_at"],
                condition=models.Q(emailed_at__isnull=True),
                name="notice_not_emailed",
            ),
            models.Index(
                fields=["held_until"],
                condition=models.Q(emailed_at__isnull=True, held_until__isnull=False),
                name="notice_held",
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def read_target(self) -> Any:
        """The record the notice is about, read again; None once it is gone."""
        model = ContentType.objects.get_for_id(self.target_type_id).model_class()
        if model is None:
            return None
        return model._default_manager.filter(pk=self.target_id).first()

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def title(self) -> Any:
        """The title in the active language (the reader's, or the email's)."""
        return title_of(self.kind, self.params)


class Channel(models.TextChoices):
    EACH = "each", _("An email for each notice")
    DIGEST = "digest", _("One email a day with all of them")
    NONE = "none", _("No email (still shown in SamePage)")


class NotificationPreference(models.Model):
    """How one person hears of one category of notice by email and text message (in
    SamePage, always).

    A row exists only once the person chose; until then ``preferences.default_channel``
    answers (families each, staff a daily digest).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    # A key of ``kinds.CATEGORIES``; no ``choices`` here, so an app adding a category
    # needs no migration of this one (the form and the actions accept only known keys).
    category = models.CharField(_("category"), max_length=20)
    channel = models.CharField(_("email"), max_length=10, choices=Channel.choices)
    # Also a text message for each notice of the category (families only; needs a
    # phone number on the person's account).
    by_text = models.BooleanField(_("text message"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="one_preference_per_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category}: {self.channel}"


QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(7, 0)


class EmailSchedule(models.Model):
    """When one person's emails may go out: their quiet hours, in their own time zone,
    and the day their last digest went (so a digest goes once a day, however often the
    digest job runs). A person without a row has the default quiet hours, 21:00–07:00."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_schedule",
        verbose_name=_("person"),
    )
    quiet_from = models.TimeField(_("quiet hours start"), default=QUIET_FROM)
    quiet_until = models.TimeField(_("quiet hours end"), default=QUIET_UNTIL)
    # The person's local date of their last digest.
    last_digest_on = models.DateField(_("last digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("email schedule")
        verbose_name_plural = _("email schedules")

    def __str__(self) -> str:
        return f"{self.user_id}: quiet {self.quiet_from}–{self.quiet_until}"


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    DIGEST = "digest", _("Daily digest email")


# After each failed attempt, the next waits this long; after the last, it is given up.
RETRY_BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)


class Delivery(models.Model):
    """One notice sent, or being tried, by one channel (its own email, or a text).

    Made at the first attempt. A failure is kept (``last_error``, ``attempts``) and
    tried again at ``next_attempt_at`` after a growing wait (``RETRY_BACKOFF``), then
    given up (``given_up_at``) and shown to the district's administrators, who may try it
    again. A text held for quiet hours waits here too (``next_attempt_at``, no attempt
    counted). ``sent_at`` set means it went: a task run twice sends nothing more.
    """

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notice")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=DeliveryChannel.choices)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True, default="")
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    given_up_at = models.DateTimeField(_("given up"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notice", "channel"], name="one_delivery_per_channel"),
        ]
        indexes = [
            # The retry job: deliveries waiting for their next attempt.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(sent_at__isnull=True, next_attempt_at__isnull=False),
                name="delivery_due",
            ),
            # The administrators' page: failures, newest first.
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(sent_at__isnull=True, attempts__gt=0),
                name="delivery_failed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.channel}: {self.attempts} attempt(s)"

    @property
    def failed(self) -> bool:
        return self.sent_at is None and self.attempts > 0
