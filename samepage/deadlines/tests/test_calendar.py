"""The deadlines read the district's school calendar where service minutes read it, and
a rule that pauses over long breaks counts around the district's own break."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samepage.deadlines import compute, days
from samepage.deadlines.compute import Happening
from samepage.deadlines.rules import EVENTS, load_pack
from samepage.deadlines.selectors import calendar_of
from samepage.minutes import actions as minutes_actions

pytestmark = pytest.mark.django_db


def test_a_two_week_break_on_the_district_calendar_pauses_a_california_count(world: Any) -> None:
    district = world.child.district
    monday = world.today + timedelta(days=14 - world.today.weekday())
    minutes_actions.check_add_closures(
        district,
        actor=world.district_admin,
        first=monday,
        last=monday + timedelta(days=11),
        name="Winter break",
    )
    [stray] = minutes_actions.check_add_closures(
        district, actor=world.district_admin, first=monday + timedelta(days=21), name="Oops"
    )
    minutes_actions.check_archive_closure(stray, actor=world.district_admin)
    pack = load_pack("california")
    cal = calendar_of(district, pack, world.today, world.today + timedelta(days=60))
    assert len(cal.closed) == 10  # the break's weekdays; the archived day is not read
    assert monday + timedelta(days=21) not in cal.closed
    friday_before = monday - timedelta(days=3)
    # The break runs from the Saturday before it to the Sunday after it.
    assert days.count_days(friday_before, 1, days.CALENDAR_DAYS, cal) == monday - timedelta(days=2)
    paused = days.count_days(friday_before, 1, days.CALENDAR_DAYS, cal, breaks_over=5)
    assert paused == monday + timedelta(days=14)
    # School days skip the break; business days do not (no holiday in it here).
    first_school_day = days.count_days(friday_before, 1, days.SCHOOL_DAYS, cal)
    assert first_school_day == monday + timedelta(days=14)
    if not (cal.holidays & {monday + timedelta(days=n) for n in range(12)}):
        assert days.count_days(friday_before, 1, days.BUSINESS_DAYS, cal) == monday


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(),
    closed=st.frozensets(st.dates(), max_size=20),
)
def test_no_rule_of_a_shipped_pack_is_due_before_its_start_unless_it_counts_back(
    start: Any, closed: frozenset[Any]
) -> None:
    cal = days.DistrictCalendar(closed=closed)
    facts = {name: [Happening(day=start, occurrence="x")] for name in EVENTS}
    for pack in (load_pack("federal"), load_pack("california")):
        for deadline in compute.deadlines_of(pack, facts, cal):
            if deadline.rule.counts == days.AFTER and deadline.due_date is not None:
                assert deadline.due_date >= start
            if deadline.rule.counts == days.BEFORE and deadline.due_date is not None:
                assert deadline.due_date <= start
