"""Give the goals of each plan's newest version a measurement, read from their text.

The baseline, target, mastery criterion and method were free text ("40 wcpm", "8 of 10
trials", "80% in 3 consecutive sessions"). What ``progress/parsing.py`` reads becomes
numbers; anything it cannot read is left empty and the measurement is marked
``needs_review`` with each problem and the text it was about, for the case manager.
Nothing is guessed. The target date is the plan's end (an annual goal is for the
plan's year); the baseline date is left for the team, the text never names it.

Data only, through ``apps.get_model``. It imports one piece of app code on purpose:
the pure parser (no models, no settings) that its own tests cover case by case; a
copy here would be a second, untested parser. If the parser ever changes what it
returns, copy the version of this day in here first.

A goal lineage in several plans (last year's and this year's) gets one measurement,
from the newest plan. Run twice, it makes nothing twice. No audit rows: no person
made these, and the goal's own history says where the numbers came from.
"""

from django.db import migrations

from samepage.progress import parsing


def _reasons(goal, read):
    texts = {
        "baseline": goal.baseline,
        "target": goal.target,
        "mastery_criterion": goal.mastery_criterion,
        "measurement_method": goal.measurement_method,
    }
    return [
        {"field": name, "problem": code, "text": (texts.get(name) or "").strip()[:300]}
        for name, code in read.problems.items()
    ]


def fill(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    PlanVersion = apps.get_model("plans", "PlanVersion")
    Goal = apps.get_model("plans", "Goal")
    GoalMeasurement = apps.get_model("progress", "GoalMeasurement")
    done = set(GoalMeasurement.objects.values_list("student_id", "goal_lineage"))
    for plan in Plan.objects.order_by("-created_at", "-id").iterator(chunk_size=500):
        version = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
        if version is None:
            continue
        batch = []
        for goal in Goal.objects.filter(version=version, removed_at__isnull=True):
            if (plan.student_id, goal.lineage_id) in done:
                continue
            read = parsing.read_goal(
                baseline=goal.baseline,
                target=goal.target,
                mastery_criterion=goal.mastery_criterion,
                measurement_method=goal.measurement_method,
            )
            reasons = _reasons(goal, read)
            batch.append(
                GoalMeasurement(
                    student_id=plan.student_id,
                    goal_lineage=goal.lineage_id,
                    kind=read.kind or "",
                    unit=read.unit,
                    direction=read.direction or "",
                    baseline_value=read.baseline,
                    target_value=read.target,
                    target_date=version.proposed_end,
                    mastery_value=read.mastery_level,
                    mastery_sessions=read.mastery_sessions,
                    needs_review=bool(reasons),
                    review_reasons=reasons,
                )
            )
            done.add((plan.student_id, goal.lineage_id))
        GoalMeasurement.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0001_measurements_points_phase_changes"),
        ("plans", "0003_plan_review_due"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
