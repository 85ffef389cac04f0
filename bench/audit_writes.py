"""Audit write throughput on PostgreSQL with 1, 2, 4 and 8 concurrent writers.

Usage (from the repository root; PostgreSQL on 127.0.0.1:5432, user postgres, trust):

    .venv/bin/python bench/audit_writes.py [--seconds 4] [--writers 1,2,4,8]
        [--hold-ms 0,2] [--server postgres://postgres@127.0.0.1:5432]

It creates (and afterwards drops, unless --keep) its own scratch database
``samepage_bench_audit``, migrates it, and runs each writer count as separate processes
(separate connections, no shared interpreter lock) for a fixed time. Each writer loops
over one transaction: a small write to a scratch table, then the audit write, then
``--hold-ms`` of other work before commit (an action that does more after its audit row;
0 is the smallest possible transaction). Designs:

- ``old``: the design before the audit key, reproduced here: SELECT ... FOR UPDATE on the
  single head row, SHA-256 over the previous hash, insert, update the head, commit.
- ``new``: ``record_audit`` as the app calls it: a sequence number and an HMAC, no lock;
  the sealer runs after each commit as the app's immediate task backend runs it (a
  sealer that finds another at work steps aside).
- ``new-interval``: the immediate backend with ``SAMEPAGE_AUDIT_SEAL_INTERVAL_MS=1000``:
  each process seals at most once a second, on a timer thread, off the request path.
- ``new-queued``: the production setting (``SAMEPAGE_TASKS=database``): each writer
  process enqueues at most one deferred sealer run per second
  (``SAMEPAGE_AUDIT_SEAL_INTERVAL_MS``), and a separate process stands in for the
  ``db_worker``, sealing once a second while the writers run.

After the new designs it seals and runs the verifier, so the table also shows that the
trail written under load is intact. Results go to bench/results/audit_writes.json and
bench/results/audit_writes.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCRATCH_DB = "samepage_bench_audit"
DESIGNS = ("old", "new", "new-interval", "new-queued")

SCRATCH_TABLES = """
CREATE TABLE IF NOT EXISTS bench_small_write (id bigserial PRIMARY KEY, writer int, at timestamptz);
CREATE TABLE IF NOT EXISTS bench_old_head (id int PRIMARY KEY, seq bigint, hash text);
CREATE TABLE IF NOT EXISTS bench_old_event (
    seq bigint PRIMARY KEY, prev_hash text, hash text, created_at timestamptz,
    action text, target_type text, target_id text, changes jsonb
);
INSERT INTO bench_old_head VALUES (1, 0, repeat('0', 64)) ON CONFLICT DO NOTHING;
"""


def _admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _setup_django(server: str, design: str = "new") -> None:
    os.environ["DATABASE_URL"] = f"{server}/{SCRATCH_DB}"
    os.environ["SAMEPAGE_TASKS"] = "database" if design == "new-queued" else "immediate"
    os.environ["SAMEPAGE_AUDIT_SEAL_INTERVAL_MS"] = "0" if design == "new" else "1000"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samepage.settings")
    # Anchors for the scratch database stay out of the project's var/ directory.
    anchors = Path(tempfile.gettempdir()) / "samepage-bench-audit-anchors"
    os.environ.setdefault("SAMEPAGE_AUDIT_ANCHOR_DIR", str(anchors))
    os.environ.setdefault("SAMEPAGE_AUDIT_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _old_audit_write(cursor: Any, writer: int) -> None:
    """The old record_audit: every writer takes its turn on one head row."""
    cursor.execute("SELECT seq, hash FROM bench_old_head WHERE id = 1 FOR UPDATE")
    seq, prev = cursor.fetchone()
    at = datetime.now(UTC)
    body = json.dumps(
        {
            "seq": seq + 1,
            "prev": prev,
            "at": at.isoformat(),
            "actor": None,
            "action": "bench.write",
            "target": ["schools.district", str(writer)],
            "changes": {"n": writer},
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    digest = hashlib.sha256(body.encode()).hexdigest()
    cursor.execute(
        "INSERT INTO bench_old_event VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        [seq + 1, prev, digest, at, "bench.write", "schools.district", str(writer), '{"n": 1}'],
    )
    cursor.execute("UPDATE bench_old_head SET seq = %s, hash = %s WHERE id = 1", [seq + 1, digest])


def _writer(
    server: str, design: str, writer: int, hold: float, seconds: float, start: Any, out: Any
) -> None:
    _setup_django(server, design)
    from django.db import connection, transaction

    from samepage.core import audit
    from samepage.schools.models import District

    target = District(pk=writer, name="Bench")
    latencies: list[float] = []
    connection.ensure_connection()
    start.wait()  # every writer is connected before any clock starts
    began = time.perf_counter()
    deadline = began + seconds
    while time.perf_counter() < deadline:
        t0 = time.perf_counter()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO bench_small_write (writer, at) VALUES (%s, now())", [writer]
                )
                if design == "old":
                    _old_audit_write(cursor, writer)
            if design != "old":
                audit.record_audit(
                    actor=None, action="bench.write", target=target, changes={"n": writer}
                )
            if hold:
                time.sleep(hold)
        latencies.append(time.perf_counter() - t0)
    out.put((latencies, time.perf_counter() - began))
    connection.close()


def _worker(server: str, seconds: float, start: Any) -> None:
    """Stands in for ``manage.py db_worker`` running the deferred sealer once a second."""
    _setup_django(server)
    from django.db import connection

    from samepage.core.audit_seal import seal_pending

    connection.ensure_connection()
    start.wait()
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        time.sleep(1)
        seal_pending()
    connection.close()


def _run(server: str, design: str, writers: int, seconds: float, hold_ms: float) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    worker = design == "new-queued"
    start = ctx.Barrier(writers + worker)
    out = ctx.Queue()
    procs = [
        ctx.Process(
            target=_writer, args=(server, design, n + 1, hold_ms / 1000, seconds, start, out)
        )
        for n in range(writers)
    ]
    helpers = [ctx.Process(target=_worker, args=(server, seconds, start))] if worker else []
    for p in procs + helpers:
        p.start()
    finished = [out.get(timeout=seconds + 120) for _ in procs]
    for p in procs + helpers:
        p.join(timeout=30)
    results = [lat for lat, _window in finished]
    elapsed = max(window for _lat, window in finished)
    latencies = [x for r in results for x in r]
    total = len(latencies)
    latencies.sort()
    return {
        "design": design,
        "writers": writers,
        "hold_ms": hold_ms,
        "transactions": total,
        "seconds": round(elapsed, 3),
        "events_per_second": round(total / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2) if latencies else None,
        "p95_ms": round(latencies[int(0.95 * (total - 1))] * 1000, 2) if latencies else None,
    }


def _seal_and_verify() -> dict[str, Any]:
    from samepage.core.audit_seal import seal_pending
    from samepage.core.audit_verify import verify_trail
    from samepage.core.models import AuditCheckpoint

    began = time.perf_counter()
    sealed = seal_pending()
    seal_seconds = time.perf_counter() - began
    began = time.perf_counter()
    report = verify_trail()
    return {
        "sealed_at_end": sealed.sealed,
        "seal_seconds": round(seal_seconds, 3),
        "checkpoints": AuditCheckpoint.objects.count(),
        "verified_events": report.sealed_events,
        "verify_seconds": round(time.perf_counter() - began, 3),
        "intact": report.intact,
        "problems": [str(p) for p in report.problems[:5]],
    }


def _markdown(meta: dict[str, Any], rows: list[dict[str, Any]], checks: list[Any]) -> str:
    lines = [
        "# Audit write throughput (PostgreSQL)",
        "",
        f"{meta['when']}; {meta['postgres']}; {meta['cpus']} CPUs; "
        f"{meta['seconds']} s per cell; each writer is its own process and connection.",
        "",
        "Events per second (p50 / p95 transaction latency in ms):",
        "",
    ]
    for hold in meta["hold_ms"]:
        lines += [
            f"Transaction = small write + audit write + {hold:g} ms of other work:",
            "",
            "| design | "
            + " | ".join(f"{w} writer{'s' * (w > 1)}" for w in meta["writers"])
            + " |",
            "|---|" + "---:|" * len(meta["writers"]),
        ]
        for design in DESIGNS:
            cells = []
            for w in meta["writers"]:
                r = next(
                    r
                    for r in rows
                    if (r["design"], r["writers"], r["hold_ms"]) == (design, w, hold)
                )
                cells.append(f"{r['events_per_second']:.0f} ({r['p50_ms']} / {r['p95_ms']})")
            lines.append(f"| {design} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["Trail after the run (sealed, then `verify_trail`):", ""]
    for check in checks:
        lines.append(
            f"- {check['design']}, {check['hold_ms']:g} ms: {check['verified_events']} events in "
            f"{check['checkpoints']} checkpoints, intact={check['intact']} "
            f"(sealed at end: {check['sealed_at_end']} in {check['seal_seconds']} s; "
            f"verify {check['verify_seconds']} s)" + "".join(f"; {p}" for p in check["problems"])
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--writers", default="1,2,4,8")
    parser.add_argument("--hold-ms", default="0,2")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")
    args = parser.parse_args()
    writers = [int(w) for w in args.writers.split(",")]
    holds = [float(h) for h in args.hold_ms.split(",")]

    _admin(args.server, f"DROP DATABASE IF EXISTS {SCRATCH_DB}")
    _admin(args.server, f"CREATE DATABASE {SCRATCH_DB}")
    # A fresh database is a fresh trail: the last run's anchor would name another one.
    shutil.rmtree(Path(tempfile.gettempdir()) / "samepage-bench-audit-anchors", ignore_errors=True)
    try:
        _setup_django(args.server)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute(SCRATCH_TABLES)
            cursor.execute("SELECT version()")
            postgres = cursor.fetchone()[0].split(" on ")[0]
        connection.close()

        rows: list[dict[str, Any]] = []
        checks: list[dict[str, Any]] = []
        for hold in holds:
            for design in DESIGNS:
                for w in writers:
                    row = _run(args.server, design, w, args.seconds, hold)
                    rows.append(row)
                    print(json.dumps(row), flush=True)
                if design != "old":
                    check = {"design": design, "hold_ms": hold, **_seal_and_verify()}
                    checks.append(check)
                    print(json.dumps(check), flush=True)
        meta = {
            "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "postgres": postgres,
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "seconds": args.seconds,
            "writers": writers,
            "hold_ms": holds,
        }
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "audit_writes.json").write_text(
            json.dumps({"meta": meta, "rows": rows, "checks": checks}, indent=2) + "\n"
        )
        table = _markdown(meta, rows, checks)
        (RESULTS / "audit_writes.md").write_text(table)
        print(table)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin(args.server, f"DROP DATABASE IF EXISTS {SCRATCH_DB}")


if __name__ == "__main__":
    main()
