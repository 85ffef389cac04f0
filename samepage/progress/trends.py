"""Progress-monitoring arithmetic: the aim line, the trend line, the decision rules and
the projection (domain/IDEA_REFERENCE.md §5).

Pure: days and numbers in, answers out, no database. Time is counted in weeks from a
line's origin (the baseline's day), so slopes are "per week" as teachers say them.

- **Aim line:** from (baseline day, baseline) to (target day, target).
- **Trend:** ordinary least squares over the points (Tukey's median line is not used;
  one method, documented here), from ``TREND_NEEDS`` points on two or more days.
- **Four-point rule:** with at least ``four_point_needs`` points, the last
  ``four_point_run`` all on the good side of the aim line: raise the goal; all on the bad
  side: change how it is taught; mixed, or any exactly on the line: continue.
- **Trend rule:** trend slope steeper than the aim's (beyond ``trend_tolerance`` of the
  aim's slope): raise the goal; flatter: change instruction; within it: continue.
- A goal to **decrease** (problem behaviour, latency) is the same with the sides
  swapped: below the line is the good side.

Thresholds are district settings (``RuleSettings``); the defaults are the common ones.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# Fewer points than this give no trend line (two points are a line, not a trend).
TREND_NEEDS = 3
# A trend that reaches the target only after this long never will, for this plan.
MAX_PROJECTION_DAYS = 366 * 20


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"

    @property
    def sign(self) -> int:
        """+1 when more is better, -1 when less is."""
        return 1 if self is Direction.INCREASE else -1


class Verdict(StrEnum):
    RAISE_GOAL = "raise_goal"
    CHANGE_INSTRUCTION = "change_instruction"
    CONTINUE = "continue"


@dataclass(frozen=True)
class Point:
    day: date
    value: float


@dataclass(frozen=True)
class Line:
    """``start`` on ``origin``, changing by ``slope`` a week."""

    origin: date
    start: float
    slope: float

    def at(self, day: date) -> float:
        return self.start + self.slope * weeks(self.origin, day)


@dataclass(frozen=True)
class RuleSettings:
    """A district's thresholds for the decision rules."""

    four_point_needs: int = 6
    four_point_run: int = 4
    trend_needs: int = 8
    # How far (a share of the aim's slope) the trend may differ and still be "similar".
    trend_tolerance: float = 0.1

    def __post_init__(self) -> None:
        if self.four_point_run < 1 or self.four_point_needs < self.four_point_run:
            raise ValueError("the four-point rule needs at least as many points as its run")
        if self.trend_needs < TREND_NEEDS:
            raise ValueError(f"a trend needs at least {TREND_NEEDS} points")
        if self.trend_tolerance < 0:
            raise ValueError("the trend tolerance cannot be negative")


# The common thresholds, until a district sets its own.
DEFAULT_RULES = RuleSettings()


def weeks(start: date, end: date) -> float:
    return (end - start).days / 7


def in_order(points: Iterable[Point]) -> list[Point]:
    """Oldest first; points of one day keep the order they were given in."""
    return sorted(points, key=lambda p: p.day)


def aim_line(baseline: Point, target: Point) -> Line:
    if target.day <= baseline.day:
        raise ValueError("the target's day must come after the baseline's")
    slope = (target.value - baseline.value) / weeks(baseline.day, target.day)
    return Line(baseline.day, baseline.value, slope)


def ols_trend(points: Sequence[Point], origin: date | None = None) -> Line | None:
    """The least-squares line through ``points`` (x in weeks from ``origin``, by default
    the first point's day), or None with fewer than ``TREND_NEEDS`` points or all on one
    day (no slope can be drawn)."""
    if len(points) < TREND_NEEDS:
        return None
    origin = origin or min(p.day for p in points)
    xs = [weeks(origin, p.day) for p in points]
    ys = [p.value for p in points]
    mean_x = sum(xs) / len(xs)
    mean_y = sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return Line(origin, mean_y - slope * mean_x, slope)


def _side(point: Point, aim: Line, direction: Direction) -> int:
    """+1 on the good side of the aim line, -1 on the bad side, 0 exactly on it."""
    gap = direction.sign * (point.value - aim.at(point.day))
    if abs(gap) < 1e-9:
        return 0
    return 1 if gap > 0 else -1


def four_point_rule(
    points: Sequence[Point],
    aim: Line,
    direction: Direction,
    settings: RuleSettings = DEFAULT_RULES,
) -> Verdict | None:
    """The four-point rule's verdict, or None with too few points to judge."""
    if len(points) < settings.four_point_needs:
        return None
    sides = {_side(p, aim, direction) for p in in_order(points)[-settings.four_point_run :]}
    if sides == {1}:
        return Verdict.RAISE_GOAL
    if sides == {-1}:
        return Verdict.CHANGE_INSTRUCTION
    return Verdict.CONTINUE


def trend_rule(
    points: Sequence[Point],
    aim: Line,
    direction: Direction,
    settings: RuleSettings = DEFAULT_RULES,
) -> Verdict | None:
    """The trend rule's verdict, or None with too few points (or days) for a trend."""
    if len(points) < settings.trend_needs:
        return None
    trend = ols_trend(points, aim.origin)
    if trend is None:
        return None
    wanted = direction.sign * aim.slope
    seen = direction.sign * trend.slope
    band = settings.trend_tolerance * abs(wanted)
    if seen > wanted + band:
        return Verdict.RAISE_GOAL
    if seen < wanted - band:
        return Verdict.CHANGE_INSTRUCTION
    return Verdict.CONTINUE


def meets(value: float, criterion: float, direction: Direction) -> bool:
    return direction.sign * (value - criterion) >= 0


def mastered(
    points: Sequence[Point], criterion: float, consecutive: int, direction: Direction
) -> bool:
    """Whether the last ``consecutive`` points all meet ``criterion`` ("80% in 3
    consecutive sessions")."""
    if consecutive < 1 or len(points) < consecutive:
        return False
    return all(meets(p.value, criterion, direction) for p in in_order(points)[-consecutive:])


def projection(trend: Line, target: float, direction: Direction, today: date) -> date | None:
    """The day the trend reaches ``target`` (``today`` if it already has), or None when it
    never will at this rate (flat, or heading the wrong way)."""
    if meets(trend.at(today), target, direction):
        return today
    if direction.sign * trend.slope <= 0:
        return None
    days = math.ceil((target - trend.start) / trend.slope * 7)  # the first whole day on it
    if days > MAX_PROJECTION_DAYS:
        return None
    return trend.origin + timedelta(days=days)
