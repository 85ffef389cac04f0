"""The audit trail is append-only and tamper-evident against raw database writes.

Each attack is made the way someone with database access (but not the audit key) would:
lift the triggers, change rows with SQL, recompute every unkeyed hash they can.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from samepage import factories as f
from samepage.core import audit_guard
from samepage.core.audit import _next_seq
from samepage.core.audit_mac import audit_keys, event_body, event_mac, legacy_event_hash
from samepage.core.audit_seal import anchor_path, read_anchor, seal_pending
from samepage.core.audit_verify import verify_trail
from samepage.core.models import AuditChainHead, AuditCheckpoint, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _anchor_in_tmp(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.SAMEPAGE_AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    yield tmp_path / "anchors"


def _verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def _problems() -> list[str]:
    return [str(p) for p in verify_trail().problems]


def _seal(django_capture_on_commit_callbacks: Any) -> None:
    # The anchor is written on commit; the test's transaction never commits, so run it.
    with django_capture_on_commit_callbacks(execute=True):
        seal_pending()


def _raw(sql: str, params: list[Any]) -> None:
    """What a database-level attacker does: no guard, no ORM, no key."""
    audit_guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    audit_guard.install(connection)


def test_every_action_writes_a_keyed_event_that_the_sealer_links(
    django_capture_on_commit_callbacks,
):
    f.make_student()
    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) >= 3
    assert {e.key_id for e in events} == {audit_keys().current_id}
    assert all(len(e.mac) == 64 and e.hash == "" for e in events)
    _seal(django_capture_on_commit_callbacks)
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.ranges == [[events[0].seq, events[-1].seq]]
    assert checkpoint.event_count == len(events)
    assert read_anchor() is not None
    assert read_anchor()["mac"] == checkpoint.mac  # type: ignore[index]
    out = _verify()
    assert f"Audit trail intact: {len(events)} sealed events in 1 checkpoints" in out
    assert "matches" in out


def test_sealing_twice_seals_nothing_twice():
    district = f.make_district()
    f.make_school(district)
    first = seal_pending()
    second = seal_pending()
    assert first.sealed >= 2
    assert (second.sealed, second.checkpoints) == (0, 0)
    f.make_school(district)
    third = seal_pending()
    assert (third.sealed, third.newest) == (1, 2)
    assert _problems() == []


def test_one_transaction_asks_for_one_sealer_run_however_many_events(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        district = f.make_district()
        f.make_school(district)
        f.make_school(district)
    assert len([c for c in callbacks if getattr(c, "samepage_audit_seal", False)]) == 1
    assert AuditCheckpoint.objects.get().event_count == 3


def test_database_refuses_update_of_audit_rows_and_checkpoints():
    f.make_district()
    seal_pending()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.update(action="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditCheckpoint.objects.update(event_count=0)


def test_database_refuses_delete_of_audit_rows_and_checkpoints():
    f.make_district()
    seal_pending()
    for statement in ("DELETE FROM core_auditevent", "DELETE FROM core_auditcheckpoint"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEvent.objects.exists()
    assert AuditCheckpoint.objects.exists()


def _forged_row(seq: int, plain_mac: str) -> list[Any]:
    return [seq, timezone.now(), "consent.granted", "teams.consentgrant", "1", "{}", plain_mac]


FORGE = (
    "INSERT INTO core_auditevent (seq, created_at, action, target_type, target_id, changes, "
    "mac, key_id, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '', '')"
)


@pytest.mark.parametrize("sealed_first", [True, False], ids=["after a seal", "before any seal"])
def test_a_forged_append_with_a_recomputed_plain_hash_is_caught(sealed_first):
    f.make_student()
    if sealed_first:
        seal_pending()
    seq = AuditEvent.objects.order_by("-seq")[0].seq + 1
    at = timezone.now()
    # The attacker knows the format and the key id (both are in the database and the
    # code), just not the key: the best they can do is a plain SHA-256.
    key_id = audit_keys().current_id
    body = event_body(
        seq=seq,
        created_at=at,
        actor_id=None,
        action="consent.granted",
        target_type="teams.consentgrant",
        target_id="1",
        changes={},
        key_id=key_id,
    )
    plain = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    _raw(FORGE, [seq, at, "consent.granted", "teams.consentgrant", "1", "{}", plain, key_id])
    assert _problems() == [
        f"event {seq}: its MAC does not match (forged or changed without the key)"
    ]
    with pytest.raises(CommandError, match=f"NOT intact: 1 problems; first: event {seq}"):
        _verify()


def test_a_copied_event_under_a_new_number_is_caught():
    f.make_student()
    seal_pending()
    original = AuditEvent.objects.order_by("seq")[0]
    seq = AuditEvent.objects.order_by("-seq")[0].seq + 1
    _raw(
        FORGE,
        [
            seq,
            original.created_at,
            original.action,
            original.target_type,
            original.target_id,
            json.dumps(original.changes),
            original.mac,
            original.key_id,
        ],
    )
    assert _problems() == [
        f"event {seq}: its MAC does not match (forged or changed without the key)"
    ]


def test_an_edited_field_is_caught_sealed_or_not():
    f.make_student()
    seal_pending()
    sealed = AuditEvent.objects.order_by("seq")[1].seq
    f.make_school()
    unsealed = AuditEvent.objects.order_by("-seq")[0].seq
    _raw("UPDATE core_auditevent SET target_id = %s WHERE seq = %s", ["999", sealed])
    _raw("UPDATE core_auditevent SET action = %s WHERE seq = %s", ["x.deleted", unsealed])
    assert _problems() == [
        f"event {sealed}: its MAC does not match (forged or changed without the key)",
        f"event {unsealed}: its MAC does not match (forged or changed without the key)",
    ]


def test_a_deleted_sealed_event_is_caught():
    f.make_student()
    seal_pending()
    seq = AuditEvent.objects.order_by("seq")[1].seq
    _raw("DELETE FROM core_auditevent WHERE seq = %s", [seq])
    assert _problems() == [
        f"event {seq}: missing, though checkpoint 1 sealed it",
        f"checkpoint 1: sealed {AuditEvent.objects.count() + 1} events; "
        f"{AuditEvent.objects.count()} of them are as sealed",
    ]
    with pytest.raises(CommandError, match=f"first: event {seq}: missing"):
        _verify()


def test_an_edited_or_removed_checkpoint_is_caught():
    f.make_school()
    seal_pending()
    f.make_school()
    seal_pending()
    f.make_school()
    seal_pending()
    _raw("UPDATE core_auditcheckpoint SET event_count = 0 WHERE number = 1", [])
    assert "checkpoint 1: its MAC does not match" in "\n".join(_problems())
    _raw("DELETE FROM core_auditcheckpoint WHERE number = 2", [])
    problems = "\n".join(_problems())
    assert "checkpoint 2: missing (the checkpoints skip a number)" in problems
    assert "checkpoint 3: does not follow the checkpoint before it" in problems


def test_a_removed_tail_with_its_checkpoint_is_caught_by_the_anchor(
    django_capture_on_commit_callbacks, _anchor_in_tmp
):
    f.make_student()
    _seal(django_capture_on_commit_callbacks)
    f.make_school()
    f.make_school()
    _seal(django_capture_on_commit_callbacks)
    tail = AuditCheckpoint.objects.get(number=2)
    assert read_anchor()["number"] == 2  # type: ignore[index]
    # Inside the database what is left is a whole, valid chain...
    _raw("DELETE FROM core_auditevent WHERE seq > %s", [tail.ranges[0][0] - 1])
    _raw("DELETE FROM core_auditcheckpoint WHERE number = 2", [])
    problems = _problems()
    assert len(problems) == 1
    assert "records checkpoint 2" in problems[0]
    assert "database ends at checkpoint 1" in problems[0]
    assert "truncated tail" in problems[0]
    with pytest.raises(CommandError, match="anchor"):
        _verify()
    # ...which is all that can be said without the copy kept outside it.
    anchor_path().unlink()
    report = verify_trail()
    assert report.intact
    assert any("cannot be detected" in note for note in report.notes)


def test_a_replaced_tail_checkpoint_differs_from_the_anchor(django_capture_on_commit_callbacks):
    f.make_school()
    _seal(django_capture_on_commit_callbacks)
    _raw("UPDATE core_auditcheckpoint SET mac = %s WHERE number = 1", ["0" * 64])
    problems = "\n".join(_problems())
    assert "checkpoint 1: differs from the copy in" in problems


def test_the_wrong_key_fails_and_an_old_key_still_verifies(settings):
    f.make_student()
    seal_pending()
    old_key = settings.SAMEPAGE_AUDIT_KEY
    settings.SAMEPAGE_AUDIT_KEY = "another-key-" + "y" * 40
    problems = _problems()
    assert problems
    assert all("which is not configured" in p for p in problems)
    # Rotation: the old key moves to SAMEPAGE_AUDIT_OLD_KEYS and keeps verifying.
    settings.SAMEPAGE_AUDIT_OLD_KEYS = [old_key]
    assert _problems() == []
    f.make_school()
    seal_pending()
    newest = AuditEvent.objects.order_by("-seq")[0]
    assert newest.key_id == audit_keys().current_id
    assert AuditCheckpoint.objects.get(number=2).key_id == audit_keys().current_id
    assert _problems() == []


def test_an_attacker_key_under_our_key_id_fails(settings):
    f.make_school()
    seq = _next_seq("default")
    at = timezone.now()
    key_id = audit_keys().current_id
    fields: dict[str, Any] = {
        "seq": seq,
        "created_at": at,
        "actor_id": None,
        "action": "x.y",
        "target_type": "a.b",
        "target_id": "1",
        "changes": {},
        "key_id": key_id,
    }
    AuditEvent.objects.create(mac=event_mac(b"guessed-key", **fields), **fields)
    assert _problems() == [
        f"event {seq}: its MAC does not match (forged or changed without the key)"
    ]


def _take_numbers(count: int) -> list[int]:
    if connection.vendor == "postgresql":
        return [_next_seq("default") for _ in range(count)]
    # SQLite hands out a number only with the insert (one writer at a time, so no
    # out-of-order commits there); the numbers a PostgreSQL writer would hold are made up.
    first = _next_seq("default")
    return list(range(first, first + count))


def _write_with_number(seq: int) -> None:
    keys = audit_keys()
    fields: dict[str, Any] = {
        "seq": seq,
        "created_at": timezone.now(),
        "actor_id": None,
        "action": "school.created",
        "target_type": "schools.school",
        "target_id": "1",
        "changes": {},
        "key_id": keys.current_id,
    }
    AuditEvent.objects.create(mac=event_mac(keys.current, **fields), **fields)


def test_events_committing_out_of_order_or_never_still_verify():
    f.make_school()
    # A long transaction took the first number, the second one's transaction will roll
    # back, and a quick one after them takes the third and commits.
    late, rolled_back, quick = _take_numbers(3)
    _write_with_number(quick)
    seal_pending()
    waiting = AuditCheckpoint.objects.order_by("-number")[0]
    # (On PostgreSQL, numbers that other tests' rolled-back transactions used wait too.)
    assert [late, rolled_back] in [w[:2] for w in waiting.waiting]
    assert _problems() == []
    _write_with_number(late)  # the long transaction commits
    assert verify_trail().unsealed_events == 1
    assert _problems() == []
    assert seal_pending().sealed == 1
    assert AuditCheckpoint.objects.order_by("-number")[0].ranges == [[late, late]]
    report = verify_trail()
    assert (report.problems, report.unsealed_events) == ([], 0)
    # A day on, the sealer stops waiting for the rolled-back number...
    f.make_school()
    seal_pending(now=timezone.now() + timedelta(days=2))
    assert AuditCheckpoint.objects.order_by("-number")[0].waiting == []
    assert _problems() == []
    # ...so an event turning up there later is reported, not silently accepted.
    _write_with_number(rolled_back)
    assert _problems() == [
        f"event {rolled_back}: no checkpoint covers it, though the trail was sealed past it"
    ]


def _legacy_rows(count: int) -> None:
    """Rows as the design before the audit key wrote them (plain SHA-256 chain)."""
    prev = "0" * 64
    audit_guard.remove(connection)
    for seq in range(1, count + 1):
        at = timezone.now()
        digest = legacy_event_hash(
            seq=seq,
            prev_hash=prev,
            created_at=at,
            actor_id=None,
            action="school.created",
            target_type="schools.school",
            target_id=str(seq),
            changes={"name": [None, f"S{seq}"]},
        )
        AuditEvent.objects.create(
            seq=seq,
            created_at=at,
            action="school.created",
            target_type="schools.school",
            target_id=str(seq),
            changes={"name": [None, f"S{seq}"]},
            prev_hash=prev,
            hash=digest,
        )
        prev = digest
    AuditChainHead.objects.create(pk=1, seq=count, hash=prev)
    audit_guard.install(connection)
    if connection.vendor == "postgresql":
        # As migration 0003 does: new numbers continue after the legacy ones.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('core_auditevent', 'seq'), "
                "GREATEST(%s, (SELECT last_value FROM core_auditevent_seq_seq)))",
                [count],
            )


def test_legacy_rows_keep_their_chain_and_the_first_checkpoint_vouches_for_them():
    _legacy_rows(3)
    report = verify_trail()
    assert (report.problems, report.legacy_events) == ([], 3)
    assert any("only hash-chained" in note for note in report.notes)
    f.make_school()
    seal_pending()
    genesis = AuditCheckpoint.objects.get(number=1)
    assert (genesis.legacy_count, genesis.legacy_hash) == (3, AuditChainHead.objects.get().hash)
    assert genesis.ranges[0][0] > 3
    assert _problems() == []
    assert "3 legacy events" in _verify()
    # A forged legacy-style append: no MAC to forge, only an unkeyed chain hash.
    seq = AuditEvent.objects.order_by("-seq")[0].seq + 1
    at = timezone.now()
    digest = legacy_event_hash(
        seq=4,
        prev_hash=genesis.legacy_hash,
        created_at=at,
        actor_id=None,
        action="x",
        target_type="y",
        target_id="1",
        changes={},
    )
    _raw(
        "INSERT INTO core_auditevent (seq, created_at, action, target_type, target_id, "
        "changes, mac, key_id, prev_hash, hash) VALUES (%s, %s, 'x', 'y', '1', '{}', '', '', "
        "%s, %s)",
        [seq, at, genesis.legacy_hash, digest],
    )
    problems = "\n".join(_problems())
    assert "legacy events: checkpoint 1 vouches for 3" in problems


def test_an_edited_legacy_row_is_caught():
    _legacy_rows(3)
    _raw("UPDATE core_auditevent SET target_id = '9' WHERE seq = 2", [])
    assert _problems() == ["legacy event 2: content changed after it was written"]
