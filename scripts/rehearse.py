"""Rehearse the scale-out: two web servers and two task workers on one PostgreSQL.

    .venv/bin/python scripts/rehearse.py [--seconds 20] [--clients 8]
        [--locust-users 200 --locust-seconds 60]        (make rehearse)

It makes its own scratch database (``--database``, dropped at the end unless ``--keep``),
migrates it, seeds the demo district (``manage.py seed_demo``) and synthetic people
(scripts/rehearse_seed.py), then starts, in production mode on loopback:

- two gunicorn instances (``deploy/gunicorn.conf.py``) on two free ports;
- two ``manage.py db_worker`` processes (``SAMEPAGE_TASKS=database``).

It drives a bounded load across both instances, every request to the other instance
than the one before: sign-ins (staff with a real two-factor code), page views, writes
(a parent's concern, a case manager's profile entry), plan PDFs, and, with
``--locust-users``, the locust load test (bench/locust/locustfile.py) as well. Then it
checks:

- no answer was a 5xx or anything but what the page answers a person (every write
  landed exactly once, with its audit event), and no server logged an error;
- a session made on one instance works on the other, and signing out on one ends it
  on both;
- every task enqueued reached "successful" exactly once (django-tasks-db's own record:
  one worker claimed it, none failed, none is left waiting), both workers took part;
  an email or text held for its recipient's quiet hours (by the hour the rehearsal runs
  at) waits unclaimed and is counted apart;
- the audit trail is intact (``manage.py verify_audit`` after a final ``seal_audit``);
- ``/healthz`` said ok on both instances throughout.

It prints a summary with the figures and exits non-zero on any failure. Every child
process is ended on exit, on an error and on SIGTERM/SIGINT; ``--timeout`` bounds the
whole run.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import secrets
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rehearse_tools import (
    DEFAULT_SERVER,
    PYTHON,
    ROOT,
    Account,
    Children,
    exit_on,
    free_port,
    manage,
    post_headers,
    prepare_browser,
    production_env,
    run_var_dir,
    scratch_database,
    sign_in,
    start_gunicorn,
    wait_healthy,
)

# Marks this run's writes, so a kept database's earlier runs are not counted.
RUN = uuid.uuid4().hex[:8]
DEMO_PASSWORD = os.environ.get("SAMEPAGE_DEMO_PASSWORD", "riverbend-demo-2026")
LOCUSTFILE = ROOT / "bench" / "locust" / "locustfile.py"
TASK_TABLE = "django_tasks_database_dbtaskresult"
# Server log lines that mean a request or task went wrong.
BAD_LOG_LINES = ("Traceback", "[ERROR]", "[CRITICAL]", "WORKER TIMEOUT", "Internal Server Error")


@dataclass
class Tally:
    """What the rehearsal's clients did and saw, shared by their threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    by_instance: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    concerns: set[str] = field(default_factory=set)  # marker texts of concerns shared
    entries: set[str] = field(default_factory=set)  # marker texts of profile entries
    sign_ins: int = 0

    def seen(self, kind: str, base: str, response: Any, seconds: float, expect: str) -> None:
        ok = response.status_code == 200 and urlsplit(response.url).path.endswith(expect)
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[response.status_code] += 1
            self.by_instance[base] += 1
            if not ok:
                self.problems.append(
                    f"{kind}: {response.status_code} at {response.url} (expected a page "
                    f"ending {expect})"
                )

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)


