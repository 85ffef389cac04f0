"""gunicorn for SamePage: ``gunicorn -c deploy/gunicorn.conf.py samepage.wsgi``.

Every value comes from the environment (README "Deployment"); the defaults suit one
machine behind an HTTPS proxy. Each worker is one process handling one request at a
time, holding one pooled database connection, so connections per machine are about
``WEB_CONCURRENCY`` (see the README's pool sizes).
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name}={value!r} is not a whole number.") from None


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Pages spend their time in Python and PostgreSQL, both on this machine's cores.
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"
# A request longer than this is killed (and logged): a stuck query must not hold a
# worker forever. The slowest page, a plan PDF, takes well under a second.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak cannot grow without bound; the jitter
# keeps them from restarting together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# Load the app once, before forking: a bad setting stops the master at start instead of
# every worker in a loop, and workers share the imported code's memory. Django opens no
# connection at import, so none is shared across the fork.
preload_app = True
# The proxy in front sets X-Forwarded-Proto; only trust it from the proxy's address.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Request time in microseconds (%D) for finding slow pages in the log; no query string,
# which can carry search terms about a child.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(D)sus'
# Worker heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm")  # noqa: S108 - gunicorn docs
