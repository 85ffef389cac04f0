"""Writers append audit events without waiting for each other; sealers never collide.

These run on whichever database the suite uses. On PostgreSQL they show that no writer
waits; on SQLite, which has one writer at a time by design, they show that the waiting
is SQLite's own write lock and that the trail still verifies.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from samepage import factories as f
from samepage.core import audit
from samepage.core.audit import _next_seq, record_audit
from samepage.core.audit_mac import audit_keys, event_mac
from samepage.core.audit_seal import _take_sealer_lock, read_anchor, seal_pending
from samepage.core.audit_verify import verify_trail
from samepage.core.models import AuditCheckpoint, AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _anchor_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.SAMEPAGE_AUDIT_ANCHOR_DIR = tmp_path / "anchors"


def _thread(body: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            body()
        except BaseException as e:  # reported by the main thread
            errors.append(e)
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def test_two_open_transactions_write_audit_events_without_waiting_for_each_other():
    district = f.make_district()
    both_wrote = threading.Barrier(2)
    met: dict[str, bool] = {}
    errors: list[BaseException] = []

    def writer(name: str, delay: float) -> Callable[[], None]:
        def body() -> None:
            time.sleep(delay)  # the first is surely inside its transaction first
            with transaction.atomic():
                record_audit(actor=None, action=f"test.{name}", target=district)
                # Still inside the open transaction: wait for the other writer's event.
                try:
                    both_wrote.wait(timeout=3)
                    met[name] = True
                except threading.BrokenBarrierError:
                    met[name] = False

        return body

    threads = [_thread(writer("first", 0), errors), _thread(writer("second", 0.3), errors)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    if connection.vendor == "postgresql":
        # Each wrote its event while the other's transaction was open: nobody waited.
        assert met == {"first": True, "second": True}
    else:
        # SQLite lets one transaction write at a time: the second could not begin until
        # the first gave up waiting and committed. That lock is SQLite's, not ours.
        assert met == {"first": False, "second": False}
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "test.first",
        "test.second",
    }
    seal_pending()
    report = verify_trail()
    assert (report.problems, report.unsealed_events) == ([], 0)


def test_trail_verifies_after_many_concurrent_writers_and_their_sealers():
    district = f.make_district()
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def writer(n: int) -> Callable[[], None]:
        def body() -> None:
            barrier.wait(timeout=10)
            for i in range(8):
                # Each commit schedules the sealer; concurrent sealers step aside.
                f.make_school(district, name=f"School {n}-{i}")

        return body

    threads = [_thread(writer(n), errors) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert AuditCheckpoint.objects.exists()  # the sealer ran after commits on its own
    seal_pending()
    report = verify_trail()
    assert report.problems == []
    assert (report.sealed_events, report.unsealed_events) == (1 + 4 * 8, 0)
    newest = AuditCheckpoint.objects.order_by("-number")[0]
    anchor = read_anchor()
    assert anchor is not None
    assert (anchor["number"], anchor["mac"]) == (newest.number, newest.mac)


def _unsealed_event() -> None:
    """A committed event whose own sealer has not run yet."""
    keys = audit_keys()
    fields: dict[str, Any] = {
        "seq": _next_seq("default"),
        "created_at": timezone.now(),
        "actor_id": None,
        "action": "test.pending",
        "target_type": "schools.district",
        "target_id": "1",
        "changes": {},
        "key_id": keys.current_id,
    }
    AuditEvent.objects.create(mac=event_mac(keys.current, **fields), **fields)


def test_a_second_sealer_steps_aside_while_one_is_at_work():
    f.make_district()
    _unsealed_event()
    assert verify_trail().unsealed_events == 1
    holding = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def busy_sealer() -> None:
        with transaction.atomic():
            # On SQLite this transaction began IMMEDIATE: it holds the write lock, which
            # is what keeps SQLite's sealers apart.
            assert _take_sealer_lock("default")
            holding.set()
            release.wait(timeout=30)

    thread = _thread(busy_sealer, errors)
    thread.start()
    assert holding.wait(timeout=10)
    if connection.vendor == "postgresql":
        result = seal_pending()
        release.set()
        # It stepped aside at once; the next run seals what it left.
        assert (result.sealed, result.checkpoints) == (0, 0)
        assert verify_trail().unsealed_events == 1
    else:
        threading.Timer(0.5, release.set).start()
        started = time.monotonic()
        result = seal_pending()
        assert time.monotonic() - started >= 0.4
        assert (result.sealed, result.checkpoints) == (1, 1)
    thread.join(timeout=30)
    assert errors == []
    seal_pending()
    assert verify_trail().unsealed_events == 0
    assert verify_trail().intact


def test_with_a_seal_interval_one_deferred_run_seals_the_whole_window(settings, monkeypatch):
    monkeypatch.setattr(audit, "_last_seal_enqueued", -math.inf)
    settings.SAMEPAGE_AUDIT_SEAL_INTERVAL_MS = 300
    district = f.make_district()
    f.make_school(district)
    f.make_school(district)
    # Nothing sealed yet: the first write set a timer, the others fell in its window.
    assert not AuditCheckpoint.objects.exists()
    deadline = time.monotonic() + 15
    while not AuditCheckpoint.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.event_count == 3
    assert verify_trail().intact


def test_flush_wipes_the_trail_and_its_anchor_on_purpose():
    f.make_district()  # sealed after commit, which writes the anchor
    assert read_anchor() is not None
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    assert read_anchor() is None
    f.make_district()
    # A new trail with a new anchor, not taken for a removed one.
    assert verify_trail().intact
