"""Shared building blocks: the base model and the audit trail of every write."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Every SamePage record knows when it was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One write someone made: who, what, to which record, with fields before and after.

    Written by the action that made the change, in the same transaction. Rows are only
    ever inserted: database triggers refuse UPDATE and DELETE, and each row carries a
    SHA-256 hash over its own content and the previous row's hash, so a changed or
    removed row breaks the chain (``manage.py verify_audit``).
    """

    seq = models.BigIntegerField(unique=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(max_length=100)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    changes: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(
        default=dict, blank=True
    )

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id}"


class AuditChainHead(models.Model):
    """The newest link of the audit chain; one row, locked by each writer in turn."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head {self.seq}"


class AccessEvent(models.Model):
    """One view of a child's record (IDEA 300.614): who, when, which part, how, and why.

    Written once per request that shows a child's record, by anyone. For outside parties
    the purpose comes from the family's consent grant.
    """

    class Via(models.TextChoices):
        PAGE = "page", _("web page")
        API = "api", _("API")
        EXPORT = "export", _("export")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(
        "schools.Student", on_delete=models.PROTECT, related_name="access_events"
    )
    part = models.CharField(_("part of the record"), max_length=20)
    # The person's relation to the child at the time (guardian, case_manager, provider…).
    role = models.CharField(_("role"), max_length=30)
    via = models.CharField(_("via"), max_length=10, choices=Via.choices)
    purpose = models.TextField(_("purpose"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["student", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} viewed {self.part} of {self.student_id}"
