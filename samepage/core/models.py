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

    Written by the action that made the change, in the same transaction, without waiting
    for any other writer: ``seq`` comes from the database's own sequence, and ``mac`` is
    an HMAC over the event's canonical content (seq included) under the audit key, which
    lives in the environment, never in the database. Shortly after commit the sealer
    links events into keyed ``AuditCheckpoint`` rows. Database triggers refuse UPDATE and
    DELETE; ``manage.py verify_audit`` finds what someone with raw database access changed
    anyway. Rows written before the keyed design keep their SHA-256 chain
    (``prev_hash``/``hash``, ``mac`` empty) as a legacy prefix that the first checkpoint
    anchors under the key.
    """

    seq = models.BigAutoField(primary_key=True)
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
    # Which audit key made ``mac`` (a fingerprint, not the key), so rotated keys verify.
    key_id = models.CharField(max_length=32, blank=True, default="")
    mac = models.CharField(max_length=64, blank=True, default="")
    # The legacy SHA-256 chain; empty on events written by the keyed design.
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id}"


class AuditCheckpoint(models.Model):
    """A keyed seal over a batch of committed audit events, chained to the one before.

    Made only by the sealer (``samepage.core.audit_seal``), never by a writer. It names
    exactly which event numbers it covers (``ranges``), how many, and a digest of their
    MACs; ``waiting`` lists numbers below ``high_seq`` not seen yet (a transaction still
    open, or one that rolled back). Its ``mac`` covers all of that and the previous
    checkpoint's ``mac``, so a removed, changed or inserted event or checkpoint shows.
    The newest checkpoint is also written outside the database (the anchor file and
    the log), so a removed tail shows too.
    """

    number = models.BigIntegerField(unique=True)
    chain = models.CharField(max_length=32)
    created_at = models.DateTimeField()
    key_id = models.CharField(max_length=32)
    prev_mac = models.CharField(max_length=64)
    ranges: models.JSONField[list[list[int]], list[list[int]]] = models.JSONField(default=list)
    event_count = models.BigIntegerField()
    events_digest = models.CharField(max_length=64)
    high_seq = models.BigIntegerField()
    waiting: models.JSONField[list[list[int]], list[list[int]]] = models.JSONField(default=list)
    # Set on the first checkpoint only: the legacy SHA-256 chain it vouches for.
    legacy_count = models.BigIntegerField(default=0)
    legacy_hash = models.CharField(max_length=64, blank=True, default="")
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"audit checkpoint {self.number}"


class AuditChainHead(models.Model):
    """The newest link of the legacy SHA-256 chain, frozen when the keyed design came in.

    Writers no longer touch it. ``verify_audit`` compares the legacy events with it until
    the first ``AuditCheckpoint`` vouches for them under the key.
    """

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


class CachedTranslation(models.Model):
    """One text's translation into one language, as the translation server gave it.

    ``key`` is the SHA-256 of the source language, the target language and the text
    (``core.translation.cache_key``), so the cache holds no copy of what was written,
    only its translation, and a changed text is translated afresh. Written by
    ``core.translation.translate`` only: a cache, not a record anyone acts on.
    """

    key = models.CharField(max_length=64, unique=True)
    source_language = models.CharField(max_length=8)
    target_language = models.CharField(max_length=8)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cached translation")
        verbose_name_plural = _("cached translations")

    def __str__(self) -> str:
        return f"{self.source_language}→{self.target_language} {self.key[:12]}"
