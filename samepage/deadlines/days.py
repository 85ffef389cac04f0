"""Counting days for deadlines: calendar, school and business days, with pauses.
Pure functions: the district's calendar is read before (``selectors.calendar_of``), so
every rule is tested against dates worked out by hand.

The words, as 34 CFR 300.11 defines them (IDEA_REFERENCE.md §3):

- **Calendar day** ("day" unless a rule says otherwise): every day.
- **School day**: a day children attend school: Monday to Friday, except the district's
  non-school days (``minutes.NonSchoolDay``: holidays, breaks, in-service days).
- **Business day**: Monday to Friday, except federal and state holidays. The district
  office is open during a school break, so a break or an in-service day on the district's
  calendar does *not* stop the count; a holiday does. ``NonSchoolDay`` does not say which
  of its days are holidays, so the holidays are the federal ones (worked out here, with
  the Saturday-to-Friday and Sunday-to-Monday observed dates) and the state's fixed-date
  ones its rule pack names (``holidays = ["03-31"]``).
- **Years**: the same date N years on (or before); February 29 falls on February 28 in a
  year without one.

The count starts the day *after* the starting event: a consent received on Monday with
"10 school days" is due on the tenth school day after Monday. A length of 0 is the
event's own day.

A **pause** stops the clock: a day inside one (both ends included) is not counted, of
any day type. A rule may also pause over **long breaks** (California counts 60 days
"not counting days between regular school sessions or terms, or days of school vacation
in excess of five school days", Ed. Code 56344): a break is a run of days without school
(the district's non-school weekdays and the weekends around and between them), and one
with more than ``breaks_over`` non-school weekdays pauses the count from its first day
to its last.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

CALENDAR_DAYS = "calendar_days"
SCHOOL_DAYS = "school_days"
BUSINESS_DAYS = "business_days"
YEARS = "years"
UNITS = (CALENDAR_DAYS, SCHOOL_DAYS, BUSINESS_DAYS, YEARS)

AFTER, BEFORE = "after", "before"

# Longer than any rule needs (three years of days): a count that runs past it has a
# calendar with no day to count (every day paused) and stops instead of looping.
MAX_STEPS = 366 * 12


class NoDayToCount(ValueError):
    """The calendar never reaches the day: every day from the start on is paused."""


@dataclass(frozen=True)
class Pause:
    """A range of days (both included) during which the clock stops."""

    first: date
    last: date

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` (0 = Monday) of the month; ``n = -1``: the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    following = date(year + (month == 12), month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    """A fixed-date holiday on a Saturday is observed on Friday, on a Sunday on Monday."""
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def federal_holidays(year: int) -> frozenset[date]:
    """The federal holidays observed in ``year`` (5 U.S.C. 6103)."""
    fixed = [(1, 1), (6, 19), (7, 4), (11, 11), (12, 25)]
    days = {_observed(date(year, month, day)) for month, day in fixed}
    days |= {
        _nth_weekday(year, 1, 0, 3),  # Birthday of Martin Luther King, Jr.
        _nth_weekday(year, 2, 0, 3),  # Washington's Birthday
        _nth_weekday(year, 5, 0, -1),  # Memorial Day
        _nth_weekday(year, 9, 0, 1),  # Labor Day
        _nth_weekday(year, 10, 0, 2),  # Columbus Day
        _nth_weekday(year, 11, 3, 4),  # Thanksgiving Day
    }
    # New Year's Day of the next year, observed on this year's December 31.
    if date(year + 1, 1, 1).weekday() == 5:
        days.add(date(year, 12, 31))
    return frozenset(days)


def holidays_between(
    first: date, last: date, state_days: Iterable[tuple[int, int]] = ()
) -> frozenset[date]:
    """Federal holidays and the state's fixed-date ones (month, day) from ``first`` to
    ``last``, observed dates."""
    found: set[date] = set()
    for year in range(first.year, last.year + 1):
        found |= federal_holidays(year)
        found |= {_observed(date(year, month, day)) for month, day in state_days}
    return frozenset(d for d in found if first <= d <= last)


@dataclass(frozen=True)
class DistrictCalendar:
    """The district's non-school weekdays, and the holidays business days skip."""

    closed: frozenset[date] = frozenset()
    holidays: frozenset[date] = frozenset()
    pauses: tuple[Pause, ...] = field(default=())

    def is_school_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.closed

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def is_paused(self, day: date) -> bool:
        return any(p.covers(day) for p in self.pauses)

    @cached_property
    def _breaks(self) -> tuple[tuple[date, date, int], ...]:
        """Each run of days without school that holds a closed weekday: (first, last,
        how many weekdays of it are closed)."""
        runs: list[tuple[date, date, int]] = []
        for day in sorted(d for d in self.closed if d.weekday() < 5):
            if runs and runs[-1][1] >= day - timedelta(days=1):
                first, _last, count = runs[-1]
                runs[-1] = (first, day, count + 1)
                continue
            runs.append((day, day, 1))
        grown = []
        for first, last, count in runs:
            # The weekends around a break belong to it (no school between its days).
            while not self.is_school_day(first - timedelta(days=1)) and (
                (first - timedelta(days=1)).weekday() >= 5
            ):
                first -= timedelta(days=1)
            while not self.is_school_day(last + timedelta(days=1)) and (
                (last + timedelta(days=1)).weekday() >= 5
            ):
                last += timedelta(days=1)
            grown.append((first, last, count))
        # Two runs that touch after growing (only a weekend between) are one break.
        merged: list[tuple[date, date, int]] = []
        for first, last, count in grown:
            if merged and merged[-1][1] >= first - timedelta(days=1):
                m_first, m_last, m_count = merged[-1]
                merged[-1] = (m_first, max(m_last, last), m_count + count)
            else:
                merged.append((first, last, count))
        return tuple(merged)

    def long_breaks(self, breaks_over: int) -> tuple[Pause, ...]:
        """The breaks with more than ``breaks_over`` non-school weekdays."""
        return tuple(Pause(f, last) for f, last, count in self._breaks if count > breaks_over)


def _counts(day: date, unit: str, cal: DistrictCalendar, extra: tuple[Pause, ...]) -> bool:
    if cal.is_paused(day) or any(p.covers(day) for p in extra):
        return False
    if unit == SCHOOL_DAYS:
        return cal.is_school_day(day)
    if unit == BUSINESS_DAYS:
        return cal.is_business_day(day)
    return True


def shift_years(day: date, years: int) -> date:
    """The same date ``years`` on (negative: before); February 29 becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def count_days(
    start: date,
    length: int,
    unit: str,
    cal: DistrictCalendar | None = None,
    *,
    direction: str = AFTER,
    breaks_over: int | None = None,
) -> date:
    """The day ``length`` ``unit``\\s after (or before) ``start``."""
    if length < 0:
        raise ValueError("length must not be negative")
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}")
    step = 1 if direction == AFTER else -1
    if unit == YEARS:
        return shift_years(start, step * length)
    cal = cal or DistrictCalendar()
    extra = cal.long_breaks(breaks_over) if breaks_over is not None else ()
    day, counted, steps = start, 0, 0
    while counted < length:
        day += timedelta(days=step)
        steps += 1
        if steps > MAX_STEPS:
            raise NoDayToCount(start)
        if _counts(day, unit, cal, extra):
            counted += 1
    return day
