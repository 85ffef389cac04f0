"""Database triggers that make the audit tables (events and checkpoints) append-only.

Installed by migrations core 0002 and 0003 (each keeps its own frozen copy of this SQL).
They stop mistakes and ordinary code, not someone who can drop a trigger: that is what
the keyed MACs and ``verify_audit`` are for. The only
sanctioned wipe is ``manage.py flush`` (tests, ``seed_demo --reset``), which lifts the
guard, empties the database and puts the guard back.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.backends.base.base import BaseDatabaseWrapper

TABLES = ["core_auditevent", "core_auditcheckpoint"]
MESSAGE = "audit events are append-only"


def _install_sql(table: str) -> dict[str, list[str]]:
    return {
        "sqlite": [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
        ],
        "postgresql": [
            "CREATE OR REPLACE FUNCTION samepage_audit_append_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;",
            f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION samepage_audit_append_only();",
            f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION samepage_audit_append_only();",
        ],
    }


def _remove_sql(table: str) -> dict[str, list[str]]:
    return {
        "sqlite": [
            f"DROP TRIGGER IF EXISTS {table}_no_update;",
            f"DROP TRIGGER IF EXISTS {table}_no_delete;",
        ],
        "postgresql": [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
        ],
    }


def _merged(make: Callable[[str], dict[str, list[str]]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for table in TABLES:
        for vendor, statements in make(table).items():
            merged.setdefault(vendor, []).extend(statements)
    return merged


INSTALL = _merged(_install_sql)
REMOVE = _merged(_remove_sql)


def _run(connection: BaseDatabaseWrapper, statements: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)


def install(connection: BaseDatabaseWrapper) -> None:
    _run(connection, INSTALL)


def remove(connection: BaseDatabaseWrapper) -> None:
    _run(connection, REMOVE)
