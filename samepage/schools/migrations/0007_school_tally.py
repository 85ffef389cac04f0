"""Per-school student counts, kept by triggers on the students table.

A district administrator's home shows each school's counts; counting 100,000 students
on every view is a scan. The triggers add a student's row to its school's tally when it
is inserted, take it away when it is deleted, and move it when its school, status or
plan type changes, in the transaction that made the change, whoever made it. The
backfill counts the students already there. SQLite (development) gets the same rules
as three triggers, PostgreSQL as one function.
"""

import django.db.models.deletion
from django.db import migrations, models

COUNTS = "students, active_students, active_iep_students, active_504_students"


# A row's contribution to each count, in the columns' order, for NEW or OLD.
def _parts(row, true_is_one):
    active = f"{row}.status = 'active'"
    one = (lambda cond: f"({cond})::int") if true_is_one else (lambda cond: f"({cond})")
    return [
        "1",
        one(active),
        one(f"{active} AND {row}.plan_type = 'iep'"),
        one(f"{active} AND {row}.plan_type = '504'"),
    ]


def _add(row, pg):
    names = COUNTS.split(", ")
    sets = ", ".join(f"{n} = schools_schooltally.{n} + excluded.{n}" for n in names)
    return (
        f"INSERT INTO schools_schooltally (school_id, {COUNTS}) "
        f"VALUES ({row}.school_id, {', '.join(_parts(row, pg))}) "
        f"ON CONFLICT (school_id) DO UPDATE SET {sets};"
    )


def _subtract(row, pg):
    names = COUNTS.split(", ")
    sets = ", ".join(f"{n} = {n} - {p}" for n, p in zip(names, _parts(row, pg), strict=True))
    return f"UPDATE schools_schooltally SET {sets} WHERE school_id = {row}.school_id;"


CHANGED = (
    "OLD.school_id IS DISTINCT FROM NEW.school_id OR OLD.status IS DISTINCT FROM NEW.status "
    "OR OLD.plan_type IS DISTINCT FROM NEW.plan_type"
)

POSTGRES = [
    f"""
    CREATE OR REPLACE FUNCTION schools_student_tally() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN {_subtract("OLD", True)} END IF;
        IF TG_OP <> 'DELETE' THEN {_add("NEW", True)} END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER schools_student_tally_insert_delete AFTER INSERT OR DELETE "
    "ON schools_student FOR EACH ROW EXECUTE FUNCTION schools_student_tally()",
    "CREATE TRIGGER schools_student_tally_update AFTER UPDATE OF school_id, status, plan_type "
    f"ON schools_student FOR EACH ROW WHEN ({CHANGED}) "
    "EXECUTE FUNCTION schools_student_tally()",
]

SQLITE = [
    "CREATE TRIGGER schools_student_tally_insert AFTER INSERT ON schools_student "
    f"BEGIN {_add('NEW', False)} END",
    "CREATE TRIGGER schools_student_tally_delete AFTER DELETE ON schools_student "
    f"BEGIN {_subtract('OLD', False)} END",
    "CREATE TRIGGER schools_student_tally_update "
    "AFTER UPDATE OF school_id, status, plan_type ON schools_student "
    f"WHEN {CHANGED.replace('IS DISTINCT FROM', 'IS NOT')} "
    f"BEGIN {_subtract('OLD', False)} {_add('NEW', False)} END",
]

BACKFILL = f"""
    INSERT INTO schools_schooltally (school_id, {COUNTS})
    SELECT school_id, COUNT(*),
        SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END),
        SUM(CASE WHEN status = 'active' AND plan_type = 'iep' THEN 1 ELSE 0 END),
        SUM(CASE WHEN status = 'active' AND plan_type = '504' THEN 1 ELSE 0 END)
    FROM schools_student GROUP BY school_id
"""


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"No student tally triggers for {vendor}")
    for statement in statements:
        schema_editor.execute(statement)
    schema_editor.execute(BACKFILL)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS schools_student_tally() CASCADE")
    else:
        for name in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS schools_student_tally_{name}")


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0006_student_search_name_trigram_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="SchoolTally",
            fields=[
                (
                    "school",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="tally",
                        serialize=False,
                        to="schools.school",
                    ),
                ),
                ("students", models.IntegerField(default=0, verbose_name="students")),
                ("active_students", models.IntegerField(default=0, verbose_name="active students")),
                (
                    "active_iep_students",
                    models.IntegerField(default=0, verbose_name="active students with an IEP"),
                ),
                (
                    "active_504_students",
                    models.IntegerField(default=0, verbose_name="active students with a 504 plan"),
                ),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