class Person:
    """One simulated person: signs in once, then goes about their day on both instances."""

    def __init__(self, account: Account, bases: list[str], tally: Tally, seed: int) -> None:
        self.account = account
        self.bases = bases
        self.tally = tally
        self.random = random.Random(seed)  # noqa: S311 - which page next, not a secret
        self.turn = seed
        self.session = requests.Session()
        prepare_browser(self.session)

    def base(self) -> str:
        self.turn += 1
        return self.bases[self.turn % len(self.bases)]

    def get(self, kind: str, path: str, expect: str | None = None) -> requests.Response:
        base = self.base()
        began = time.perf_counter()
        response = self.session.get(base + path, timeout=60)
        self.tally.seen(kind, base, response, time.perf_counter() - began, expect or path)
        return response

    def post(self, kind: str, path: str, data: dict[str, str], expect: str) -> bool:
        base = self.base()
        began = time.perf_counter()
        response = self.session.post(
            base + path, data=data, headers=post_headers(self.session, base), timeout=60
        )
        self.tally.seen(kind, base, response, time.perf_counter() - began, expect)
        return response.status_code == 200 and urlsplit(response.url).path.endswith(expect)

    def run(self, deadline: float) -> None:
        try:
            base = self.base()
            began = time.perf_counter()
            response = sign_in(self.session, base, self.account, DEMO_PASSWORD, timeout=60)
            self.tally.seen("sign-in", base, response, time.perf_counter() - began, "/home/")
            with self.tally.lock:
                self.tally.sign_ins += 1
            while time.monotonic() < deadline:
                self.one_round()
        except (AssertionError, requests.RequestException) as e:
            self.tally.problem(f"{self.account.email}: {e}")

    def one_round(self) -> None:
        role = self.account.role
        self.get("home", "/home/")
        if role == "parent":
            student = self.account.students[0]
            plan, number = self.account.plans[0]
            self.get("student overview", f"/students/{student}/")
            self.get("plan page", f"/plans/{plan}/")
            self.get("concerns", f"/students/{student}/concerns/")
            marker = f"rehearsal concern {RUN} {uuid.uuid4().hex}"
            if self.post(
                "add concern",
                f"/students/{student}/concerns/add/",
                {"add-category": "reading", "add-importance": "high", "add-text": marker},
                f"/students/{student}/concerns/",
            ):
                with self.tally.lock:
                    self.tally.concerns.add(marker)
            if self.random.random() < 0.3:
                self.pdf(f"/plans/{plan}/versions/{number}/pdf/")
        elif role == "case_manager":
            student = self.random.choice(self.account.students)
            self.get("student list", "/students/")
            self.get("plan list", "/plans/")
            self.get("student overview", f"/students/{student}/")
            self.get("profile", f"/students/{student}/profile/")
            marker = f"rehearsal observation {RUN} {uuid.uuid4().hex}"
            if self.post(
                "add profile entry",
                f"/students/{student}/profile/add/",
                {"section": "learning", "text": marker, "visibility": "team"},
                f"/students/{student}/profile/",
            ):
                with self.tally.lock:
                    self.tally.entries.add(marker)
        else:
            self.get("student list", "/students/")
            self.get("plan list", "/plans/")

    def pdf(self, path: str) -> None:
        response = self.get("plan PDF", path)
        if response.ok and not response.content.startswith(b"%PDF"):
            self.tally.problem(f"plan PDF {path}: not a PDF")


def check_sessions(bases: list[str], parent: Account, staff: Account) -> list[str]:
    """A session made on one instance works on the other; signing out on one ends it."""
    problems = []
    for account, (made_on, used_on) in ((parent, bases), (staff, bases[::-1])):
        session = requests.Session()
        prepare_browser(session)
        try:
            sign_in(session, made_on, account, DEMO_PASSWORD, timeout=60)
        except AssertionError as e:
            return [f"sessions: {e}"]
        there = session.get(f"{used_on}/home/", timeout=60)
        if there.status_code != 200 or urlsplit(there.url).path != "/home/":
            problems.append(
                f"sessions: {account.email} signed in on {made_on} is not signed in on "
                f"{used_on} ({there.status_code} {there.url})"
            )
        session.post(
            f"{made_on}/accounts/logout/", headers=post_headers(session, made_on), timeout=60
        )
        after = session.get(f"{used_on}/home/", timeout=60)
        if urlsplit(after.url).path != "/accounts/login/":
            problems.append(f"sessions: signing out on {made_on} did not end it on {used_on}")
    return problems


