"""What the rehearsal, the throughput run and the load test share: a scratch PostgreSQL
database, child processes that always die with their parent, the production
environment on loopback, and a web client that signs in the way a person does
(two-factor included).

No Django here: these run in the driving process, which talks to SamePage only over
HTTP and to PostgreSQL only with psycopg, as an outsider would.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import fcntl
import hashlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import requests
from django_otp.oath import TOTP

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
GUNICORN_CONF = str(ROOT / "deploy" / "gunicorn.conf.py")
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"


# --- the scratch database ------------------------------------------------------------------


def admin_sql(server: str, sql: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def scratch_database(
    server: str, name: str, *, keep: bool = False, reuse: bool = False
) -> Iterator[str]:
    """A new empty database ``name`` (dropped first if a killed run left it), then dropped.

    ``reuse``: the one a run with ``keep`` left, as it is.
    """
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"not a plain database name: {name!r}")
    if not reuse:
        admin_sql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin_sql(server, f"CREATE DATABASE {name}")
    try:
        yield f"{server}/{name}"
    finally:
        if not keep:
            admin_sql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --- child processes -----------------------------------------------------------------------


class Children:
    """Child processes, each in its own process group, all ended when this one ends.

    Ended on a normal exit, an exception, SIGTERM, SIGINT or SIGHUP: each group gets
    SIGTERM, then SIGKILL after ``grace`` seconds, so a gunicorn master's workers and a
    db_worker's task go with them.
    """

    def __init__(self, grace: float = 10.0) -> None:
        self.grace = grace
        self.running: list[tuple[str, subprocess.Popen[bytes]]] = []
        atexit.register(self.stop_all)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    def start(self, name: str, argv: list[str], env: dict[str, str], log: Path) -> Any:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as out:
            process = subprocess.Popen(  # noqa: S603 - our own programs, fixed arguments
                argv,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.running.append((name, process))
        return process

    def stop(self, process: subprocess.Popen[bytes]) -> int | None:
        """End one child's process group; its exit code (None if it had to be killed)."""
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(self.grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return None
        # Whatever the group leader left behind (a worker that outlived its master).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        self.running = [(n, p) for n, p in self.running if p is not process]
        return process.returncode

    def stop_all(self) -> None:
        for _name, process in list(reversed(self.running)):
            self.stop(process)

    def dead(self) -> list[str]:
        """Children that exited while they should be running."""
        return [
            f"{name} (exit {process.returncode})"
            for name, process in self.running
            if process.poll() is not None
        ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def production_env(database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    """SamePage's production settings on loopback, with throwaway keys for this run."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DB_", "SAMEPAGE_", "GUNICORN_"))
    }
    env.update(
        SAMEPAGE_MODE="production",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        SAMEPAGE_AUDIT_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        SAMEPAGE_TASKS="database",
        SAMEPAGE_VAR_DIR=str(var_dir),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        SAMEPAGE_AUDIT_LOG_LEVEL="WARNING",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="samepage.settings",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    """Run ``manage.py`` with ``env``; its output, or SystemExit naming what failed."""
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return result.stdout


def start_gunicorn(
    children: Children, name: str, env: dict[str, str], port: int, workers: int, logs: Path
) -> Any:
    web_env = dict(
        env,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        GUNICORN_ACCESS_LOG=str(logs / f"{name}-access.log"),
    )
    return children.start(
        name, [GUNICORN, "-c", GUNICORN_CONF, "samepage.wsgi"], web_env, logs / f"{name}.log"
    )


def wait_healthy(base_url: str, children: Children, timeout: float = 60) -> float:
    """Seconds until ``/healthz`` said ok (plain HTTP, no Host but loopback's)."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        dead = children.dead()
        if dead:
            raise SystemExit(f"exited while starting: {', '.join(dead)}")
        with contextlib.suppress(requests.RequestException):
            response = requests.get(f"{base_url}/healthz", timeout=2, allow_redirects=False)
            if response.status_code == 200 and response.text == "ok":
                return time.monotonic() - began
        time.sleep(0.2)
    raise SystemExit(f"{base_url}/healthz did not answer ok within {timeout:.0f}s")


# --- a person's browser ---------------------------------------------------------------------


_return_ok_secure = DefaultCookiePolicy.return_ok_secure


def _secure_over_loopback(self: DefaultCookiePolicy, cookie: Any, request: Any) -> bool:
    # Production's cookies are Secure; here the HTTPS proxy in front is pretended by a
    # header, so a browser on loopback sends them over plain HTTP. requests copies the
    # jar into a new one (with the default policy) for every request and redirect, so
    # the policy itself is changed, for this process and loopback only.
    if request.host.split(":")[0] in {"127.0.0.1", "localhost"}:
        return True
    return bool(_return_ok_secure(self, cookie, request))


DefaultCookiePolicy.return_ok_secure = _secure_over_loopback  # type: ignore[method-assign]


def totp_code(hex_key: str, at: float) -> str:
    totp = TOTP(bytes.fromhex(hex_key), step=30, t0=0, digits=6, drift=0)
    totp.time = at
    return f"{totp.token():06d}"


def totp_step(at: float) -> int:
    return int(at // 30)


@dataclass
class Account:
    """A seeded person (scripts/rehearse_seed.py writes these)."""

    email: str
    role: str
    totp_key: str | None = None
    last_step: int = 0  # the newest code step this account's authenticator has used
    students: list[int] = field(default_factory=list)
    plans: list[list[int]] = field(default_factory=list)  # [plan id, version number]


def prepare_browser(session: requests.Session) -> None:
    """What a browser behind the HTTPS proxy sends: the proxy's header, cookies as given."""
    session.headers["X-Forwarded-Proto"] = "https"
    session.headers["User-Agent"] = "SamePage rehearsal"


def post_headers(session: requests.Session, base_url: str) -> dict[str, str]:
    """A form post as a browser sends it: the CSRF token and the page's own origin (https,
    as the browser sees it through the proxy)."""
    origin = base_url.replace("http://", "https://", 1)
    return {"X-CSRFToken": session.cookies.get("csrftoken", ""), "Origin": origin}


def code_for(account: Account) -> str:
    """A fresh code: never one the authenticator already used (django-otp refuses reuse
    and counts the refusal), so wait for the next step when this one is spent."""
    while totp_step(time.time()) <= account.last_step:
        time.sleep(0.25)
    now = time.time()
    account.last_step = totp_step(now)
    assert account.totp_key is not None
    return totp_code(account.totp_key, now)


SIGNED_IN_PATHS = ("/home/",)


def sign_in(session: Any, base_url: str, account: Account, password: str, **kw: Any) -> Any:
    """Sign in through the pages (and the two-factor step for staff); the last response.

    ``session`` is a requests session or a locust client (``kw`` carries ``name=``).
    Raises AssertionError with what went wrong.
    """
    session.get(f"{base_url}/accounts/login/", **kw)
    response = session.post(
        f"{base_url}/accounts/login/",
        data={"username": account.email, "password": password},
        headers=post_headers(session, base_url),
        **kw,
    )
    if account.totp_key:
        assert urlsplit(response.url).path == "/accounts/two-factor/verify/", (
            f"{account.email}: sign-in did not ask for a code ({response.status_code} "
            f"{response.url})"
        )
        response = session.post(
            f"{base_url}/accounts/two-factor/verify/",
            data={"code": code_for(account)},
            headers=post_headers(session, base_url),
            **kw,
        )
    assert urlsplit(response.url).path in SIGNED_IN_PATHS, (
        f"{account.email}: sign-in ended at {response.url} ({response.status_code})"
    )
    return response


def exit_on(problems: list[str]) -> None:
    if problems:
        print(f"\nFAILED: {len(problems)} problem(s)", file=sys.stderr)
        for problem in problems[:50]:
            print(f"  - {problem}", file=sys.stderr)
        raise SystemExit(1)


# --- static files, collected once per version of them --------------------------------------


def run_var_dir(env_of: Any, run_dir: Path) -> Path:
    """A ``SAMEPAGE_VAR_DIR`` for one run: its own uploads and files, and a ``static/``
    that is this tree's collected static files.

    Production's compressed manifest storage takes minutes to collect on a busy
    machine (Brotli over Swagger UI's bundles), so it is collected once per version of
    the static files and the lock file, under var/rehearsal/, and linked into each run.
    ``env_of(var_dir)`` gives the environment to run ``collectstatic`` in.
    """
    digest = hashlib.sha256((ROOT / "requirements.lock").read_bytes())
    for path in sorted((ROOT / "samepage").glob("**/static/**/*")):
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    cache = ROOT / "var" / "rehearsal" / digest.hexdigest()[:16]
    done = cache / "static" / ".collected"
    cache.parent.mkdir(parents=True, exist_ok=True)
    # Two runs at once (a rehearsal and a throughput run) collect once, not over each other.
    with open(cache.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(cache, ignore_errors=True)
            cache.mkdir(parents=True)
            manage(env_of(cache), "collectstatic", "--no-input", "-v0")
            done.touch()
    var_dir = run_dir / "var"
    var_dir.mkdir(parents=True, exist_ok=True)
    static = var_dir / "static"
    if not static.exists():
        static.symlink_to(cache / "static", target_is_directory=True)
    return var_dir


# --- a loopback load generator --------------------------------------------------------------


@dataclass
class Load:
    """What one bounded load run saw."""

    requests: int
    seconds: float
    statuses: dict[int, int]
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    def errors(self, expected: int = 200) -> int:
        return sum(n for status, n in self.statuses.items() if status != expected)


async def _get(port: int, request: bytes) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    try:
        return int(data.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


async def _drive(port: int, request: bytes, concurrency: int, seconds: float) -> Load:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    began = time.perf_counter()
    deadline = began + seconds

    async def client() -> None:
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                status = await asyncio.wait_for(_get(port, request), timeout=30)
            except (OSError, TimeoutError):
                status = 0
            latencies.append(time.perf_counter() - t0)
            statuses[status] = statuses.get(status, 0) + 1

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return Load(len(latencies), time.perf_counter() - began, statuses, latencies)


def hammer(port: int, path: str, cookies: str, *, concurrency: int, seconds: float) -> Load:
    """GET ``path`` from ``concurrency`` clients for ``seconds``, one connection each time
    (gunicorn's sync workers close it), as a browser behind the HTTPS proxy."""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Forwarded-Proto: https\r\n"
        f"Cookie: {cookies}\r\nConnection: close\r\n\r\n"
    ).encode()
    return asyncio.run(_drive(port, request, concurrency, seconds))
