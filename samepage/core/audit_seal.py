"""The sealer: links committed audit events into keyed checkpoints, in number order.

Writers never wait here. The sealer runs after each transaction that wrote audit events
(the ``seal_audit`` task) and as ``manage.py seal_audit``. One sealer works at a time (a
PostgreSQL advisory lock taken only here; on SQLite the write lock every transaction
holds anyway); another that finds it taken steps aside, and the next run seals what it
would have. Running it twice seals nothing twice.

Each checkpoint names exactly the event numbers it covers, so events that commit out of
number order are fine: a number below the trail's high mark that has not shown up yet
(a transaction still open, or one rolled back) is kept in ``waiting`` and sealed by a
later checkpoint when it commits, or given up after ``SAMEPAGE_AUDIT_WAIT_SECONDS``.

The newest checkpoint is also copied outside the database: to an anchor file under
``SAMEPAGE_AUDIT_ANCHOR_DIR`` and to the ``samepage.audit`` log. That copy is what
reveals a removed tail (newest events deleted together with their checkpoints), and it
is only as trustworthy as the place it is kept.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Q
from django.utils import timezone

from samepage.core.audit_mac import GENESIS, AuditKeys, EventsDigest, audit_keys, checkpoint_mac
from samepage.core.models import AuditCheckpoint, AuditEvent

logger = logging.getLogger("samepage.audit")

# pg_try_advisory_xact_lock key: "SamePage audit sealer" (any fixed int64 would do).
SEALER_LOCK = 0x53_50_41_55_44_53_45_4C
# Beyond this many separate waiting ranges the oldest are given up first, so one
# checkpoint's row (and the sealer's query) stays small.
MAX_WAITING_RANGES = 500


@dataclass(frozen=True)
class SealResult:
    sealed: int
    checkpoints: int
    newest: int | None


def runs(seqs: list[int]) -> list[list[int]]:
    """Sorted numbers as inclusive [first, last] runs: [1, 2, 3, 7] -> [[1, 3], [7, 7]]."""
    out: list[list[int]] = []
    for s in seqs:
        if out and s == out[-1][1] + 1:
            out[-1][1] = s
        else:
            out.append([s, s])
    return out


def _take_sealer_lock(using: str) -> bool:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEALER_LOCK])
        return bool(cursor.fetchone()[0])


def _still_waiting(
    waiting: list[list[int]], arrived: set[int], give_up_before: int
) -> tuple[list[list[int]], list[list[int]]]:
    """Split the waiting ranges around numbers that arrived; drop the long-waited ones."""
    kept: list[list[int]] = []
    given_up: list[list[int]] = []
    for first, last, since in waiting:
        if since < give_up_before:
            given_up.append([first, last])
            continue
        missing = [s for s in range(first, last + 1) if s not in arrived]
        kept.extend([a, b, since] for a, b in runs(missing))
    return kept, given_up


def _seal_batch(
    using: str, last: AuditCheckpoint | None, keys: AuditKeys, batch_size: int, now: datetime
) -> AuditCheckpoint | None:
    events = AuditEvent.objects.using(using)
    legacy_count, legacy_hash, legacy_high = 0, "", 0
    if last is None:
        legacy = events.filter(mac="")
        legacy_count = legacy.count()
        newest_legacy = legacy.order_by("-seq").values_list("seq", "hash").first()
        if newest_legacy is not None:
            legacy_high, legacy_hash = newest_legacy
    high = last.high_seq if last is not None else legacy_high
    waiting = [list(w) for w in last.waiting] if last is not None else []

    wanted = Q(seq__gt=high)
    for first, last_seq, _since in waiting:
        wanted |= Q(seq__gte=first, seq__lte=last_seq)
    rows = list(
        events.filter(wanted).exclude(mac="").order_by("seq").values_list("seq", "mac")[:batch_size]
    )
    if not rows and (last is not None or legacy_count == 0):
        return None

    seqs = [seq for seq, _mac in rows]
    digest = EventsDigest()
    for seq, mac in rows:
        digest.add(seq, mac)
    now_epoch = int(now.timestamp())
    kept, given_up = _still_waiting(
        waiting, set(seqs), now_epoch - settings.SAMEPAGE_AUDIT_WAIT_SECONDS
    )
    new_high = high
    for seq in seqs:
        if seq > new_high:
            if seq > new_high + 1:
                kept.append([new_high + 1, seq - 1, now_epoch])
            new_high = seq
    if len(kept) > MAX_WAITING_RANGES:
        given_up.extend([a, b] for a, b, _ in kept[:-MAX_WAITING_RANGES])
        kept = kept[-MAX_WAITING_RANGES:]
    for first, last_seq in given_up:
        logger.info("audit: gave up waiting for events %s-%s (rolled back)", first, last_seq)

    fields: dict[str, Any] = {
        "number": last.number + 1 if last is not None else 1,
        "chain": last.chain if last is not None else uuid.uuid4().hex,
        "created_at": now,
        "key_id": keys.current_id,
        "prev_mac": last.mac if last is not None else GENESIS,
        "ranges": runs(seqs),
        "event_count": digest.count,
        "events_digest": digest.hexdigest(),
        "high_seq": new_high,
        "waiting": kept,
        "legacy_count": legacy_count,
        "legacy_hash": legacy_hash,
    }
    mac = checkpoint_mac(keys.current, **fields)
    return AuditCheckpoint.objects.using(using).create(mac=mac, **fields)


def seal_pending(
    *, using: str | None = None, batch_size: int = 5000, now: datetime | None = None
) -> SealResult:
    """Seal every committed, unsealed event (in batches); see the module docstring."""
    using = using or router.db_for_write(AuditCheckpoint)
    made: list[AuditCheckpoint] = []
    with transaction.atomic(using=using):
        if not _take_sealer_lock(using):
            return SealResult(sealed=0, checkpoints=0, newest=None)
        last = AuditCheckpoint.objects.using(using).order_by("-number").first()
        keys = audit_keys()
        when = now or timezone.now()
        while True:
            checkpoint = _seal_batch(using, last, keys, batch_size, when)
            if checkpoint is None:
                break
            made.append(checkpoint)
            last = checkpoint
            if checkpoint.event_count < batch_size:
                break
        if made:
            newest = made[-1]
            # Only once it has committed: an anchor naming a rolled-back checkpoint would
            # look like a removed tail.
            transaction.on_commit(lambda: publish_anchor(using, newest), using=using)
    return SealResult(
        sealed=sum(c.event_count for c in made),
        checkpoints=len(made),
        newest=made[-1].number if made else None,
    )


def anchor_path(using: str = "default") -> Path:
    """The anchor file for this database (one per database, so test runs stay apart)."""
    connection = connections[using]
    conf = connection.settings_dict
    label = f"{connection.vendor}-{conf.get('HOST') or 'local'}-{conf.get('PORT') or ''}"
    label += f"-{conf['NAME']}"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", label).strip("_")
    return Path(settings.SAMEPAGE_AUDIT_ANCHOR_DIR) / f"{safe}.json"


def read_anchor(using: str = "default") -> dict[str, Any] | None:
    path = anchor_path(using)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not an audit anchor")
    return data


def publish_anchor(using: str, checkpoint: AuditCheckpoint) -> None:
    """Log the newest checkpoint and write it to the anchor file if it is newer."""
    record = {
        "chain": checkpoint.chain,
        "number": checkpoint.number,
        "mac": checkpoint.mac,
        "key_id": checkpoint.key_id,
        "high_seq": checkpoint.high_seq,
        "at": checkpoint.created_at.isoformat(),
    }
    logger.info("audit checkpoint %s", json.dumps(record, sort_keys=True))
    path = anchor_path(using)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            current = read_anchor(using)
            if current is not None and current.get("chain") != checkpoint.chain:
                # A different trail than the one recorded: the database was replaced or
                # its checkpoints removed. Keep the evidence; verify_audit reports it.
                logger.error(
                    "audit anchor %s names chain %s, not this database's %s; left as is",
                    path,
                    current.get("chain"),
                    checkpoint.chain,
                )
                return
            if current is not None and int(current.get("number", 0)) >= checkpoint.number:
                return
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(record, sort_keys=True, indent=2) + "\n")
            os.replace(temporary, path)
    except (OSError, ValueError):
        logger.exception("audit anchor %s could not be written", path)


def forget_anchor(using: str = "default") -> None:
    """For ``manage.py flush`` only: the trail is wiped on purpose, so is its anchor."""
    anchor_path(using).unlink(missing_ok=True)
