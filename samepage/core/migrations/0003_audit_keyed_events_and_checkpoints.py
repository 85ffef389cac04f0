"""Audit events take their number from the database's sequence and carry an HMAC; keyed
checkpoints seal them (see samepage/core/audit_seal.py).

``seq`` becomes the primary key (an identity column on PostgreSQL, AUTOINCREMENT on
SQLite), so writers no longer queue on the head row. Existing rows keep their number and
their SHA-256 chain as the legacy prefix; the sequence continues after the highest one.
The append-only triggers are lifted while the table is rebuilt and put back on both
audit tables (frozen copy of core/audit_guard.py as of this migration).
"""

from django.db import migrations, models

MESSAGE = "audit events are append-only"
TABLES = ["core_auditevent", "core_auditcheckpoint"]


def _install(table):
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


def _remove(table):
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


def _run(make, tables):
    def run(apps, schema_editor):
        for table in tables:
            for sql in make(table).get(schema_editor.connection.vendor, []):
                schema_editor.execute(sql)

    return run


def _continue_sequence(apps, schema_editor):
    # Django adds the identity without moving it past the numbers already used.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "SELECT setval(pg_get_serial_sequence('core_auditevent', 'seq'), "
            "COALESCE((SELECT MAX(seq) FROM core_auditevent), 0) + 1, false)"
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only_triggers")]

    operations = [
        migrations.RunPython(
            _run(_remove, ["core_auditevent"]),
            _run(_install, ["core_auditevent"]),
            elidable=False,
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.BigIntegerField(unique=True)),
                ("chain", models.CharField(max_length=32)),
                ("created_at", models.DateTimeField()),
                ("key_id", models.CharField(max_length=32)),
                ("prev_mac", models.CharField(max_length=64)),
                ("ranges", models.JSONField(default=list)),
                ("event_count", models.BigIntegerField()),
                ("events_digest", models.CharField(max_length=64)),
                ("high_seq", models.BigIntegerField()),
                ("waiting", models.JSONField(default=list)),
                ("legacy_count", models.BigIntegerField(default=0)),
                ("legacy_hash", models.CharField(blank=True, default="", max_length=64)),
                ("mac", models.CharField(max_length=64)),
            ],
            options={"ordering": ["number"]},
        ),
        # Straight after removing ``id``: in between, the migration state gives the model
        # an implicit ``id`` the table no longer has, and SQLite's table rebuild would
        # copy the string 'id' into it.
        migrations.RemoveField(model_name="auditevent", name="id"),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigAutoField(primary_key=True, serialize=False),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="mac",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(_continue_sequence, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(_run(_install, TABLES), _run(_remove, TABLES), elidable=False),
    ]
