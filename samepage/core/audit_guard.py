"""Database triggers that make the audit table append-only.

Installed by migration core 0003 (which keeps its own frozen copy of this SQL). The only
sanctioned wipe is ``manage.py flush`` (tests, ``seed_demo --reset``), which lifts the
guard, empties the database and puts the guard back.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "core_auditevent"
MESSAGE = "audit events are append-only"

INSTALL = {
    "sqlite": [
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION samepage_audit_append_only() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;",
        f"CREATE OR REPLACE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION samepage_audit_append_only();",
        f"CREATE OR REPLACE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION samepage_audit_append_only();",
    ],
}

REMOVE = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};",
    ],
}


def _run(connection: BaseDatabaseWrapper, statements: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)


def install(connection: BaseDatabaseWrapper) -> None:
    _run(connection, INSTALL)


def remove(connection: BaseDatabaseWrapper) -> None:
    _run(connection, REMOVE)
