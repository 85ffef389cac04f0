"""A goal's data read as verdicts and plain words: only the school's standing points
count, home observations are drawn apart, and each rule that fires says what it means
in the reader's language."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone, translation

from samepage.progress.analysis import alerts, analyse, chart_of, projection_words
from samepage.progress.models import DataPoint, GoalMeasurement, PhaseChange, Series
from samepage.progress.trends import RuleSettings, Verdict

MONDAY = date(2026, 9, 7)
TODAY = MONDAY + timedelta(weeks=8)


def _measurement(**changes) -> GoalMeasurement:
    fields = {
        "kind": "rate",
        "unit": "wcpm",
        "direction": "increase",
        "baseline_value": Decimal(40),
        "baseline_date": MONDAY,
        # Twelve weeks to 64: the line to the goal rises 2 a week.
        "target_value": Decimal(64),
        "target_date": MONDAY + timedelta(weeks=12),
        "mastery_value": Decimal(64),
        "mastery_sessions": 3,
    }
    fields.update(changes)
    return GoalMeasurement(**fields)


def _points(*gaps: float, series: str = Series.SCHOOL, start: float = 40) -> list[DataPoint]:
    """One point a week, ``gap`` above (or below) the line to the goal."""
    return [
        DataPoint(
            day=MONDAY + timedelta(weeks=i), value=Decimal(start + 2 * i + gap), series=series
        )
        for i, gap in enumerate(gaps)
    ]


def test_four_scores_below_the_line_tell_the_family_in_plain_words():
    found = alerts(analyse(_measurement(), _points(1, 1, -2, -2, -2, -2), today=TODAY))
    assert [(a.rule, a.verdict) for a in found] == [("four_point", Verdict.CHANGE_INSTRUCTION)]
    assert found[0].text == (
        "The last 4 scores were below the line to the goal. The team should talk about "
        "changing how this is taught."
    )
    with translation.override("es"):
        [spanish] = alerts(analyse(_measurement(), _points(1, 1, -2, -2, -2, -2), today=TODAY))
    assert spanish.text.startswith("Las últimas 4 puntuaciones estuvieron por debajo de la línea")


def test_a_goal_to_decrease_reads_above_the_line_as_the_bad_side():
    # Outbursts a week, from 10 down to 2: more than planned is above the line.
    m = _measurement(
        kind="frequency",
        unit="outbursts",
        direction="decrease",
        baseline_value=Decimal(10),
        target_value=Decimal(2),
        target_date=MONDAY + timedelta(weeks=8),
        mastery_value=None,
        mastery_sessions=None,
    )
    points = [
        DataPoint(day=MONDAY + timedelta(weeks=i), value=Decimal(11 - i), series=Series.SCHOOL)
        for i in range(6)
    ]
    [alert] = alerts(analyse(m, points, today=TODAY))
    assert alert.verdict is Verdict.CHANGE_INSTRUCTION
    assert "were above the line to the goal" in alert.text


def test_home_observations_and_voided_points_never_move_a_verdict():
    school = _points(3, 3, 3, 3, 3)  # five: one short of the four-point rule
    home = _points(-9, -9, -9, -9, -9, -9, series=Series.HOME)
    voided = _points(-5)[0]
    voided.day = MONDAY + timedelta(weeks=5)
    voided.voided_at = timezone.now()
    analysis = analyse(_measurement(), [*school, *home, voided], today=TODAY)
    assert analysis.four_point is None
    assert len(analysis.school) == 5 and len(analysis.home) == 6
    assert alerts(analysis) == []


def test_scores_above_the_line_suggest_raising_the_goal_and_mastery_is_said():
    analysis = analyse(
        _measurement(mastery_value=Decimal(45)), _points(4, 4, 4, 4, 4, 4), today=TODAY
    )
    rules = {a.rule: a for a in alerts(analysis)}
    assert rules["four_point"].verdict is Verdict.RAISE_GOAL
    assert "may talk about raising the goal" in rules["four_point"].text
    assert rules["mastery"].text == (
        "The level that counts as met was reached in 3 sessions in a row."
    )


def test_the_trend_rule_speaks_once_it_has_the_districts_points():
    slow = [
        DataPoint(day=MONDAY + timedelta(weeks=i), value=Decimal(40 + i), series=Series.SCHOOL)
        for i in range(8)
    ]
    rules = {a.rule: a for a in alerts(analyse(_measurement(), slow, today=TODAY))}
    assert rules["trend"].text.startswith("Progress is slower than the line to the goal.")
    assert analyse(_measurement(), slow[:7], today=TODAY).trend_verdict is None
    district = RuleSettings(trend_needs=5)
    assert analyse(_measurement(), slow[:5], today=TODAY, settings=district).trend_verdict is (
        Verdict.CHANGE_INSTRUCTION
    )


def test_the_projection_in_words():
    on_track = analyse(_measurement(), _points(0, 0, 0, 0), today=TODAY)
    assert projection_words(on_track) == "At this rate the goal would be reached on Nov. 30, 2026."
    flat = [
        DataPoint(day=MONDAY + timedelta(weeks=i), value=Decimal(40), series=Series.SCHOOL)
        for i in range(4)
    ]
    assert projection_words(analyse(_measurement(), flat, today=TODAY)) == (
        "At this rate the goal would not be reached."
    )
    assert projection_words(analyse(_measurement(), _points(0, 0), today=TODAY)) == ""


def test_a_measurement_not_yet_set_gives_no_verdict_and_no_error():
    m = _measurement(direction="", target_value=None, target_date=None, mastery_value=None)
    analysis = analyse(m, _points(1, -1, 1, -1, 1, -1), today=TODAY)
    assert analysis.aim is None and analysis.four_point is None
    assert alerts(analysis) == []


def test_the_chart_draws_what_was_analysed_with_its_phase_lines():
    change = PhaseChange(day=MONDAY + timedelta(weeks=2), change="Small-group reading added")
    analysis = analyse(_measurement(), _points(0, 1, 2, 1), [change], today=TODAY)
    chart = chart_of(analysis, "Reading fluency")
    assert chart.points == analysis.school
    assert chart.aim == analysis.aim and chart.trend == analysis.trend
    assert [p.what for p in chart.phases] == ["Small-group reading added"]
    assert chart.unit == "wcpm"
