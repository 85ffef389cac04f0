"""Notices: one person's copy of something that happened to a child they work with."""

from __future__ import annotations

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
    params = models.JSONField(default=dict, blank=True)
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # When the email went out: a task run twice finds it set and sends nothing.
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

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
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def title(self) -> Any:
        """The title in the active language (the reader's, or the email's)."""
        return title_of(self.kind, self.params)
