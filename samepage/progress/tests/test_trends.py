"""The aim line, the trend and the decision rules against hand-computed cases, at their
edges, and as properties over any data (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samepage.progress.trends import (
    Direction,
    Line,
    Point,
    RuleSettings,
    Verdict,
    aim_line,
    four_point_rule,
    mastered,
    ols_trend,
    projection,
    trend_rule,
)

MONDAY = date(2026, 9, 7)
# Baseline 40 on 7 September, target 64 twelve weeks later: the aim rises 2 a week.
AIM = aim_line(Point(MONDAY, 40), Point(MONDAY + timedelta(weeks=12), 64))


def weekly(*values: float, start: date = MONDAY) -> list[Point]:
    return [Point(start + timedelta(weeks=i), v) for i, v in enumerate(values)]


def test_the_aim_line_runs_from_baseline_to_target():
    assert AIM.slope == pytest.approx(2.0)
    assert AIM.at(MONDAY) == 40
    assert AIM.at(MONDAY + timedelta(weeks=6)) == pytest.approx(52)
    assert AIM.at(MONDAY + timedelta(weeks=12)) == pytest.approx(64)


def test_a_target_before_its_baseline_is_refused():
    with pytest.raises(ValueError, match="after the baseline"):
        aim_line(Point(MONDAY, 40), Point(MONDAY, 64))


def test_the_trend_is_the_least_squares_line_computed_by_hand():
    # x = 0, 1, 2, 3 weeks; y = 10, 12, 13, 17. x̄ = 1.5, ȳ = 13,
    # Σ(x−x̄)(y−ȳ) = 4.5 + 0.5 + 0 + 6 = 11, Σ(x−x̄)² = 5: b = 2.2, a = 13 − 3.3 = 9.7.
    trend = ols_trend(weekly(10, 12, 13, 17))
    assert trend is not None
    assert trend.slope == pytest.approx(2.2)
    assert trend.start == pytest.approx(9.7)


def test_the_trend_counts_weeks_from_the_aims_origin():
    # The same points two weeks after the baseline: the slope is the same, the line's
    # value at the baseline day is two weeks of slope lower.
    trend = ols_trend(weekly(10, 12, 13, 17, start=MONDAY + timedelta(weeks=2)), MONDAY)
    assert trend is not None
    assert trend.slope == pytest.approx(2.2)
    assert trend.start == pytest.approx(9.7 - 4.4)


def test_no_trend_from_two_points_or_from_one_day():
    assert ols_trend(weekly(10, 12)) is None
    same_day = [Point(MONDAY, v) for v in (10, 12, 14)]
    assert ols_trend(same_day) is None


def _above(n: int) -> list[Point]:
    # Every point 3 above the aim line.
    return [
        Point(MONDAY + timedelta(weeks=i), AIM.at(MONDAY + timedelta(weeks=i)) + 3)
        for i in range(n)
    ]


def _below(n: int) -> list[Point]:
    return [Point(p.day, p.value - 6) for p in _above(n)]


def test_four_points_above_the_line_raise_the_goal_and_below_change_instruction():
    assert four_point_rule(_above(6), AIM, Direction.INCREASE) is Verdict.RAISE_GOAL
    assert four_point_rule(_below(6), AIM, Direction.INCREASE) is Verdict.CHANGE_INSTRUCTION


def test_mixed_last_four_continue():
    points = _below(6)
    points[-2] = Point(points[-2].day, points[-2].value + 6)
    assert four_point_rule(points, AIM, Direction.INCREASE) is Verdict.CONTINUE


def test_only_the_last_four_count_whatever_came_before():
    points = _below(2) + _above(6)[2:]
    assert four_point_rule(points, AIM, Direction.INCREASE) is Verdict.RAISE_GOAL


def test_a_point_exactly_on_the_line_is_neither_side():
    points = _above(6)
    last = points[-1]
    points[-1] = Point(last.day, AIM.at(last.day))
    assert four_point_rule(points, AIM, Direction.INCREASE) is Verdict.CONTINUE


def test_the_four_point_rule_waits_for_six_points():
    assert four_point_rule(_below(5), AIM, Direction.INCREASE) is None
    assert four_point_rule(_below(6), AIM, Direction.INCREASE) is not None


def test_points_are_taken_in_date_order_not_entry_order():
    points = _below(6)
    late_good = Point(points[-1].day + timedelta(weeks=1), 999)
    early_bad = Point(MONDAY - timedelta(weeks=1), 0)
    assert four_point_rule([late_good, *points, early_bad], AIM, Direction.INCREASE) is (
        Verdict.CONTINUE
    )


def test_a_goal_to_decrease_swaps_the_sides():
    # Outbursts a week, from 10 down to 2 in 8 weeks: below the line is good.
    aim = aim_line(Point(MONDAY, 10), Point(MONDAY + timedelta(weeks=8), 2))
    fewer = [
        Point(MONDAY + timedelta(weeks=i), aim.at(MONDAY + timedelta(weeks=i)) - 1)
        for i in range(6)
    ]
    assert four_point_rule(fewer, aim, Direction.DECREASE) is Verdict.RAISE_GOAL
    assert four_point_rule(fewer, aim, Direction.INCREASE) is Verdict.CHANGE_INSTRUCTION


def _trend_points(slope: float, n: int = 8) -> list[Point]:
    return [Point(MONDAY + timedelta(weeks=i), 40 + slope * i) for i in range(n)]


def test_the_trend_rule_compares_slopes():
    assert trend_rule(_trend_points(3), AIM, Direction.INCREASE) is Verdict.RAISE_GOAL
    assert trend_rule(_trend_points(1), AIM, Direction.INCREASE) is Verdict.CHANGE_INSTRUCTION
    # Within a tenth of the aim's slope (2 ± 0.2) is "similar".
    assert trend_rule(_trend_points(2.15), AIM, Direction.INCREASE) is Verdict.CONTINUE
    assert trend_rule(_trend_points(1.85), AIM, Direction.INCREASE) is Verdict.CONTINUE
    assert trend_rule(_trend_points(2.25), AIM, Direction.INCREASE) is Verdict.RAISE_GOAL


def test_the_trend_rule_waits_for_its_points_and_takes_the_districts_threshold():
    assert trend_rule(_trend_points(1, n=7), AIM, Direction.INCREASE) is None
    settings = RuleSettings(trend_needs=5, trend_tolerance=0.6)
    assert trend_rule(_trend_points(1, n=5), AIM, Direction.INCREASE, settings) is Verdict.CONTINUE


def test_settings_that_cannot_work_are_refused():
    with pytest.raises(ValueError):
        RuleSettings(four_point_needs=3, four_point_run=4)
    with pytest.raises(ValueError):
        RuleSettings(trend_needs=2)
    with pytest.raises(ValueError):
        RuleSettings(trend_tolerance=-0.1)


def test_mastery_is_the_last_sessions_all_meeting_the_criterion():
    assert mastered(weekly(60, 82, 85, 80), 80, 3, Direction.INCREASE)
    assert not mastered(weekly(85, 70, 90, 95), 80, 3, Direction.INCREASE)
    assert not mastered(weekly(90, 95), 80, 3, Direction.INCREASE)  # too few sessions
    assert mastered(weekly(9, 3, 2, 1), 3, 3, Direction.DECREASE)


def test_the_projection_says_when_the_trend_reaches_the_target_or_never():
    rising = Line(MONDAY, 40, 2)
    assert projection(rising, 64, Direction.INCREASE, MONDAY) == MONDAY + timedelta(weeks=12)
    assert projection(Line(MONDAY, 40, 0), 64, Direction.INCREASE, MONDAY) is None
    assert projection(Line(MONDAY, 40, -1), 64, Direction.INCREASE, MONDAY) is None
    assert projection(Line(MONDAY, 70, 1), 64, Direction.INCREASE, MONDAY) == MONDAY
    # A trend so slow it would take decades is "not at this rate".
    assert projection(Line(MONDAY, 40, 0.0001), 64, Direction.INCREASE, MONDAY) is None
    falling = Line(MONDAY, 10, -1)
    assert projection(falling, 2, Direction.DECREASE, MONDAY) == MONDAY + timedelta(weeks=8)


# Properties over any data.

values = st.floats(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False)
point_lists = st.lists(
    st.builds(Point, st.dates(MONDAY, MONDAY + timedelta(days=400)), values), max_size=20
)
aims = st.builds(Line, st.just(MONDAY), values, st.floats(min_value=-50, max_value=50))
directions = st.sampled_from(list(Direction))
FLIPPED = {
    Verdict.RAISE_GOAL: Verdict.CHANGE_INSTRUCTION,
    Verdict.CHANGE_INSTRUCTION: Verdict.RAISE_GOAL,
    Verdict.CONTINUE: Verdict.CONTINUE,
    None: None,
}
OTHER = {Direction.INCREASE: Direction.DECREASE, Direction.DECREASE: Direction.INCREASE}


@given(point_lists, aims, directions)
def test_no_rule_fires_on_fewer_points_than_it_needs(points, aim, direction):
    settings = RuleSettings()
    if len(points) < settings.four_point_needs:
        assert four_point_rule(points, aim, direction, settings) is None
    if len(points) < settings.trend_needs:
        assert trend_rule(points, aim, direction, settings) is None


@given(point_lists, aims, directions)
def test_turning_the_goals_direction_around_inverts_the_verdict(points, aim, direction):
    for rule in (four_point_rule, trend_rule):
        assert rule(points, aim, OTHER[direction]) is FLIPPED[rule(points, aim, direction)]


@given(point_lists, aims, directions)
def test_a_mirrored_goal_gets_the_same_verdict(points, aim, direction):
    # Negate every value and the aim, and a goal to increase becomes one to decrease.
    mirrored = [Point(p.day, -p.value) for p in points]
    mirror_aim = Line(aim.origin, -aim.start, -aim.slope)
    for rule in (four_point_rule, trend_rule):
        assert rule(mirrored, mirror_aim, OTHER[direction]) is rule(points, aim, direction)
