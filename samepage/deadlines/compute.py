"""From what happened on a student's record to the student's deadlines under a pack.
Pure: the events are read before (``selectors.facts_of``), so this makes no query.

- An *expected* event (consent, the last meeting, a birthday) that is not on record
  gives the rule's deadline the status "unknown", with no dates: never "fine".
- An occasional event (a period ends, a concern is put off) starts one deadline each
  time it happens, and none when it has not happened.
- A deadline is "met" when the record shows it was (``Happening.met_on``, or ``done``
  without a date: the student already has a plan, so the initial evaluation happened),
  and otherwise "open" with its due date; whether an open one is overdue is a question
  for the reader's today, not stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from samepage.deadlines import days
from samepage.deadlines.rules import Pack, Rule

UNKNOWN, OPEN, MET = "unknown", "open", "met"


@dataclass(frozen=True)
class Happening:
    """One time a starting event happened (or, with ``day`` None, that it is expected
    but not on record)."""

    day: date | None = None
    occurrence: str = ""
    met_on: date | None = None
    # Met, without a date to show (the record shows it happened, not when).
    done: bool = False
    about: str = ""


@dataclass(frozen=True)
class Computed:
    rule: Rule
    occurrence: str
    start_date: date | None
    due_date: date | None
    met_on: date | None
    status: str
    about: str = ""


Facts = Mapping[str, Sequence[Happening]]


def _one(rule: Rule, happening: Happening, cal: days.DistrictCalendar) -> Computed:
    due = None
    if happening.day is not None:
        try:
            due = days.count_days(
                happening.day,
                rule.length,
                rule.unit,
                cal,
                direction=rule.counts,
                breaks_over=rule.breaks_over,
            )
        except (days.NoDayToCount, OverflowError, ValueError):
            # Every day paused, or past the calendar's last year: no date to give.
            due = None
    if happening.done or happening.met_on is not None:
        status = MET
    elif due is None:
        status = UNKNOWN
    else:
        status = OPEN
    start = happening.day if status != UNKNOWN else None
    return Computed(
        rule=rule,
        occurrence=happening.occurrence,
        start_date=start,
        due_date=due if status != UNKNOWN else None,
        met_on=happening.met_on,
        status=status,
        about=happening.about,
    )


def deadlines_of(pack: Pack, facts: Facts, cal: days.DistrictCalendar) -> list[Computed]:
    """Every deadline the pack's rules give for these facts."""
    found: list[Computed] = []
    for rule in pack.rules:
        happenings = list(facts.get(rule.start, ()))
        if not happenings and rule.event.expected:
            happenings = [Happening()]
        found.extend(_one(rule, h, cal) for h in happenings)
    return found
