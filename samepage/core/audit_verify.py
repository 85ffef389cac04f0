"""Check the whole audit trail: every event's MAC, every checkpoint, and the anchor.

What it proves, against someone who can write to the database but does not hold the
audit key (README "The audit key"):

- an edited event fails its own MAC (sealed or not);
- a forged event fails its MAC, even with a recomputed plain hash; one copied from
  another event fails too (the MAC covers the number);
- a deleted sealed event is missing from the checkpoint that names its number;
- an edited, inserted or deleted checkpoint breaks the chain of checkpoint MACs;
- removing the newest events together with their checkpoints leaves a chain that looks
  whole inside the database; the anchor outside it (file and log) names a newer
  checkpoint, and that is how it shows. Without an anchor it cannot show.

What it cannot prove: that an event deleted before the sealer ran (normally a moment
after commit) ever existed, or anything at all against someone holding the key.
Legacy events (before the key) are checked by their SHA-256 chain, and are tamper-evident
only once the first checkpoint has vouched for their count and newest hash.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from django.db import router

from samepage.core.audit_mac import (
    GENESIS,
    EventsDigest,
    audit_keys,
    checkpoint_mac,
    event_mac,
    legacy_event_hash,
    macs_equal,
)
from samepage.core.audit_seal import anchor_path, read_anchor
from samepage.core.models import AuditChainHead, AuditCheckpoint, AuditEvent

EVENT_FIELDS = ("seq", "created_at", "actor_id", "action", "target_type", "target_id", "changes")


@dataclass(frozen=True)
class Problem:
    """One thing that is not as it was written: where, and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class AuditReport:
    legacy_events: int = 0
    sealed_events: int = 0
    unsealed_events: int = 0
    checkpoints: int = 0
    anchor: str = ""
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def _check_checkpoints(report: AuditReport, using: str) -> list[AuditCheckpoint]:
    keys = audit_keys()
    checkpoints = list(AuditCheckpoint.objects.using(using).order_by("number"))
    prev_mac = GENESIS
    expected = 1
    for cp in checkpoints:
        where = f"checkpoint {cp.number}"
        if cp.number != expected:
            report.problems.append(
                Problem(f"checkpoint {expected}", "missing (the checkpoints skip a number)")
            )
        expected = cp.number + 1
        if cp.chain != checkpoints[0].chain:
            report.problems.append(Problem(where, "belongs to another trail (chain id differs)"))
        if cp.prev_mac != prev_mac:
            report.problems.append(Problem(where, "does not follow the checkpoint before it"))
        key = keys.known.get(cp.key_id)
        if key is None:
            report.problems.append(
                Problem(where, f"sealed with key {cp.key_id}, which is not configured")
            )
        else:
            recomputed = checkpoint_mac(
                key,
                number=cp.number,
                chain=cp.chain,
                created_at=cp.created_at,
                key_id=cp.key_id,
                prev_mac=cp.prev_mac,
                ranges=cp.ranges,
                event_count=cp.event_count,
                events_digest=cp.events_digest,
                high_seq=cp.high_seq,
                waiting=cp.waiting,
                legacy_count=cp.legacy_count,
                legacy_hash=cp.legacy_hash,
            )
            if not macs_equal(recomputed, cp.mac):
                report.problems.append(
                    Problem(where, "its MAC does not match (forged or changed without the key)")
                )
        prev_mac = cp.mac
    report.checkpoints = len(checkpoints)
    return checkpoints


