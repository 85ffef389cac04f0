"""The audit trail's keys and the exact bytes they sign.

Events and checkpoints carry an HMAC-SHA256 under ``SAMEPAGE_AUDIT_KEY``. The key lives
in the environment (or ``SAMEPAGE_AUDIT_KEY_FILE``), never in the database, so someone
who can write to the database can change rows but cannot make their MACs match. Each
MAC names its key by ``key_id``, a fingerprint of the key (not the key), so keys rotated
into ``SAMEPAGE_AUDIT_OLD_KEYS`` still verify what they sealed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

# The legacy chain started from this "previous hash".
GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditKeys:
    """The key that signs new MACs and every key that may have signed old ones."""

    current_id: str
    current: bytes
    known: dict[str, bytes]


def key_id_of(key: bytes) -> str:
    return hashlib.sha256(b"samepage-audit-key-id\0" + key).hexdigest()[:16]


def audit_keys() -> AuditKeys:
    # Read on each call (a few microseconds) so tests and rotations need no cache reset.
    current = settings.SAMEPAGE_AUDIT_KEY.encode()
    known = {key_id_of(k.encode()): k.encode() for k in settings.SAMEPAGE_AUDIT_OLD_KEYS}
    current_id = key_id_of(current)
    known[current_id] = current
    return AuditKeys(current_id=current_id, current=current, known=known)


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def _mac(key: bytes, body: dict[str, Any]) -> str:
    return hmac.new(key, _canonical(body), hashlib.sha256).hexdigest()


def event_body(
    *,
    seq: int,
    created_at: datetime,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    changes: Any,
    key_id: str,
) -> dict[str, Any]:
    """What an event's MAC covers: all of its content, its number and its key."""
    return {
        "kind": "samepage.audit.event.v2",
        "seq": seq,
        "at": created_at.astimezone(UTC).isoformat(),
        "actor": actor_id,
        "action": action,
        "target": [target_type, target_id],
        "changes": changes,
        "key": key_id,
    }


def event_mac(key: bytes, **fields: Any) -> str:
    return _mac(key, event_body(**fields))


def checkpoint_body(
    *,
    number: int,
    chain: str,
    created_at: datetime,
    key_id: str,
    prev_mac: str,
    ranges: list[list[int]],
    event_count: int,
    events_digest: str,
    high_seq: int,
    waiting: list[list[int]],
    legacy_count: int,
    legacy_hash: str,
) -> dict[str, Any]:
    return {
        "kind": "samepage.audit.checkpoint.v1",
        "number": number,
        "chain": chain,
        "at": created_at.astimezone(UTC).isoformat(),
        "key": key_id,
        "prev": prev_mac,
        "ranges": ranges,
        "count": event_count,
        "digest": events_digest,
        "high": high_seq,
        "waiting": waiting,
        "legacy": [legacy_count, legacy_hash],
    }


def checkpoint_mac(key: bytes, **fields: Any) -> str:
    return _mac(key, checkpoint_body(**fields))


class EventsDigest:
    """A running SHA-256 over (seq, mac) of the events a checkpoint covers, in seq order."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.count = 0

    def add(self, seq: int, mac: str) -> None:
        self._hash.update(f"{seq}:{mac}\n".encode())
        self.count += 1

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def macs_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def legacy_event_hash(
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
    """The unkeyed SHA-256 of the design before the audit key (kept to check old rows)."""
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
