"""Decision-rule alerts: worked out again after every change to a goal's data, stored
while they hold, and told to the team and the family once when they fire.

``refresh_alerts`` runs inside the write that changed what the rules read (a school
point recorded, voided or corrected; how the goal is measured). It reads the goal's
points once, asks ``analysis`` which rules call for the team, opens an alert for each
rule that newly fires and clears those that no longer do. Each new kind of advice
publishes an event (``EVENT_OF``): the notifications app makes one notice per person
who may see the child's progress, the person who entered the data aside, each read in
their own language. The same data twice opens nothing twice (one open alert per goal
and rule, held by a unique constraint). Alerts keep no audit rows of their own: each
follows from a write that did (the point, the void, the measurement), and the rows
say when and on whose entry they fired and cleared.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from samepage.core.dates import district_today
from samepage.core.events import Event, publish
from samepage.progress import analysis, chart
from samepage.progress.models import (
    AlertAdvice,
    AlertRule,
    DataPoint,
    GoalMeasurement,
    PhaseChange,
    ProgressAlert,
    ProgressSettings,
)
from samepage.progress.selectors import goal_label
from samepage.progress.trends import DEFAULT_RULES, RuleSettings, Verdict
from samepage.schools.models import District, Student
from samepage.teams.permissions import Part

_ADVICE = {
    Verdict.CHANGE_INSTRUCTION: AlertAdvice.CHANGE_INSTRUCTION,
    Verdict.RAISE_GOAL: AlertAdvice.RAISE_GOAL,
}

# The notice each kind of advice sends (notifications/kinds.py words each one).
EVENT_OF = {
    AlertAdvice.CHANGE_INSTRUCTION: "progress.alert_change",
    AlertAdvice.RAISE_GOAL: "progress.alert_raise",
    AlertAdvice.MET: "progress.goal_met",
}


def rules_for(district: District | int) -> RuleSettings:
    """The district's thresholds for the decision rules (the common ones until it sets
    its own)."""
    district_id = district if isinstance(district, int) else district.pk
    row = ProgressSettings.objects.filter(district_id=district_id).first()
    if row is None:
        return DEFAULT_RULES
    return RuleSettings(
        four_point_needs=row.four_point_needs,
        four_point_run=row.four_point_run,
        trend_needs=row.trend_needs,
        trend_tolerance=float(row.trend_tolerance),
    )


def analyse_goal(
    measurement: GoalMeasurement,
    student: Student,
    *,
    today: date | None = None,
    phases: list[PhaseChange] | None = None,
) -> analysis.Analysis:
    """Read a goal's standing points since its baseline and its phase lines (unless
    given) and say what they show."""
    rows = DataPoint.objects.standing().filter(measurement=measurement)
    if measurement.baseline_date is not None:
        # The line to the goal starts at the baseline: what came before it was measured
        # against another aim (an earlier year's goal), and stays in the entries.
        rows = rows.filter(day__gte=measurement.baseline_date)
    points = list(rows.only("day", "value", "series", "voided_at"))
    if phases is None:
        phases = list(PhaseChange.objects.filter(measurement=measurement))
    return analysis.analyse(
        measurement,
        points,
        phases,
        today=today or district_today(student.district),
        settings=rules_for(student.district_id),
    )


def _wanted(found: analysis.Analysis) -> dict[str, dict[str, Any]]:
    """Each rule that calls for the team now, with what the alert row keeps."""
    wanted: dict[str, dict[str, Any]] = {}
    for alert in analysis.alerts(found):
        if alert.verdict is None:
            wanted[alert.rule] = {"advice": AlertAdvice.MET, "run": 0, "below": False}
            continue
        run = found.settings.four_point_run if alert.rule == AlertRule.FOUR_POINT else 0
        advice = _ADVICE[alert.verdict]
        wanted[alert.rule] = {"advice": advice, "run": run, "below": alert.below}
    return wanted


def refresh_alerts(
    measurement: GoalMeasurement, student: Student, *, actor: Any
) -> list[ProgressAlert]:
    """Open the alerts the goal's data now calls for and clear the rest; the alerts
    opened by this call (each told to the team and the family)."""
    found = analyse_goal(measurement, student)
    wanted = _wanted(found)
    today = district_today(student.district)
    opened = []
    with transaction.atomic():
        standing = {
            a.rule: a
            for a in ProgressAlert.objects.select_for_update().filter(
                measurement=measurement, cleared_at__isnull=True
            )
        }
        open_rules = set()
        for rule, alert in standing.items():
            still = wanted.get(rule)
            if still is None or still["advice"] != alert.advice or still["below"] != alert.below:
                alert.cleared_at = timezone.now()
                alert.save(update_fields=["cleared_at"])
            else:
                open_rules.add(rule)
        # What the team and the family were told and still holds: two rules saying the
        # same thing at once (the last scores and the trend both below the line) are
        # one notice, and a second rule agreeing later tells nobody again.
        told = {standing[rule].advice for rule in open_rules}
        for rule, fields in wanted.items():
            if rule in open_rules:
                continue
            alert = ProgressAlert.objects.create(
                measurement=measurement,
                rule=rule,
                fired_on=today,
                fired_by=actor if getattr(actor, "is_authenticated", False) else None,
                **fields,
            )
            alert.measurement = measurement
            opened.append(alert)
            if alert.advice not in told:
                told.add(alert.advice)
                event = EVENT_OF[AlertAdvice(alert.advice)]
                publish(Event(event, actor, student, Part.PROGRESS, alert))
    return opened


def alert_words(alert: ProgressAlert) -> str:
    """What the alert means, in plain words in the active language."""
    verdict = {v: k for k, v in _ADVICE.items()}.get(AlertAdvice(alert.advice))
    return analysis.advice_words(
        alert.rule,
        verdict,
        below=alert.below,
        run=alert.run,
        sessions=alert.measurement.mastery_sessions or 0,
    )


# Rows of the chart's table an email shows (the newest): the page has them all.
EMAIL_ROWS = 12


def email_details(alert: ProgressAlert) -> dict[str, str]:
    """What an alert's email says beyond its title, in the active language: the rule's
    words and the projection as plain text; the same chart as the page (SVG, drawn for
    mail programs that show it) and a table of the newest scores for those that do not."""
    measurement = alert.measurement
    student = measurement.student
    found = analyse_goal(measurement, student)
    words = " ".join(w for w in (alert_words(alert), analysis.projection_words(found)) if w)
    title = _("Progress on the goal: %(goal)s") % {"goal": goal_label(measurement)}
    drawn = analysis.chart_of(found, title)
    rows = chart.data_table(drawn)[-EMAIL_ROWS:]
    html = render_to_string(
        "progress/_partials/email_chart.html",
        {"svg": chart.render_svg(drawn, name=f"alert-{alert.pk}"), "rows": rows, "chart": drawn},
    )
    return {"text": words, "html": html}
