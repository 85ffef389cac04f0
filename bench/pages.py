"""Server time of the key pages and API lists at two district sizes, side by side.

    .venv/bin/python bench/pages.py                       # samepage_bench_1k and _100k
    .venv/bin/python bench/pages.py --rounds 5 --only home

Both districts come from bench/district.py (``make bench`` builds them). One process
measures both: each round switches Django's default connection to one database, then
the other (the order alternates; the switch is outside the timed part), and times every
key request there as its named user. "Server time" is the time Django's test ``Client``
takes to answer a GET through the full middleware stack (sessions, authentication,
two-factor, CSP, axes, the access log's insert...) and the database, with no network and
no browser; the first request of each (request, database) is a warm-up that also counts
the queries and is not timed. The bare view (``/bench/bare/``, bench/urls.py) is the
floor every page is compared with, for the same user.

A request that has spent ``--budget`` seconds at one size stops being sampled (after at
least three samples), so an unpaginated list at 100,000 students cannot hold the run
for an hour; its ``n`` says how many samples it has.

Writes bench/results/pages.json and bench/results/pages.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

# Targets at the big size (issue 10, "Targets").
P95_MS = 50.0
P50_MS = 20.0
GROWTH = 1.3
PDF_REPEAT_P50_MS = 20.0
PDF_RENDER_P50_MS = 300.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", default="samepage_bench_1k")
    parser.add_argument("--big", default="samepage_bench_100k")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per request")
    parser.add_argument("--only", default="", help="measure requests whose name has this")
    parser.add_argument("--out", default=str(RESULTS / "pages"))
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = f"{args.server}/{args.small}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    # Staff sign in with two-factor in production; measure the check they pay for.
    os.environ.setdefault("SAMEPAGE_REQUIRE_STAFF_2FA", "1")
    # Production's connections: a psycopg pool per process (samepage/database.py).
    os.environ.setdefault("DB_POOL", "on")
    import django

    django.setup()
    report = measure(
        {"small": args.small, "big": args.big},
        rounds=args.rounds,
        budget=args.budget,
        only=args.only,
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    markdown = to_markdown(report)
    out.with_suffix(".md").write_text(markdown)
    print(markdown)


def use(database: str) -> None:
    """Point the default connection at ``database`` (between timed blocks only)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    connection = connections["default"]
    connection.close()
    if hasattr(connection, "close_pool"):
        connection.close_pool()
    connection.settings_dict["NAME"] = database
    ContentType.objects.clear_cache()


