"""How PostgreSQL connections are kept, from the environment (README "Deployment").

A new connection costs more than most pages (a TLS-less loopback connect and
authentication is several milliseconds, a page a few), so production keeps them. Two
ways, chosen by ``DB_POOL``:

- a psycopg pool per process (Django's ``OPTIONS["pool"]``, the production default):
  ``DB_POOL_MIN_SIZE`` connections stay open, up to ``DB_POOL_MAX_SIZE`` when threads
  in the process need more (a sync gunicorn worker serves one request at a time; the
  second is for the audit sealer's timer thread), and a request waits at most
  ``DB_POOL_TIMEOUT`` seconds for one before it fails;
- ``DB_POOL=off``: one connection per thread kept for ``DB_CONN_MAX_AGE`` seconds, with
  Django's health check (``DB_CONN_HEALTH_CHECKS``) so a connection the server dropped
  is replaced instead of failing the next request.

Development keeps a connection per request unless told otherwise, so a developer's
PostgreSQL never holds connections for a ``runserver`` thread that is gone.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from samepage.env import env_bool, env_int, env_str


def keep_connections(db: Any, production: bool) -> None:
    """Set how a PostgreSQL entry of ``DATABASES`` keeps its connections.

    ``db`` is dj-database-url's ``DBConfig``, a TypedDict without the pool's keys.
    """
    db.update(_connection_settings(production))
    pool = db.pop("POOL", None)
    if pool is not None:
        # Beside any options DATABASE_URL gave (sslmode, ...).
        db["OPTIONS"] = {**db.get("OPTIONS", {}), "pool": pool}


def _connection_settings(production: bool) -> dict[str, Any]:
    pooled = env_bool("DB_POOL", production)
    if not pooled:
        return {
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 600 if production else 0, minimum=0),
            "CONN_HEALTH_CHECKS": env_bool("DB_CONN_HEALTH_CHECKS", True),
        }
    if env_str("DB_CONN_MAX_AGE") not in {"", "0"}:
        # Django refuses both at once; say which variable to change.
        raise ImproperlyConfigured(
            "DB_CONN_MAX_AGE keeps connections without the pool: set DB_POOL=off to use it, "
            "or leave it unset with the pool."
        )
    min_size = env_int("DB_POOL_MIN_SIZE", 1, minimum=0)
    max_size = env_int("DB_POOL_MAX_SIZE", 2, minimum=1)
    if max_size < min_size:
        raise ImproperlyConfigured(
            f"DB_POOL_MAX_SIZE={max_size} must be at least DB_POOL_MIN_SIZE={min_size}."
        )
    return {
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "POOL": {
            "min_size": min_size,
            "max_size": max_size,
            "timeout": env_int("DB_POOL_TIMEOUT", 10, minimum=1),
        },
    }
