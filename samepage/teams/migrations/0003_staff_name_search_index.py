"""An index that serves the team page's "find a staff member by name" on PostgreSQL.

The search asks ``UPPER(full_name) LIKE UPPER('%lee%')`` (Django's ``icontains``); with no
index PostgreSQL read every account of every district (0.1 s at 100,000 students). A
trigram GIN index on the same expression answers it (pg_trgm: schools/0006). SQLite, used
for development, scans, which is fine at its sizes.
"""

from django.db import migrations

INDEX = "accounts_user_full_name_upper_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON accounts_user "
        "USING gin ((UPPER(full_name::text)) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0002_team_start_date_set_by_action"),
        ("accounts", "0005_person_by_name_index"),
        ("schools", "0006_student_search_name_trigram_index"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
