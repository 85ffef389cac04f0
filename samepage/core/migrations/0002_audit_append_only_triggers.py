"""Make the audit table append-only with triggers (frozen copy of core/audit_guard.py)."""

from django.db import migrations

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


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(_run(INSTALL), _run(REMOVE), elidable=False)]
