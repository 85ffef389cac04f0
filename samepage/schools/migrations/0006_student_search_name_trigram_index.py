"""An index that serves "a word of the name starts with ..." on PostgreSQL.

The search asks ``search_name LIKE '% sofi%'``; a B-tree cannot answer a pattern that
starts with a wildcard, a trigram GIN index can (pg_trgm ships with PostgreSQL and is a
trusted extension from version 13, so the database owner may create it). SQLite, used
for development, has no such index and scans, which is fine at its sizes.
"""

from django.db import migrations

INDEX = "schools_student_search_name_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON schools_student "
        "USING gin (search_name gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("schools", "0005_fill_student_search_name")]

    operations = [migrations.RunPython(create_index, drop_index)]
