"""Writing audit events from actions (STYLE rule 2: explicit audit beats signals).

Writers never wait for each other: each event takes its number from the database's
sequence and carries its own HMAC under the audit key (``audit_mac``). After the
transaction commits, the sealer (``audit_seal``, run as the ``seal_audit`` task) links
committed events into keyed checkpoints; ``audit_verify`` checks the whole trail.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone

from samepage.core.audit_mac import audit_keys, event_mac
from samepage.core.models import AuditEvent
from samepage.core.tasks import seal_audit


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


def _next_seq(using: str) -> int:
    """The event's number, taken before the insert so its MAC can cover it.

    On PostgreSQL ``nextval`` never waits for another transaction (a rolled-back one
    leaves a gap, which the sealer and ``verify_audit`` expect). SQLite has one writer
    at a time anyway (transactions start IMMEDIATE), so the next number is simply one
    past the highest ever used, counting rows AUTOINCREMENT remembers after a rollback.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence('core_auditevent', 'seq'))")
        else:
            cursor.execute(
                "SELECT MAX(COALESCE((SELECT MAX(seq) FROM core_auditevent), 0), "
                "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'core_auditevent'), 0))"
                " + 1"
            )
        return int(cursor.fetchone()[0])


logger = logging.getLogger("samepage.audit")
_seal_lock = threading.Lock()
_last_seal_enqueued = -math.inf


def _seal_later() -> None:
    try:
        seal_audit.enqueue()
    except Exception:
        # Nobody is waiting on this thread; the next run seals what this one missed.
        logger.exception("audit sealer run failed")
    finally:
        connections.close_all()


def _enqueue_seal() -> None:
    """Ask for a sealer run; with an interval, at most one per process per interval.

    ``SAMEPAGE_AUDIT_SEAL_INTERVAL_MS`` is 0 in development: the sealer runs after every
    commit, in the writer's own request (a second commit for every write). In
    production it defaults to a second: the first write in a window enqueues a sealer to run
    at the window's end, which seals every write of the window, so the queue gets one
    row per second per process, not one per write, and no write is left unsealed. The
    immediate backend cannot defer, so with an interval there the run waits on a timer
    thread in the process instead (lost if the process exits first: ``seal_audit`` from
    cron catches up).
    """
    global _last_seal_enqueued
    interval = settings.SAMEPAGE_AUDIT_SEAL_INTERVAL_MS / 1000
    now = time.monotonic()
    with _seal_lock:
        if now - _last_seal_enqueued < interval:
            return
        _last_seal_enqueued = now
    if not interval:
        seal_audit.enqueue()
    elif seal_audit.get_backend().supports_defer:
        seal_audit.using(run_after=timezone.now() + timedelta(seconds=interval)).enqueue()
    else:
        timer = threading.Timer(interval, _seal_later)
        timer.daemon = True
        timer.start()


def _schedule_seal(using: str) -> None:
    # One sealer run per transaction is enough, however many events it wrote.
    connection = connections[using]
    pending = getattr(connection, "run_on_commit", [])
    if any(getattr(entry[1], "samepage_audit_seal", False) for entry in pending):
        return

    def seal() -> None:
        _enqueue_seal()

    seal.samepage_audit_seal = True  # type: ignore[attr-defined]
    # robust: a sealer failure is logged, never turned into an error for the person
    # whose change has already committed; the next run seals what this one missed.
    transaction.on_commit(seal, using=using, robust=True)


def record_audit(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row. Call inside the action's transaction.

    Takes no lock that another writer could hold: the number comes from the database's
    sequence and the MAC is computed here. The sealer runs after commit.
    """
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    plain_changes = _plain(changes or {})
    # Round-trip through JSON so the MAC covers exactly what the database gives back.
    plain_changes = json.loads(json.dumps(plain_changes))
    using = router.db_for_write(AuditEvent)
    keys = audit_keys()
    with transaction.atomic(using=using):
        fields = {
            "seq": _next_seq(using),
            "created_at": timezone.now(),
            "actor_id": actor_id,
            "action": action,
            "target_type": target._meta.label_lower,
            "target_id": str(target.pk),
            "changes": plain_changes,
            "key_id": keys.current_id,
        }
        mac = event_mac(keys.current, **fields)
        event = AuditEvent.objects.using(using).create(mac=mac, **fields)
        _schedule_seal(using)
    return event