def _check_legacy(report: AuditReport, using: str, genesis: AuditCheckpoint | None) -> None:
    expected_prev = GENESIS
    expected_seq = 1
    newest_hash = ""
    legacy = AuditEvent.objects.using(using).filter(mac="").order_by("seq")
    for row in legacy.values(*EVENT_FIELDS, "prev_hash", "hash").iterator(chunk_size=2000):
        where = f"legacy event {row['seq']}"
        if row["seq"] != expected_seq:
            report.problems.append(Problem(f"legacy event {expected_seq}", "missing"))
            expected_seq = row["seq"]
        if row["prev_hash"] != expected_prev:
            report.problems.append(Problem(where, "does not follow the event before it"))
        recomputed = legacy_event_hash(
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
            report.problems.append(Problem(where, "content changed after it was written"))
        expected_prev = newest_hash = row["hash"]
        expected_seq += 1
        report.legacy_events += 1
    if genesis is not None:
        if (report.legacy_events, newest_hash) != (genesis.legacy_count, genesis.legacy_hash):
            report.problems.append(
                Problem(
                    "legacy events",
                    f"checkpoint 1 vouches for {genesis.legacy_count} ending in "
                    f"{genesis.legacy_hash[:12] or '-'}, the database has "
                    f"{report.legacy_events} ending in {newest_hash[:12] or '-'}",
                )
            )
        return
    head = AuditChainHead.objects.using(using).filter(pk=1).first()
    if head is not None and head.seq != report.legacy_events:
        report.problems.append(
            Problem(
                "legacy events", f"the legacy head counts {head.seq}, not {report.legacy_events}"
            )
        )
    if report.legacy_events:
        report.notes.append(
            "Legacy events are only hash-chained until the sealer makes the first checkpoint."
        )


def _check_events(report: AuditReport, using: str, checkpoints: list[AuditCheckpoint]) -> None:
    keys = audit_keys()
    intervals = sorted((first, last, cp.number) for cp in checkpoints for first, last in cp.ranges)
    for (_a1, b1, n1), (a2, _b2, n2) in itertools.pairwise(intervals):
        if a2 <= b1:
            report.problems.append(
                Problem(f"checkpoints {n1} and {n2}", f"both claim events from {a2}")
            )
    digests: dict[int, EventsDigest] = {cp.number: EventsDigest() for cp in checkpoints}
    newest = checkpoints[-1] if checkpoints else None
    high = newest.high_seq if newest is not None else 0
    still_waiting = [(a, b) for a, b, *_ in newest.waiting] if newest is not None else []

    i = 0
    expect = intervals[0][0] if intervals else 0

    def missing_before(seq: float) -> None:
        # Every number a checkpoint named, below ``seq``, that the walk has not met.
        nonlocal i, expect
        while i < len(intervals):
            first, last, number = intervals[i]
            low = max(first, expect)
            if low > last:
                i += 1
                expect = intervals[i][0] if i < len(intervals) else 0
                continue
            if low >= seq:
                return
            top = int(min(last, seq - 1))
            span = f"event {low}" if low == top else f"events {low}-{top}"
            report.problems.append(Problem(span, f"missing, though checkpoint {number} sealed it"))
            expect = top + 1

    events = AuditEvent.objects.using(using).exclude(mac="").order_by("seq")
    for row in events.values(*EVENT_FIELDS, "key_id", "mac").iterator(chunk_size=2000):
        seq = row["seq"]
        where = f"event {seq}"
        key = keys.known.get(row["key_id"])
        if key is None:
            report.problems.append(
                Problem(where, f"signed with key {row['key_id'] or '-'}, which is not configured")
            )
        else:
            recomputed = event_mac(key, key_id=row["key_id"], **{k: row[k] for k in EVENT_FIELDS})
            if not macs_equal(recomputed, row["mac"]):
                report.problems.append(
                    Problem(where, "its MAC does not match (forged or changed without the key)")
                )
        missing_before(seq)
        if i < len(intervals) and intervals[i][0] <= seq <= intervals[i][1]:
            digests[intervals[i][2]].add(seq, row["mac"])
            report.sealed_events += 1
            expect = seq + 1
        elif seq > high or any(a <= seq <= b for a, b in still_waiting):
            report.unsealed_events += 1
        else:
            report.problems.append(
                Problem(where, "no checkpoint covers it, though the trail was sealed past it")
            )
    missing_before(float("inf"))
    for cp in checkpoints:
        digest = digests[cp.number]
        if digest.count != cp.event_count or digest.hexdigest() != cp.events_digest:
            report.problems.append(
                Problem(
                    f"checkpoint {cp.number}",
                    f"sealed {cp.event_count} events; {digest.count} of them are as sealed",
                )
            )
    if report.unsealed_events:
        report.notes.append(
            f"{report.unsealed_events} events are not sealed yet (run manage.py seal_audit)."
        )


def _check_anchor(report: AuditReport, using: str, checkpoints: list[AuditCheckpoint]) -> None:
    path = anchor_path(using)
    try:
        anchor: dict[str, Any] | None = read_anchor(using)
    except (OSError, ValueError) as e:
        report.problems.append(Problem("anchor", f"{path} cannot be read: {e}"))
        return
    if anchor is None:
        report.notes.append(
            f"No anchor at {path}: a removed tail of the trail cannot be detected here."
        )
        return
    report.anchor = str(path)
    number = int(anchor.get("number", 0))
    by_number = {cp.number: cp for cp in checkpoints}
    newest = checkpoints[-1].number if checkpoints else 0
    if checkpoints and anchor.get("chain") != checkpoints[0].chain:
        report.problems.append(
            Problem(
                "anchor",
                f"{path} records another trail (chain {anchor.get('chain')}): the database was "
                "replaced or its checkpoints removed. If it was recreated on purpose, move "
                "the anchor file aside.",
            )
        )
    elif number not in by_number:
        report.problems.append(
            Problem(
                "anchor",
                f"{path} records checkpoint {number} (sealed {anchor.get('at')}), but the "
                f"database ends at checkpoint {newest}: the newest events and checkpoints "
                "were removed (truncated tail)",
            )
        )
    elif not macs_equal(str(anchor.get("mac", "")), by_number[number].mac):
        report.problems.append(
            Problem(
                f"checkpoint {number}",
                f"differs from the copy in {path} (replaced after it was sealed)",
            )
        )


def verify_trail(using: str | None = None) -> AuditReport:
    using = using or router.db_for_read(AuditEvent)
    report = AuditReport()
    checkpoints = _check_checkpoints(report, using)
    _check_legacy(report, using, checkpoints[0] if checkpoints else None)
    _check_events(report, using, checkpoints)
    _check_anchor(report, using, checkpoints)
    return report
