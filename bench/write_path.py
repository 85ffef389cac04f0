"""The write path: 1,000 progress-like writes from 1, 2, 4 and 8 client processes.

    .venv/bin/python bench/write_path.py [--writes 1000] [--clients 1,2,4,8]
        [--server postgres://postgres@127.0.0.1:5432] [--keep]

On its own scratch PostgreSQL database (``samepage_bench_write_path``, dropped at the
end unless ``--keep``) with the production task setting (``SAMEPAGE_TASKS=database``:
each process asks for one deferred audit sealer run per second), one family per client
shares concerns about their own child: each write is what the concern page does, the
permission layer's lookup (``access_concerns``) and the action
(``check_add_concern``: the row and its audit event in one transaction). Each client is
its own process and connection; all of them start together and share the 1,000 writes.
For each client count it reports the wall time, writes per second, the speed-up over one
client, and p50/p95 per write; then it seals and verifies the audit trail the writers
left. If writers queued behind one lock (as the old audit head row made them), the
writes per second would stay flat as clients are added. Results go to
bench/results/write_path.json and bench/results/write_path.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCRATCH_DB = "samepage_bench_write_path"


def _admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _setup_django(server: str) -> None:
    os.environ["DATABASE_URL"] = f"{server}/{SCRATCH_DB}"
    os.environ["SAMEPAGE_TASKS"] = "database"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samepage.settings")
    anchors = Path(tempfile.gettempdir()) / "samepage-bench-write-path-anchors"
    os.environ.setdefault("SAMEPAGE_AUDIT_ANCHOR_DIR", str(anchors))
    os.environ.setdefault("SAMEPAGE_AUDIT_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _families(count: int) -> list[tuple[int, int]]:
    """(parent id, student id) for ``count`` families in one school."""
    from samepage import factories as f

    school = f.make_school(f.make_district("Write Path District"))
    families = []
    for n in range(count):
        student = f.make_student(school)
        parent = f.make_user(f"Parent {n}")
        f.make_guardian(student, parent)
        families.append((parent.pk, student.pk))
    return families


def _client(
    server: str, parent_id: int, student_id: int, writes: int, start: Any, out: Any
) -> None:
    _setup_django(server)
    from django.db import connection

    from samepage.accounts.models import User
    from samepage.concerns.actions import check_add_concern
    from samepage.concerns.permissions import access_concerns

    parent = User.objects.get(pk=parent_id)
    connection.ensure_connection()
    latencies = []
    start.wait()  # every client connected before any clock starts
    for n in range(writes):
        began = time.perf_counter()
        access = access_concerns(parent, student_id, action="add")
        check_add_concern(
            access.student,
            actor=parent,
            access=access,
            category="reading",
            text=f"Reading log, day {n}: finished the chapter book with help.",
            importance="medium",
        )
        latencies.append(time.perf_counter() - began)
    out.put(latencies)
    connection.close()


def _run(server: str, families: list[tuple[int, int]], clients: int, writes: int) -> dict:
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(clients + 1)
    out = ctx.Queue()
    shares = [writes // clients + (1 if i < writes % clients else 0) for i in range(clients)]
    processes = [
        ctx.Process(target=_client, args=(server, *families[i], shares[i], start, out))
        for i in range(clients)
    ]
    for process in processes:
        process.start()
    start.wait()
    began = time.perf_counter()
    latencies: list[float] = []
    for _ in processes:
        latencies.extend(out.get(timeout=600))
    wall = time.perf_counter() - began
    for process in processes:
        process.join(60)
        if process.exitcode != 0:
            raise SystemExit(f"a client exited {process.exitcode}")
    ordered = sorted(latencies)
    return {
        "clients": clients,
        "writes": len(latencies),
        "seconds": round(wall, 2),
        "per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--clients", default="1,2,4,8")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    counts = [int(c) for c in args.clients.split(",")]
    _admin(args.server, f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)")
    _admin(args.server, f"CREATE DATABASE {SCRATCH_DB}")
    try:
        _setup_django(args.server)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0, interactive=False)
        families = _families(max(counts))
        connection.close()
        rows = []
        for clients in counts:
            row = _run(args.server, families, clients, args.writes)
            rows.append(row)
            print(
                f"{clients} clients: {row['writes']} writes in {row['seconds']}s, "
                f"{row['per_second']}/s, p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms",
                flush=True,
            )
        from samepage.core.audit_seal import seal_pending
        from samepage.core.audit_verify import verify_trail

        seal_pending()
        report = verify_trail()
        intact = report.intact
        connection.close()
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            _admin(args.server, f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)")
    _write(rows, intact, report.sealed_events, args)
    if not intact:
        raise SystemExit("the audit trail the writers left is NOT intact")


def _write(rows: list[dict], intact: bool, sealed: int, args: argparse.Namespace) -> None:
    one = rows[0]["per_second"] if rows and rows[0]["clients"] == 1 else None
    for row in rows:
        row["speed_up"] = round(row["per_second"] / one, 2) if one else None
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        # Other work on the machine slows every sample; compare rows of one run only.
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "writes_per_run": args.writes,
        "rows": rows,
        "audit_trail_intact": intact,
        "sealed_events": sealed,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "write_path.json").write_text(json.dumps(result, indent=1))
    lines = [
        "# Write path: concerns with their audit events, by client processes",
        "",
        f"{result['when']}, {result['machine']}, load average {result['load_average']}. "
        f"{args.writes} writes per run shared by the "
        "clients, each its own process and connection; each write is the permission "
        "lookup and `check_add_concern` (row and audit event in one transaction), "
        "`SAMEPAGE_TASKS=database`.",
        "",
        "| clients | seconds | writes/s | speed-up | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['clients']} | {row['seconds']} | {row['per_second']} | "
            f"{row['speed_up']}× | {row['p50_ms']} | {row['p95_ms']} |"
        )
    lines += [
        "",
        f"Audit trail afterwards: {'intact' if intact else 'NOT intact'} ({sealed} sealed events).",
        "",
    ]
    (RESULTS / "write_path.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