def run_locust(
    bases: list[str], accounts_file: Path, users: int, seconds: int, logs: Path, children: Children
) -> tuple[dict[str, Any], list[str]]:
    prefix = logs / "locust"
    env = dict(
        os.environ,
        SAMEPAGE_LOCUST_HOSTS=",".join(bases),
        SAMEPAGE_LOCUST_ACCOUNTS=str(accounts_file),
        SAMEPAGE_DEMO_PASSWORD=DEMO_PASSWORD,
    )
    argv = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        # Everyone signed in within the first half of the run: each sign-in is an Argon2
        # check (about 0.15 s of a core), the costliest request there is.
        "--spawn-rate",
        str(max(1, math.ceil(users / max(1, seconds // 2)))),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "30",
        "--host",
        bases[0],
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    process = children.start("locust", argv, env, logs / "locust.log")
    try:
        process.wait(timeout=seconds + 180)
    except Exception:
        children.stop(process)
        return {}, [f"locust did not finish within {seconds + 180}s"]
    children.stop(process)
    problems = []
    stats: dict[str, Any] = {"exit": process.returncode}
    try:
        with open(f"{prefix}_stats.csv") as f:
            for row in csv.DictReader(f):
                if row["Name"] == "Aggregated":
                    stats.update(
                        requests=int(row["Request Count"]),
                        failures=int(row["Failure Count"]),
                        per_second=float(row["Requests/s"]),
                        p50_ms=float(row["50%"]),
                        p95_ms=float(row["95%"]),
                        p99_ms=float(row["99%"]),
                    )
    except (OSError, KeyError, ValueError) as e:
        problems.append(f"locust wrote no statistics: {e}")
    if stats.get("failures"):
        failures = Path(f"{prefix}_failures.csv")
        detail = failures.read_text()[:1500] if failures.exists() else ""
        problems.append(f"locust: {stats['failures']} failed requests\n{detail}")
    if process.returncode != 0 and not problems:
        tail = (logs / "locust.log").read_text()[-1500:]
        problems.append(f"locust exited {process.returncode}:\n{tail}")
    if not stats.get("requests"):
        problems.append("locust made no requests")
    return stats, problems


# A task enqueued with a later ``run_after`` (django-tasks-db stores the far future when
# there is none): an email or text held until the end of its recipient's quiet hours.
# Whether any are held depends on the hour the rehearsal runs at in the demo's zone.
DEFERRED = "run_after > now() AND run_after < timestamp with time zone '9000-01-01'"
# Only these may be held; anything else waiting after the load is a stuck queue.
MAY_WAIT_FOR_MORNING = {
    "samepage.notifications.tasks.send_notice_email",
    "samepage.notifications.tasks.send_notice_sms",
}


def drain_tasks(url: str, timeout: float) -> float:
    """Seconds until no task that is due is waiting or running (those held for later,
    ``DEFERRED``, are left for ``check_tasks``)."""
    began = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() - began < timeout:
            row = conn.execute(
                f"SELECT count(*) FROM {TASK_TABLE} "  # noqa: S608
                f"WHERE status IN ('READY', 'RUNNING') AND NOT ({DEFERRED})"
            ).fetchone()
            if row and row[0] == 0:
                return time.monotonic() - began
            time.sleep(0.5)
    return -1.0


def check_tasks(url: str) -> tuple[dict[str, Any], list[str]]:
    problems = []
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT id, task_path, status, worker_ids, started_at, finished_at, "  # noqa: S608
            f"status = 'READY' AND {DEFERRED} FROM {TASK_TABLE}"
        ).fetchall()
    by_task: Counter[str] = Counter()
    by_worker: Counter[str] = Counter()
    held: Counter[str] = Counter()
    for task_id, path, status, worker_ids, started, finished, deferred in rows:
        by_task[f"{path} {status}"] += 1
        for worker in worker_ids:
            by_worker[worker] += 1
        if deferred and path in MAY_WAIT_FOR_MORNING and not worker_ids:
            held[path] += 1  # waits, unclaimed, for its recipient's quiet hours to end
            continue
        if status != "SUCCESSFUL":
            problems.append(f"task {path} {task_id} ended {status}")
        if len(worker_ids) != 1:
            problems.append(f"task {path} {task_id} was claimed {len(worker_ids)} times")
        if status == "SUCCESSFUL" and (started is None or finished is None):
            problems.append(f"task {path} {task_id} has no start or finish time")
    if not rows:
        problems.append("no task was enqueued (sealing the audit trail should have been)")
    if len(by_worker) < 2 and len(rows) >= 10:
        problems.append(f"only {len(by_worker)} worker took tasks: {dict(by_worker)}")
    figures = {
        "tasks": len(rows),
        "by_task": dict(by_task),
        "by_worker": dict(by_worker),
        "held_for_quiet_hours": dict(held),
    }
    return figures, problems


def check_writes(url: str, tally: Tally) -> tuple[dict[str, int], list[str]]:
    """Every write a client saw succeed is one row, with one audit event; no others."""
    problems = []
    with psycopg.connect(url) as conn:
        concerns = {
            text: pk
            for pk, text in conn.execute(
                "SELECT id, text FROM concerns_parentconcern WHERE text LIKE %s",
                [f"rehearsal concern {RUN} %"],
            )
        }
        entries = {
            text: pk
            for pk, text in conn.execute(
                "SELECT id, text FROM profiles_profileentry WHERE text LIKE %s",
                [f"rehearsal observation {RUN} %"],
            )
        }
        audited = {
            action: dict(
                conn.execute(
                    "SELECT target_id, count(*) FROM core_auditevent "
                    "WHERE action = %s AND target_id = ANY(%s) GROUP BY target_id",
                    [action, [str(pk) for pk in ids]],
                ).fetchall()
            )
            for action, ids in (
                ("concern.added", concerns.values()),
                ("profile.entry_added", entries.values()),
            )
        }
    for action, ids in (("concern.added", concerns), ("profile.entry_added", entries)):
        once = [pk for pk in ids.values() if audited[action].get(str(pk)) == 1]
        if len(once) != len(ids):
            problems.append(f"{action}: {len(ids) - len(once)} rows without exactly one event")
    if set(concerns) != tally.concerns:
        problems.append(
            f"concerns: {len(tally.concerns)} shared, {len(concerns)} stored "
            f"({len(tally.concerns - set(concerns))} missing, "
            f"{len(set(concerns) - tally.concerns)} unexpected)"
        )
    if set(entries) != tally.entries:
        problems.append(f"profile entries: {len(tally.entries)} added, {len(entries)} stored")
    return {
        "concerns": len(concerns),
        "profile_entries": len(entries),
        "concern_audit_events": sum(audited["concern.added"].values()),
        "entry_audit_events": sum(audited["profile.entry_added"].values()),
    }, problems


def check_logs(logs: Path) -> list[str]:
    problems = []
    for log in sorted(logs.glob("*.log")):
        if log.name.startswith("locust"):
            continue
        for number, line in enumerate(log.read_text(errors="replace").splitlines(), 1):
            if any(bad in line for bad in BAD_LOG_LINES):
                problems.append(f"{log.name}:{number}: {line.strip()[:200]}")
    return problems[:20]


def _ms(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else 0


def seed(args: argparse.Namespace, env: dict[str, str], logs: Path, children: Children) -> Path:
    """Migrate, seed the demo district and the synthetic people; their accounts file."""
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "seed_demo")
    # Everyone signs in as their own account: the rehearsal's clients, the session
    # check's two and the load test's people, with the load test's mix of roles.
    people = args.clients + args.locust_users
    accounts_file = logs / "accounts.json"
    argv = [
        PYTHON,
        "scripts/rehearse_seed.py",
        "--out",
        str(accounts_file),
        "--parents",
        str(math.ceil(people * 0.60) + 3),
        "--case-managers",
        str(math.ceil(people * 0.25) + 3),
        "--leaders",
        str(math.ceil(people * 0.10) + 2),
        "--admins",
        str(math.ceil(people * 0.05) + 2),
    ]
    seeded = children.start("seed", argv, env, logs / "seed.log")
    if seeded.wait(timeout=args.timeout) != 0:
        raise SystemExit("seeding failed:\n" + (logs / "seed.log").read_text()[-3000:])
    children.stop(seeded)
    return accounts_file


def rehearse(args: argparse.Namespace, children: Children) -> dict[str, Any]:
    logs = Path(tempfile.mkdtemp(prefix="samepage-rehearsal-"))
    print(f"Logs in {logs}", flush=True)
    figures: dict[str, Any] = {"logs": str(logs)}
    problems: list[str] = []
    step = time.monotonic()

    def done(what: str) -> None:
        nonlocal step
        print(f"  {what} ({time.monotonic() - step:.1f}s)", flush=True)
        step = time.monotonic()

    with scratch_database(
        args.server, args.database, keep=args.keep, reuse=args.seeded is not None
    ) as url:
        # The keys, the audit anchor and the uploads belong with the database: kept beside
        # its accounts file, so a --seeded run finds what the first run wrote.
        home = args.seeded.parent if args.seeded else logs
        var_dir = run_var_dir(lambda v: production_env(url, v), home)
        keys = home / "keys.json"
        if not keys.exists():
            keys.write_text(
                json.dumps(
                    {
                        "SECRET_KEY": secrets.token_urlsafe(64),
                        "SAMEPAGE_AUDIT_KEY": secrets.token_urlsafe(48),
                        "SAMEPAGE_AUDIT_ANCHOR_DIR": str(home / "audit-anchors"),
                    }
                )
            )
            keys.chmod(0o600)
        env = production_env(url, var_dir, **json.loads(keys.read_text()))
        done(f"database {args.database}, files in {var_dir}")
        if args.seeded:
            accounts_file = args.seeded
        else:
            accounts_file = seed(args, env, logs, children)
            done("migrated and seeded the demo district and synthetic people")
        accounts = [Account(**a) for a in json.loads(accounts_file.read_text())]
        if args.seeded:
            # Tasks of the earlier run are its own business; this run's are checked.
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f"DELETE FROM {TASK_TABLE}")  # noqa: S608

        ports = [free_port(), free_port()]
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for name, port in zip(("web-a", "web-b"), ports, strict=True):
            start_gunicorn(children, name, env, port, args.web_workers, logs)
        for n in (1, 2):
            children.start(
                f"worker-{n}",
                [
                    PYTHON,
                    "manage.py",
                    "db_worker",
                    "--worker-id",
                    f"worker-{n}",
                    "--interval",
                    "0.5",
                ],
                env,
                logs / f"worker-{n}.log",
            )
        for base in bases:
            wait_healthy(base, children)
        done(f"2 web instances ({args.web_workers} workers each) and 2 task workers up")

        by_role: dict[str, list[Account]] = defaultdict(list)
        for account in accounts:
            by_role[account.role].append(account)
        # The session check takes one parent and one case manager; the clients others.
        parent, staff = by_role["parent"].pop(), by_role["case_manager"].pop()
        session_problems = check_sessions(bases, parent, staff)
        problems += session_problems
        figures["sessions_across_instances"] = "ok" if not session_problems else "FAILED"
        done("sessions checked across instances")

        tally = Tally()
        roles = ["parent", "case_manager", "parent", "school_leader", "parent", "district_admin"]
        chosen = []
        for n in range(args.clients):
            pool = by_role[roles[n % len(roles)]] or by_role["parent"]
            chosen.append(pool.pop())
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=Person(a, bases, tally, n).run, args=(deadline,), daemon=True)
            for n, a in enumerate(chosen)
        ]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(args.seconds + 120)
        elapsed = time.monotonic() - began
        if any(thread.is_alive() for thread in threads):
            problems.append("a client was still waiting for an answer two minutes late")
        problems += tally.problems
        requests_made = sum(tally.statuses.values())
        figures["load"] = {
            "clients": args.clients,
            "seconds": round(elapsed, 1),
            "requests": requests_made,
            "per_second": round(requests_made / elapsed, 1) if elapsed else 0,
            "sign_ins": tally.sign_ins,
            "statuses": dict(tally.statuses),
            "by_instance": dict(tally.by_instance),
            "pages": {
                kind: {
                    "n": len(v),
                    "p50_ms": round(statistics.median(v) * 1000, 1),
                    "p95_ms": round(_ms(v, 95), 1),
                }
                for kind, v in sorted(tally.latencies.items())
            },
        }
        done(f"load: {requests_made} requests from {args.clients} clients")

        if args.locust_users:
            # The load test's people are the ones the rehearsal's clients did not use.
            rest = [a for pool in by_role.values() for a in pool]
            rest_file = logs / "locust-accounts.json"
            rest_file.write_text(json.dumps([a.__dict__ for a in rest]))
            stats, locust_problems = run_locust(
                bases,
                rest_file,
                min(args.locust_users, len(rest)),
                args.locust_seconds,
                logs,
                children,
            )
            figures["locust"] = stats
            problems += locust_problems
            done(
                f"locust: {stats.get('requests', 0)} requests, {stats.get('failures', '?')} failed"
            )

        for base in bases:
            try:
                health = requests.get(f"{base}/healthz", timeout=60)
            except requests.RequestException as e:
                problems.append(f"{base}/healthz did not answer after the load: {e}")
                continue
            if health.status_code != 200:
                problems.append(f"{base}/healthz answered {health.status_code} after the load")
        drained = drain_tasks(url, timeout=120)
        if drained < 0:
            problems.append("tasks were still waiting or running two minutes after the load")
        done("task queue drained")
        for name, process in list(children.running):
            if name.startswith(("web", "worker")):
                code = children.stop(process)
                if code not in (0, -signal.SIGTERM):
                    problems.append(f"{name} exited {code} when asked to stop")
        done("servers and workers stopped")

        task_figures, task_problems = check_tasks(url)
        figures["tasks"] = task_figures
        problems += task_problems
        write_figures, write_problems = check_writes(url, tally)
        figures["writes"] = write_figures
        problems += write_problems
        manage(env, "seal_audit")
        verified = manage(env, "verify_audit")  # exits non-zero on any break
        figures["audit"] = verified.strip().splitlines()[-1]
        problems += check_logs(logs)
        done("checked tasks, writes, audit trail and logs")
    figures["problems"] = problems
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="the rehearsal's own load")
    parser.add_argument("--clients", type=int, default=8, help="its simulated people")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers each")
    parser.add_argument("--locust-users", type=int, default=0, help="0: no locust run")
    parser.add_argument("--locust-seconds", type=int, default=60)
    parser.add_argument("--server", default=DEFAULT_SERVER)
    parser.add_argument("--database", default="samepage_rehearsal")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--seeded",
        type=Path,
        help="use the database a --keep run left, with the accounts.json it seeded "
        "(for working on this script; skips migrating and seeding)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--timeout", type=float, default=1800, help="the whole run, in seconds, at most"
    )
    args = parser.parse_args()
    children = Children()

    def out_of_time(signum: int, frame: Any) -> None:
        raise SystemExit(f"the rehearsal took longer than --timeout {args.timeout:.0f}s")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(int(args.timeout))
    began = time.monotonic()
    try:
        figures = rehearse(args, children)
    finally:
        children.stop_all()
        signal.alarm(0)
    figures["total_seconds"] = round(time.monotonic() - began, 1)
    print("\n==== Rehearsal summary ====")
    print(json.dumps({k: v for k, v in figures.items() if k != "problems"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    exit_on(figures["problems"])
    print("Rehearsal passed: no errors, every task run once, sessions shared, audit intact.")


if __name__ == "__main__":
    main()