def _get(client: Any, url: str) -> tuple[int, int]:
    response = client.get(url)
    if getattr(response, "streaming", False):
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    response.close()
    return response.status_code, size


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure(
    databases: dict[str, str], *, rounds: int, budget: float, only: str = ""
) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.district import read_manifest
    from bench.generator import manifest_of
    from bench.keypages import KeyRequest, key_requests, signed_in
    from samepage.accounts.models import User
    from samepage.plans.models import PlanVersion

    clients: dict[str, dict[str, Any]] = {}
    requests: dict[str, list[KeyRequest]] = {}
    manifests: dict[str, dict[str, Any]] = {}
    first_pdfs: dict[str, list[str]] = {}
    for size, database in databases.items():
        use(database)
        kept = read_manifest(database) or {}
        manifest = manifest_of()
        manifest["students_built"] = kept.get("students")
        manifests[size] = manifest
        requests[size] = [r for r in key_requests(manifest) if only in r.name or r.kind == "bare"]
        clients[size] = {
            role: signed_in(User.objects.get(pk=user["id"]))
            for role, user in manifest["users"].items()
        }
        # Final versions of copied students nobody has opened: a PDF's first request each
        # round (the demo's own may have been rendered when the seed finalized them).
        finals = (
            PlanVersion.objects.filter(
                status__in=["in_effect", "final"],
                plan__student__district_student_id__contains="-",
            )
            .order_by("?")
            .values_list("plan_id", "number")[:rounds]
        )
        first_pdfs[size] = [f"/plans/{p}/versions/{n}/pdf/" for p, n in finals]

    names = [(r.name, r.role, r.url, r.kind) for r in requests["small"]]
    samples: dict[tuple[str, str], list[float]] = defaultdict(list)
    warm: dict[tuple[str, str], dict[str, Any]] = {}
    spent: dict[tuple[str, str], float] = defaultdict(float)
    order = list(databases)
    for size in order:
        use(databases[size])
        for r in requests[size]:
            key = (size, f"{r.name}|{r.role}")
            with CaptureQueriesContext(connection) as queries:
                status, body = _get(clients[size][r.role], r.url)
            warm[key] = {"status": status, "bytes": body, "queries": len(queries)}

    pdf_first: dict[str, list[float]] = defaultdict(list)
    pdf_first_queries: dict[str, int] = {}
    for n in range(rounds):
        for size in order if n % 2 == 0 else list(reversed(order)):
            use(databases[size])
            _get(clients[size]["parent"], "/bench/bare/")  # opens the pool, untimed
            for r in requests[size]:
                key = (size, f"{r.name}|{r.role}")
                other = [spent[(s, key[1])] for s in order]
                if min(len(samples[(s, key[1])]) for s in order) >= 3 and max(other) > budget:
                    continue
                client = clients[size][r.role]
                started = time.perf_counter()
                _get(client, r.url)
                elapsed = time.perf_counter() - started
                samples[key].append(elapsed * 1000)
                spent[key] += elapsed
            if (not only or only in "plan PDF (first request)") and n < len(first_pdfs[size]):
                url = first_pdfs[size][n]
                admin = clients[size]["district_admin"]
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    _get(admin, url)
                    elapsed = time.perf_counter() - started
                pdf_first[size].append(elapsed * 1000)
                pdf_first_queries[size] = len(queries)
        print(f"round {n + 1}/{rounds} done", flush=True)

    bare = {
        role: {size: statistics.median(samples[(size, f"bare view|{role}")]) for size in order}
        for role in {r.role for r in requests["small"] if r.kind == "bare"}
    }
    rows = []
    for name, role, url, kind in names:
        label = f"{name}|{role}"
        row = _row(name, role, url, kind, {s: samples[(s, label)] for s in order})
        row["status"] = {s: warm[(s, label)]["status"] for s in order}
        row["bytes"] = {s: warm[(s, label)]["bytes"] for s in order}
        row["queries"] = {s: warm[(s, label)]["queries"] for s in order}
        row["x_bare"] = row["big"]["p50"] / bare[role]["big"] if kind != "bare" else 1.0
        row.update(_verdicts(row))
        rows.append(row)
    if pdf_first["small"] and pdf_first["big"]:
        row = _row(
            "plan PDF (first request)",
            "district_admin",
            "(a new one each round)",
            "pdf-first",
            dict(pdf_first),
        )
        row["status"] = {s: 200 for s in order}
        row["bytes"] = {s: 0 for s in order}
        row["queries"] = {s: pdf_first_queries.get(s) for s in order}
        row["x_bare"] = row["big"]["p50"] / bare["district_admin"]["big"]
        row.update(_verdicts(row))
        rows.append(row)
    from django.conf import settings

    db = settings.DATABASES["default"]
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "server_time": "Django test Client through the full middleware stack",
        "databases": databases,
        "students": {s: manifests[s]["counts"]["students"] for s in order},
        "rounds": rounds,
        "budget_seconds": budget,
        "settings": {
            "CONN_MAX_AGE": db.get("CONN_MAX_AGE"),
            "pool": bool(db.get("OPTIONS", {}).get("pool")),
            "staff_2fa": settings.SAMEPAGE_REQUIRE_STAFF_2FA,
            "debug": settings.DEBUG,
        },
        "rows": rows,
    }


