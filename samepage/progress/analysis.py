"""What a goal's data says, in numbers and in plain words.

``analyse`` turns a measurement, its points and its phase changes (already read: this
module makes no query) into the trends module's lines and verdicts: the aim line, the
trend, the four-point and trend rules' verdicts, mastery and the projection. ``alerts``
says each verdict that calls for the team as a family reads it ("The last 4 scores were
below the line to the goal..."), in the active language; ``chart_of`` draws it.

Only the school's standing points count (``DataPoint.counts``); the family's home
observations are drawn as their own series and never move a verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samepage.progress.chart import Chart, Phase
from samepage.progress.models import DataPoint, GoalMeasurement, PhaseChange, Series
from samepage.progress.trends import (
    DEFAULT_RULES,
    Direction,
    Line,
    Point,
    RuleSettings,
    Verdict,
    aim_line,
    four_point_rule,
    in_order,
    mastered,
    ols_trend,
    projection,
    trend_rule,
)


@dataclass(frozen=True)
class Alert:
    """A rule that fired: which, its verdict, and what it means in plain words."""

    rule: str  # "four_point", "trend" or "mastery"
    verdict: Verdict | None
    text: str
    # The scores fell below the line to the goal (the rules' words say which side).
    below: bool = False


@dataclass(frozen=True)
class Analysis:
    measurement: GoalMeasurement
    direction: Direction | None
    school: list[Point]
    home: list[Point]
    phases: list[Phase] = field(default_factory=list)
    baseline: Point | None = None
    target: Point | None = None
    aim: Line | None = None
    trend: Line | None = None
    four_point: Verdict | None = None
    trend_verdict: Verdict | None = None
    mastered: bool = False
    # The day the trend reaches the target; None with a trend: "not at this rate".
    projected: date | None = None
    settings: RuleSettings = DEFAULT_RULES

    @property
    def can_project(self) -> bool:
        return self.trend is not None and self.target is not None and self.direction is not None


def _point(day: date | None, value: Any) -> Point | None:
    if day is None or value is None:
        return None
    return Point(day, float(value))


def analyse(
    measurement: GoalMeasurement,
    points: Iterable[DataPoint],
    phases: Iterable[PhaseChange] = (),
    *,
    today: date,
    settings: RuleSettings = DEFAULT_RULES,
) -> Analysis:
    """The goal's lines and verdicts from what was read (``today``: the district's)."""
    school = in_order(Point(p.day, float(p.value)) for p in points if p.counts)
    home = in_order(
        Point(p.day, float(p.value)) for p in points if p.series == Series.HOME and not p.is_void
    )
    direction = Direction(measurement.direction) if measurement.direction else None
    baseline = _point(measurement.baseline_date, measurement.baseline_value)
    target = _point(measurement.target_date, measurement.target_value)
    aim = aim_line(baseline, target) if baseline and target and target.day > baseline.day else None
    trend = ols_trend(school, aim.origin if aim else None)
    four_point = trend_verdict = None
    if aim is not None and direction is not None:
        four_point = four_point_rule(school, aim, direction, settings)
        trend_verdict = trend_rule(school, aim, direction, settings)
    done = False
    if (
        direction is not None
        and measurement.mastery_value is not None
        and measurement.mastery_sessions
    ):
        criterion = float(measurement.mastery_value)
        done = mastered(school, criterion, measurement.mastery_sessions, direction)
    projected = None
    if trend is not None and target is not None and direction is not None:
        projected = projection(trend, target.value, direction, today)
    return Analysis(
        measurement=measurement,
        direction=direction,
        school=school,
        home=home,
        phases=[Phase(p.day, p.change) for p in sorted(phases, key=lambda p: p.day)],
        baseline=baseline,
        target=target,
        aim=aim,
        trend=trend,
        four_point=four_point,
        trend_verdict=trend_verdict,
        mastered=done,
        projected=projected,
        settings=settings,
    )


def four_point_words(verdict: Verdict, below: bool, run: int) -> str:
    """Whole sentences, so each language words each case its own way."""
    if verdict is Verdict.CHANGE_INSTRUCTION and below:
        return ngettext(
            "The last score was below the line to the goal. The team should talk about "
            "changing how this is taught.",
            "The last %(run)s scores were below the line to the goal. The team should "
            "talk about changing how this is taught.",
            run,
        ) % {"run": run}
    if verdict is Verdict.CHANGE_INSTRUCTION:
        return ngettext(
            "The last score was above the line to the goal. The team should talk about "
            "changing how this is taught.",
            "The last %(run)s scores were above the line to the goal. The team should "
            "talk about changing how this is taught.",
            run,
        ) % {"run": run}
    if below:
        return ngettext(
            "The last score was below the line to the goal. The team may talk about "
            "raising the goal.",
            "The last %(run)s scores were below the line to the goal. The team may talk "
            "about raising the goal.",
            run,
        ) % {"run": run}
    return ngettext(
        "The last score was above the line to the goal. The team may talk about raising the goal.",
        "The last %(run)s scores were above the line to the goal. The team may talk "
        "about raising the goal.",
        run,
    ) % {"run": run}


def advice_words(
    rule: str, verdict: Verdict | None, *, below: bool, run: int, sessions: int
) -> str:
    """What a fired rule means, in plain words in the active language: the one wording
    the page, the alert and the report share."""
    if rule == "mastery":
        return ngettext(
            "The level that counts as met was reached in the last session.",
            "The level that counts as met was reached in %(n)s sessions in a row.",
            sessions,
        ) % {"n": sessions}
    if rule == "trend":
        if verdict is Verdict.CHANGE_INSTRUCTION:
            return _(
                "Progress is slower than the line to the goal. The team should talk "
                "about changing how this is taught."
            )
        return _(
            "Progress is faster than the line to the goal. The team may talk about "
            "raising the goal."
        )
    assert verdict is not None
    return four_point_words(verdict, below, run)


def _below(analysis: Analysis, verdict: Verdict) -> bool:
    # Below the line is the bad side of a goal to increase, the good side of one to
    # decrease (fewer outbursts than planned).
    bad = verdict is Verdict.CHANGE_INSTRUCTION
    return bad == (analysis.direction is not Direction.DECREASE)


def alerts(analysis: Analysis) -> list[Alert]:
    """Each rule that calls for the team, in plain words in the active language; nothing
    when the data says to go on as planned or is too little to judge."""
    found: list[Alert] = []
    sessions = analysis.measurement.mastery_sessions or 0
    run = analysis.settings.four_point_run
    for rule, verdict in (("four_point", analysis.four_point), ("trend", analysis.trend_verdict)):
        if verdict is Verdict.CHANGE_INSTRUCTION or verdict is Verdict.RAISE_GOAL:
            below = _below(analysis, verdict)
            words = advice_words(rule, verdict, below=below, run=run, sessions=sessions)
            found.append(Alert(rule, verdict, words, below=below))
    if analysis.mastered:
        words = advice_words("mastery", None, below=False, run=run, sessions=sessions)
        found.append(Alert("mastery", None, words))
    return found


def projection_words(analysis: Analysis) -> str:
    """When, at the current rate, the target would be reached, or that it would not; empty
    when there is no trend or target to tell from."""
    if not analysis.can_project:
        return ""
    if analysis.projected is None:
        return _("At this rate the goal would not be reached.")
    return _("At this rate the goal would be reached on %(day)s.") % {
        "day": date_format(analysis.projected, "DATE_FORMAT")
    }


def chart_of(analysis: Analysis, title: str) -> Chart:
    m = analysis.measurement
    return Chart(
        title=title,
        unit=m.unit or (m.get_kind_display() if m.kind else ""),
        points=analysis.school,
        home=analysis.home,
        baseline=analysis.baseline,
        target=analysis.target,
        aim=analysis.aim,
        trend=analysis.trend,
        phases=analysis.phases,
    )
