"""Throughput of the bare view and key pages with each way of keeping connections.

    .venv/bin/python scripts/rehearse_throughput.py [--seconds 5] [--rounds 3]

On a scratch PostgreSQL database (``samepage_h4_throughput``, made and dropped here)
with the demo district, three gunicorn servers run side by side in production mode,
2 sync workers each, differing only in how they keep database connections:

- ``per-request``: ``DB_POOL=off DB_CONN_MAX_AGE=0`` (the old default);
- ``persistent``: ``DB_POOL=off DB_CONN_MAX_AGE=600`` with health checks;
- ``pool``: ``DB_POOL=on`` (Django's psycopg pool, the production default).

A loopback load generator signed in as the demo parent asks each server for the bare
view (``/bench/bare/``: the middleware, session and user, no page) and three of the
parent's key pages, interleaved round by round so a busy machine slows all alike, and
reports requests per second and each page's share of the bare view's. Results go to
bench/results/connections-c<concurrency>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rehearse_tools import (
    DEFAULT_SERVER,
    ROOT,
    Account,
    Children,
    free_port,
    hammer,
    manage,
    prepare_browser,
    production_env,
    run_var_dir,
    scratch_database,
    sign_in,
    start_gunicorn,
    wait_healthy,
)

CONFIGS = {
    "per-request": {"DB_POOL": "off", "DB_CONN_MAX_AGE": "0"},
    "persistent": {"DB_POOL": "off", "DB_CONN_MAX_AGE": "600"},
    "pool": {"DB_POOL": "on"},
}
PARENT = "jordan.rivera@family.example"
DEMO_PASSWORD = os.environ.get("SAMEPAGE_DEMO_PASSWORD", "riverbend-demo-2026")
RESULTS = ROOT / "bench" / "results"


def _parent_pages(base: str, session: requests.Session) -> dict[str, str]:
    home = session.get(f"{base}/home/").text
    student = re.search(r'href="(/students/\d+/)"', home)
    assert student, "the parent's home links no child"
    overview = session.get(base + student.group(1)).text
    plan = re.search(r'href="(/plans/\d+/)"', overview)
    assert plan, "the child's page links no plan"
    return {
        "bare": "/bench/bare/",
        "parent home": "/home/",
        "student overview": student.group(1),
        "plan page": plan.group(1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per page, per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--server", default=DEFAULT_SERVER)
    parser.add_argument("--database", default="samepage_h4_throughput")
    args = parser.parse_args()
    children = Children()
    logs = Path(tempfile.mkdtemp(prefix="samepage-throughput-"))
    with scratch_database(args.server, args.database) as url:
        var_dir = run_var_dir(lambda v: production_env(url, v), logs)
        base_env = production_env(url, var_dir, DJANGO_SETTINGS_MODULE="bench.settings")
        manage(base_env, "migrate", "--no-input", "-v0")
        manage(base_env, "seed_demo")
        ports = {}
        for name, extra in CONFIGS.items():
            ports[name] = free_port()
            start_gunicorn(children, name, {**base_env, **extra}, ports[name], 2, logs)
        for port in ports.values():
            wait_healthy(f"http://127.0.0.1:{port}", children)
        session = requests.Session()
        prepare_browser(session)
        first = f"http://127.0.0.1:{ports['pool']}"
        sign_in(session, first, Account(PARENT, "parent"), DEMO_PASSWORD)
        pages = _parent_pages(first, session)
        cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        runs: dict[str, dict[str, list[dict[str, float]]]] = {
            c: {p: [] for p in pages} for c in CONFIGS
        }
        for port in ports.values():  # warm every worker and its caches
            for path in pages.values():
                hammer(port, path, cookies, concurrency=4, seconds=1)
        for round_number in range(args.rounds):
            for page, path in pages.items():
                for name, port in ports.items():
                    load = hammer(
                        port, path, cookies, concurrency=args.concurrency, seconds=args.seconds
                    )
                    runs[name][page].append(
                        {
                            "rps": load.per_second,
                            "p50_ms": load.percentile(50) * 1000,
                            "p95_ms": load.percentile(95) * 1000,
                            "errors": load.errors(),
                        }
                    )
                    print(
                        f"round {round_number + 1} {name:12} {page:17} "
                        f"{load.per_second:7.1f}/s p95 {load.percentile(95) * 1000:6.1f} ms "
                        f"errors {load.errors()}",
                        flush=True,
                    )
        children.stop_all()
    _write(runs, pages, args)


def _write(runs: dict, pages: dict[str, str], args: argparse.Namespace) -> None:
    summary: dict[str, dict[str, dict[str, float]]] = {}
    for name, by_page in runs.items():
        summary[name] = {}
        bare = statistics.median(r["rps"] for r in by_page["bare"])
        for page, samples in by_page.items():
            rps = statistics.median(r["rps"] for r in samples)
            summary[name][page] = {
                "rps": round(rps, 1),
                "ratio_to_bare": round(rps / bare, 3) if bare else 0.0,
                "p50_ms": round(statistics.median(r["p50_ms"] for r in samples), 1),
                "p95_ms": round(statistics.median(r["p95_ms"] for r in samples), 1),
                "errors": sum(r["errors"] for r in samples),
            }
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_version()}",
        # Other work on the machine slows every sample; compare rows of one run only.
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "gunicorn_workers": 2,
        "concurrency": args.concurrency,
        "seconds_per_sample": args.seconds,
        "rounds": args.rounds,
        "pages": pages,
        "summary": summary,
        "runs": runs,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"connections-c{args.concurrency}"
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=1))
    lines = [
        "# Throughput by way of keeping connections",
        "",
        f"{result['when']}, load average {result['load_average']}, gunicorn 2 sync workers "
        f"per server, {args.concurrency} loopback "
        f"clients, median of {args.rounds} rounds of {args.seconds:g}s per page, interleaved. "
        "Requests per second (share of the bare view on the same server), p50 / p95.",
        "",
        "| page | " + " | ".join(CONFIGS) + " |",
        "|---|" + "---|" * len(CONFIGS),
    ]
    for page in pages:
        cells = []
        for name in CONFIGS:
            s = summary[name][page]
            cells.append(
                f"{s['rps']:.1f}/s ({s['ratio_to_bare']:.0%}), "
                f"p50 {s['p50_ms']:.0f} / p95 {s['p95_ms']:.0f} ms"
            )
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    errors = sum(s["errors"] for by in summary.values() for s in by.values())
    lines += ["", f"Errors (any answer but 200): {errors}.", ""]
    (RESULTS / f"{name}.md").write_text("\n".join(lines))
    print("\n".join(lines))
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    began = time.monotonic()
    main()
    print(f"({time.monotonic() - began:.0f}s)")
