"""``Plan.review_due``: the annual review date of the version in effect, kept by triggers.

A school leader's home lists the overdue annual reviews of a school; worked out per plan
from its versions, that was a correlated subquery over every plan the leader may see
(seconds at 100,000 students). The triggers copy the newest in-effect version's review
date onto its plan whenever a version is added, changes status or review date, or goes,
in the transaction that made the change, whoever made it. The backfill fills the plans
already there. PostgreSQL gets one function; SQLite (development) the same rule as
three triggers.
"""

from django.db import migrations, models

# The plan's review date, worked out from its versions, for the plan named ``{plan}``.
DUE = """(
    SELECT v.annual_review_due FROM plans_planversion v
    WHERE v.plan_id = {plan} AND v.status = 'in_effect'
    ORDER BY v.number DESC LIMIT 1
)"""


def _refresh(plan):
    return f"UPDATE plans_plan SET review_due = {DUE.format(plan=plan)} WHERE id = {plan};"


CHANGED = (
    "OLD.status IS DISTINCT FROM NEW.status "
    "OR OLD.annual_review_due IS DISTINCT FROM NEW.annual_review_due "
    "OR OLD.plan_id IS DISTINCT FROM NEW.plan_id"
)

POSTGRES = [
    f"""
    CREATE OR REPLACE FUNCTION plans_version_review_due() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN {_refresh("OLD.plan_id")} END IF;
        IF TG_OP <> 'DELETE' THEN {_refresh("NEW.plan_id")} END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER plans_version_review_due_insert_delete AFTER INSERT OR DELETE "
    "ON plans_planversion FOR EACH ROW EXECUTE FUNCTION plans_version_review_due()",
    "CREATE TRIGGER plans_version_review_due_update "
    "AFTER UPDATE OF status, annual_review_due, plan_id ON plans_planversion "
    f"FOR EACH ROW WHEN ({CHANGED}) EXECUTE FUNCTION plans_version_review_due()",
]

SQLITE = [
    "CREATE TRIGGER plans_version_review_due_insert AFTER INSERT ON plans_planversion "
    f"BEGIN {_refresh('NEW.plan_id')} END",
    "CREATE TRIGGER plans_version_review_due_delete AFTER DELETE ON plans_planversion "
    f"BEGIN {_refresh('OLD.plan_id')} END",
    "CREATE TRIGGER plans_version_review_due_update "
    "AFTER UPDATE OF status, annual_review_due, plan_id ON plans_planversion "
    f"WHEN {CHANGED.replace('IS DISTINCT FROM', 'IS NOT')} "
    f"BEGIN {_refresh('OLD.plan_id')} {_refresh('NEW.plan_id')} END",
]

BACKFILL = f"UPDATE plans_plan SET review_due = {DUE.format(plan='plans_plan.id')}"


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"No review-date triggers for {vendor}")
    for statement in statements:
        schema_editor.execute(statement)
    schema_editor.execute(BACKFILL)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS plans_version_review_due() CASCADE")
    else:
        for name in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS plans_version_review_due_{name}")


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_stored_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="review_due",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="annual review due"
            ),
        ),
        migrations.AddIndex(
            model_name="plan",
            index=models.Index(
                condition=models.Q(("ended_at__isnull", True), ("review_due__isnull", False)),
                fields=["review_due"],
                name="plan_open_review_due",
            ),
        ),
        migrations.RunPython(install, uninstall),
    ]