def _row(
    name: str, role: str, url: str, kind: str, samples: dict[str, list[float]]
) -> dict[str, Any]:
    row: dict[str, Any] = {"name": name, "role": role, "url": url, "kind": kind}
    for size, values in samples.items():
        row[size] = {
            "n": len(values),
            "p50": statistics.median(values) if values else float("nan"),
            "p95": _percentile(values, 0.95) if values else float("nan"),
        }
    row["growth"] = row["big"]["p50"] / row["small"]["p50"]
    return row


def _verdicts(row: dict[str, Any]) -> dict[str, Any]:
    big = row["big"]
    kind = row["kind"]
    ok_status = all(code == 200 for code in row["status"].values())
    checks: dict[str, bool | None] = {"status_ok": ok_status}
    if kind in ("page", "bare"):
        checks["p95_ok"] = big["p95"] <= P95_MS
        checks["p50_ok"] = big["p50"] <= P50_MS
    elif kind == "pdf-repeat":
        checks["p95_ok"] = None
        checks["p50_ok"] = big["p50"] <= PDF_REPEAT_P50_MS
    else:  # a PDF rendered on this request
        checks["p95_ok"] = None
        checks["p50_ok"] = big["p50"] <= PDF_RENDER_P50_MS
    checks["growth_ok"] = row["growth"] <= GROWTH if kind != "pdf-first" else None
    queries = list(row["queries"].values())
    checks["queries_ok"] = queries[0] == queries[-1] if None not in queries else None
    checks["pass"] = all(v for v in checks.values() if v is not None)
    return checks


def _mark(value: bool | None) -> str:
    return "–" if value is None else ("pass" if value else "**fail**")


def to_markdown(report: dict[str, Any]) -> str:
    small, big = report["students"]["small"], report["students"]["big"]
    s = report["settings"]
    lines = [
        f"# Key pages at {small:,} and {big:,} students (server time, ms)",
        "",
        f"{report['when']}, {report['machine']['cpus']} CPUs, Python "
        f"{report['machine']['python']}; {report['rounds']} rounds interleaved between the "
        f"two databases in one process (at most {report['budget_seconds']:.0f} s of samples "
        "per request and size). Server time: the Django test Client through the full "
        "middleware stack and PostgreSQL, no network. "
        f"Connections: CONN_MAX_AGE={s['CONN_MAX_AGE']}, pool={s['pool']}; staff two-factor "
        f"{'on' if s['staff_2fa'] else 'off'}; DEBUG {'on' if s['debug'] else 'off'}.",
        "",
        f"Targets at {big:,}: p95 ≤ {P95_MS:.0f}, p50 ≤ {P50_MS:.0f}, big/small p50 ≤ "
        f"{GROWTH}, the same query count at both sizes; a stored PDF's repeat request p50 ≤ "
        f"{PDF_REPEAT_P50_MS:.0f}, a rendered one (first request, draft) p50 ≤ "
        f"{PDF_RENDER_P50_MS:.0f}. × bare: big p50 over the bare view's for the same user.",
        "",
        "| request | as | n | small p50 | big p50 | big p95 | queries | × bare | big/small "
        "| p95 | p50 | growth | queries | result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|---|",
    ]
    for r in report["rows"]:
        q = r["queries"]
        queries = f"{q['small']}" if q["small"] == q["big"] else f"{q['small']} / {q['big']}"
        status = "" if r["status_ok"] else f" (HTTP {r['status']['small']}/{r['status']['big']})"
        lines.append(
            f"| {r['name']}{status} | {r['role'].replace('_', ' ')} | {r['big']['n']} | "
            f"{r['small']['p50']:.1f} | {r['big']['p50']:.1f} | {r['big']['p95']:.1f} | "
            f"{queries} | {r['x_bare']:.1f} | {r['growth']:.2f} | {_mark(r['p95_ok'])} | "
            f"{_mark(r['p50_ok'])} | {_mark(r['growth_ok'])} | {_mark(r['queries_ok'])} | "
            f"{_mark(r['pass'])} |"
        )
    passed = sum(1 for r in report["rows"] if r["pass"])
    lines += ["", f"{passed} of {len(report['rows'])} rows pass every target."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
