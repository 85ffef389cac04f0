"""Writing audit events from actions (STYLE rule 2: explicit audit beats signals).

Every event is one link of a hash chain: its hash covers its content and the previous
event's hash. Writers take turns through a lock on the single ``AuditChainHead`` row, so
the chain stays whole under concurrent writers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from samepage.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The current values of ``fields``, JSON-ready, to compare after a change."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def event_hash(
    *,
    seq: int,
    prev_hash: str,
    created_at: datetime,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    changes: dict[str, Any],
) -> str:
    body = json.dumps(
        {
            "seq": seq,
            "prev": prev_hash,
            "at": created_at.astimezone(UTC).isoformat(),
            "actor": actor_id,
            "action": action,
            "target": [target_type, target_id],
            "changes": changes,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _locked_head() -> AuditChainHead:
    AuditChainHead.objects.bulk_create([AuditChainHead(pk=1)], ignore_conflicts=True)
    return AuditChainHead.objects.select_for_update().get(pk=1)


def record_audit(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row. Call inside the action's transaction."""
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    plain_changes = _plain(changes or {})
    # Round-trip through JSON so the hash covers exactly what the database gives back.
    plain_changes = json.loads(json.dumps(plain_changes))
    with transaction.atomic():
        head = _locked_head()
        created_at = timezone.now()
        seq = head.seq + 1
        fields = {
            "seq": seq,
            "prev_hash": head.hash,
            "created_at": created_at,
            "actor_id": actor_id,
            "action": action,
            "target_type": target._meta.label_lower,
            "target_id": str(target.pk),
            "changes": plain_changes,
        }
        digest = event_hash(**fields)
        event = AuditEvent.objects.create(hash=digest, **fields)
        head.seq = seq
        head.hash = digest
        head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify_chain() -> tuple[int, ChainBreak | None]:
    """Walk the whole chain; return how many events are sound and the first break."""
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    events = AuditEvent.objects.order_by("seq").values(
        "seq",
        "prev_hash",
        "hash",
        "created_at",
        "actor_id",
        "action",
        "target_type",
        "target_id",
        "changes",
    )
    for row in events.iterator(chunk_size=2000):
        if row["seq"] != expected_seq:
            return checked, ChainBreak(expected_seq, "missing event")
        if row["prev_hash"] != expected_prev:
            return checked, ChainBreak(row["seq"], "does not follow the previous event")
        recomputed = event_hash(
            seq=row["seq"],
            prev_hash=row["prev_hash"],
            created_at=row["created_at"],
            actor_id=row["actor_id"],
            action=row["action"],
            target_type=row["target_type"],
            target_id=row["target_id"],
            changes=row["changes"],
        )
        if recomputed != row["hash"]:
            return checked, ChainBreak(row["seq"], "content changed after it was written")
        expected_prev = row["hash"]
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.seq != checked:
        return checked, ChainBreak(checked + 1, "events after this one are missing")
    return checked, None
