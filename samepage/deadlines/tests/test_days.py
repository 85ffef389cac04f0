"""The day arithmetic against dates worked out by hand, and its properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samepage.deadlines.days import (
    BEFORE,
    BUSINESS_DAYS,
    CALENDAR_DAYS,
    SCHOOL_DAYS,
    YEARS,
    DistrictCalendar,
    NoDayToCount,
    Pause,
    count_days,
    federal_holidays,
    holidays_between,
)

THANKSGIVING_BREAK = frozenset({date(2026, 11, 26), date(2026, 11, 27)})
WINTER_BREAK = frozenset(date(2026, 12, 21) + timedelta(days=n) for n in range(12)) - {
    date(2026, 12, 26),
    date(2026, 12, 27),
}


def test_school_days_skip_a_holiday_and_the_weekend_after_it() -> None:
    cal = DistrictCalendar(closed=THANKSGIVING_BREAK)
    # Wed Nov 25: Thu and Fri closed, the weekend, then Mon 30 (1), Tue 1 (2), Wed 2 (3).
    assert count_days(date(2026, 11, 25), 3, SCHOOL_DAYS, cal) == date(2026, 12, 2)


def test_business_days_skip_the_holiday_but_not_the_day_after_it() -> None:
    holidays = holidays_between(date(2026, 11, 1), date(2026, 12, 31))
    cal = DistrictCalendar(closed=THANKSGIVING_BREAK, holidays=holidays)
    # Thanksgiving (Thu 26) is a holiday; Friday 27 is only a day without school.
    assert count_days(date(2026, 11, 25), 3, BUSINESS_DAYS, cal) == date(2026, 12, 1)


def test_calendar_days_count_weekends_and_holidays() -> None:
    cal = DistrictCalendar(closed=THANKSGIVING_BREAK)
    assert count_days(date(2026, 11, 25), 7, CALENDAR_DAYS, cal) == date(2026, 12, 2)


def test_sixty_days_cross_a_leap_february() -> None:
    assert count_days(date(2028, 1, 1), 60, CALENDAR_DAYS) == date(2028, 3, 1)
    assert count_days(date(2027, 1, 1), 60, CALENDAR_DAYS) == date(2027, 3, 2)
    assert count_days(date(2028, 2, 28), 1, CALENDAR_DAYS) == date(2028, 2, 29)


def test_a_year_after_february_29_is_february_28() -> None:
    assert count_days(date(2028, 2, 29), 1, YEARS) == date(2029, 2, 28)
    assert count_days(date(2028, 2, 29), 4, YEARS) == date(2032, 2, 29)
    assert count_days(date(2029, 3, 1), 1, YEARS, direction=BEFORE) == date(2028, 3, 1)


def test_a_pause_stops_the_clock_for_its_days() -> None:
    assert count_days(date(2026, 3, 2), 10, CALENDAR_DAYS) == date(2026, 3, 12)
    cal = DistrictCalendar(pauses=(Pause(date(2026, 3, 5), date(2026, 3, 8)),))
    assert count_days(date(2026, 3, 2), 10, CALENDAR_DAYS, cal) == date(2026, 3, 16)


def test_a_pause_stops_school_days_too() -> None:
    # Mon Mar 2; paused Tue 3 to Thu 5; then Fri 6 (1), Mon 9 (2).
    cal = DistrictCalendar(pauses=(Pause(date(2026, 3, 3), date(2026, 3, 5)),))
    assert count_days(date(2026, 3, 2), 2, SCHOOL_DAYS, cal) == date(2026, 3, 9)


def test_a_break_over_five_school_days_pauses_the_count_with_its_weekends() -> None:
    cal = DistrictCalendar(closed=THANKSGIVING_BREAK | WINTER_BREAK)
    # Dec 1 + 60 days = Jan 30; the winter break runs Sat Dec 19 to Sun Jan 3 (16 days);
    # the two-day Thanksgiving break is not long enough to pause.
    assert count_days(date(2026, 12, 1), 60, CALENDAR_DAYS, cal) == date(2027, 1, 30)
    assert count_days(date(2026, 12, 1), 60, CALENDAR_DAYS, cal, breaks_over=5) == date(2027, 2, 15)
    assert cal.long_breaks(5) == (Pause(date(2026, 12, 19), date(2027, 1, 3)),)


def test_length_zero_is_the_event_day() -> None:
    assert count_days(date(2026, 11, 26), 0, SCHOOL_DAYS) == date(2026, 11, 26)


def test_federal_holidays_fall_on_their_observed_days() -> None:
    days = federal_holidays(2026)
    assert date(2026, 7, 3) in days  # July 4 is a Saturday
    assert date(2026, 1, 19) in days  # MLK Day, third Monday
    assert date(2026, 5, 25) in days  # Memorial Day, last Monday
    assert date(2026, 11, 26) in days  # Thanksgiving
    assert date(2026, 11, 27) not in days
    assert date(2027, 12, 31) in federal_holidays(2027)  # Jan 1 2028 is a Saturday


def test_a_calendar_with_every_day_paused_is_refused_not_looped() -> None:
    cal = DistrictCalendar(pauses=(Pause(date(2026, 1, 1), date(2099, 1, 1)),))
    with pytest.raises(NoDayToCount):
        count_days(date(2026, 1, 1), 1, CALENDAR_DAYS, cal)


days_2026 = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))
units = st.sampled_from([CALENDAR_DAYS, SCHOOL_DAYS, BUSINESS_DAYS, YEARS])


@given(
    start=days_2026,
    length=st.integers(min_value=0, max_value=90),
    unit=units,
    closed=st.frozensets(days_2026, max_size=40),
    breaks=st.one_of(st.none(), st.integers(min_value=0, max_value=6)),
)
def test_a_deadline_never_precedes_its_start_event(
    start: date, length: int, unit: str, closed: frozenset[date], breaks: int | None
) -> None:
    cal = DistrictCalendar(closed=closed, holidays=closed)
    assert count_days(start, length, unit, cal, breaks_over=breaks) >= start


@given(
    start=days_2026,
    length=st.integers(min_value=0, max_value=90),
    closed=st.frozensets(days_2026, max_size=40),
    added=days_2026,
    breaks=st.one_of(st.none(), st.integers(min_value=0, max_value=6)),
)
def test_another_non_school_day_never_makes_a_school_day_deadline_earlier(
    start: date, length: int, closed: frozenset[date], added: date, breaks: int | None
) -> None:
    before = count_days(start, length, SCHOOL_DAYS, DistrictCalendar(closed=closed))
    after = count_days(start, length, SCHOOL_DAYS, DistrictCalendar(closed=closed | {added}))
    assert after >= before
    # The same holds for a calendar-day rule that pauses over long breaks.
    long_before = count_days(
        start, length, CALENDAR_DAYS, DistrictCalendar(closed=closed), breaks_over=breaks
    )
    long_after = count_days(
        start, length, CALENDAR_DAYS, DistrictCalendar(closed=closed | {added}), breaks_over=breaks
    )
    assert long_after >= long_before
