"""Service minutes arithmetic: what the plan prescribes for a week or a month, what was
delivered, what is owed, and what that means in plain words. Pure functions: every
input is already read (this module makes no query), so each rule is tested by hand.

The rules, decided once here:

- **School days.** Monday to Friday, except the district's non-school days
  (``NonSchoolDay``). Nothing is prescribed on a weekend or a holiday.
- **Spreading.** A service's minutes per unit (day, week, month) are spread evenly over
  the school days of that unit (a calendar week Monday–Sunday, a calendar month). The
  minutes prescribed for any span of days are the sum of the shares of its school days
  that fall inside the service's own start and end, rounded to whole minutes at the end.
  So:

  - per day: every school day owes the full minutes; a holiday owes none;
  - per week or month with a holiday in it: the full minutes, spread over the school
    days left (the commitment is per week, and a holiday does not shrink it);
  - a week or month with no school day at all (a break) owes nothing;
  - a partial week or month at the service's start or end owes the share of its school
    days inside the service (60 minutes a week, starting on a Thursday of a five-day
    week: 24 minutes that week).

- **Delivered** is every delivered session, make-ups included: minutes the child got.
- **Owed** (the make-up ledger): minutes of missed sessions the school is answerable
  for: the provider absent, another reason, and a school closure only when the district
  says closures are made up (``Rules.closures_owed``; by default a closure is not owed,
  as a holiday is not). A student's absence is never owed. Make-up sessions pay the
  debt; the balance never goes below zero (minutes made up beyond it are still
  delivered minutes, not credit for later misses).
- **Alert.** A month is judged through the end of the last full week (the week in
  progress is the provider's to log): delivery is below the threshold when the minutes
  delivered in the month are under ``Rules.threshold_percent`` (80% by default) of the
  minutes due through that Sunday, once ``Rules.alert_after_school_days`` school days of
  the service were judged (one missed Monday is not an alarm) or the whole month was.
  Minutes not logged within that week count as not delivered.

The plan states minutes, not a number of sessions, so the plain words count minutes
("90 of 240 minutes this month") and the sessions held, never an invented session count.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DAY, WEEK, MONTH = "day", "week", "month"
DELIVERED, MISSED = "delivered", "missed"
PROVIDER_ABSENT, STUDENT_ABSENT = "provider_absent", "student_absent"
SCHOOL_CLOSED, OTHER = "school_closed", "other"


@dataclass(frozen=True)
class Rules:
    """The district's settings for service minutes (``models.MinutesSettings``;
    ``DEFAULT_RULES`` until the district sets its own)."""

    # Below this percent of the minutes due, the team and the family are told.
    threshold_percent: int = 80
    # Whether minutes missed because school was closed are owed (made up).
    closures_owed: bool = False
    # School days of a month that must pass before its delivery can raise an alert.
    alert_after_school_days: int = 5


DEFAULT_RULES = Rules()


@dataclass(frozen=True)
class Terms:
    """What the plan prescribes: ``minutes`` per ``unit``, from ``start`` to ``end``
    (either may be unknown: the service then runs without that bound)."""

    minutes: int
    unit: str
    start: date | None = None
    end: date | None = None

    @property
    def is_measurable(self) -> bool:
        return self.minutes > 0 and self.unit in (DAY, WEEK, MONTH)

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Calendar:
    """Which days are school days: weekdays that are not the district's closures."""

    closed: frozenset[date] = frozenset()

    def is_school_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.closed

    def school_days(self, first: date, last: date) -> list[date]:
        return [d for d in days_between(first, last) if self.is_school_day(d)]


@dataclass(frozen=True)
class Logged:
    """One standing (not voided) session, as the arithmetic needs it."""

    day: date
    minutes: int
    status: str
    reason: str = ""
    make_up: bool = False

    @property
    def delivered(self) -> bool:
        return self.status == DELIVERED


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def week_of(day: date) -> tuple[date, date]:
    """The calendar week (Monday to Sunday) holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _unit_of(unit: str, day: date) -> tuple[date, date]:
    if unit == WEEK:
        return week_of(day)
    if unit == MONTH:
        return month_of(day)
    return day, day


def _rounded(value: Fraction) -> int:
    """Half a minute or more rounds up (a share is never negative)."""
    return int(value + Fraction(1, 2))


def prescribed_exact(terms: Terms, cal: Calendar, first: date, last: date) -> Fraction:
    """The minutes the plan prescribes from ``first`` to ``last`` (both included),
    unrounded: each school day inside the service gets its unit's minutes divided by
    the school days of its unit."""
    if not terms.is_measurable or last < first:
        return Fraction(0)
    total = Fraction(0)
    per_unit: dict[date, int] = {}  # a unit's first day → its school days
    for day in days_between(first, last):
        if not cal.is_school_day(day) or not terms.covers(day):
            continue
        unit_first, unit_last = _unit_of(terms.unit, day)
        if unit_first not in per_unit:
            per_unit[unit_first] = len(cal.school_days(unit_first, unit_last))
        total += Fraction(terms.minutes, per_unit[unit_first])
    return total


def prescribed(terms: Terms, cal: Calendar, first: date, last: date) -> int:
    """``prescribed_exact`` in whole minutes."""
    return _rounded(prescribed_exact(terms, cal, first, last))


def school_days_in_service(terms: Terms, cal: Calendar, first: date, last: date) -> int:
    return sum(1 for d in cal.school_days(first, last) if terms.covers(d))


def is_owed(session: Logged, rules: Rules = DEFAULT_RULES) -> bool:
    """Whether a missed session's minutes are the school's to make up."""
    if session.delivered:
        return False
    if session.reason == STUDENT_ABSENT:
        return False
    if session.reason == SCHOOL_CLOSED:
        return rules.closures_owed
    return True


@dataclass(frozen=True)
class Ledger:
    """The make-up ledger of one service: minutes owed, made up, and still to make up."""

    owed: int = 0
    made_up: int = 0
    # Missed minutes nobody owes (the student was absent; a closure, unless made up).
    not_owed: int = 0

    @property
    def balance(self) -> int:
        return max(0, self.owed - self.made_up)


def ledger(sessions: Iterable[Logged], rules: Rules = DEFAULT_RULES) -> Ledger:
    owed = made_up = not_owed = 0
    for s in sessions:
        if s.delivered:
            made_up += s.minutes if s.make_up else 0
        elif is_owed(s, rules):
            owed += s.minutes
        else:
            not_owed += s.minutes
    return Ledger(owed=owed, made_up=made_up, not_owed=not_owed)


@dataclass(frozen=True)
class Delivery:
    """A service over one span (a week, a month): prescribed and delivered minutes."""

    first: date
    last: date
    # For the whole span, and for the part of it up to the day it was worked out.
    prescribed: int
    due_so_far: int
    delivered: int
    held: int  # delivered sessions
    missed: int  # missed sessions
    # School days of the service in the span up to that day.
    school_days_so_far: int
    is_over: bool

    @property
    def percent(self) -> int | None:
        """Delivered as a whole percent of what was due so far (None: nothing was due)."""
        if self.due_so_far <= 0:
            return None
        return int(Fraction(self.delivered * 100, self.due_so_far))


def delivery(
    terms: Terms,
    cal: Calendar,
    sessions: Iterable[Logged],
    first: date,
    last: date,
    *,
    today: date,
) -> Delivery:
    """The service from ``first`` to ``last``, as of ``today`` (the district's)."""
    upto = min(last, today)
    inside = [s for s in sessions if first <= s.day <= last]
    return Delivery(
        first=first,
        last=last,
        prescribed=prescribed(terms, cal, first, last),
        due_so_far=prescribed(terms, cal, first, upto),
        delivered=sum(s.minutes for s in inside if s.delivered),
        held=sum(1 for s in inside if s.delivered),
        missed=sum(1 for s in inside if not s.delivered),
        school_days_so_far=school_days_in_service(terms, cal, first, upto),
        is_over=today > last,
    )


def judged_through(today: date) -> date:
    """The last day the alert judges as of ``today``: the Sunday that ended the last
    full week. The week in progress is not judged, so a provider who logs a week's
    sessions on its Friday (or the Monday after) never sets off a false alarm."""
    return today - timedelta(days=today.weekday() + 1)


def months_to_judge(today: date) -> list[date]:
    """The first days of the months the last full week touches: each day of a month is
    judged once its week is over, and a month as a whole in the week after it ends."""
    through = judged_through(today)
    return sorted({(through - timedelta(days=6)).replace(day=1), through.replace(day=1)})


@dataclass(frozen=True)
class Judgement:
    """One month of a service as the alert judges it, as of a day."""

    month: date  # its first day
    through: date  # the last day judged
    due: int  # prescribed from the first day through ``through``
    delivered: int  # every delivered session of the month (later in the week too)
    school_days: int  # of the service, through ``through``
    complete: bool  # the whole month is judged

    @property
    def percent(self) -> int | None:
        if self.due <= 0:
            return None
        return int(Fraction(self.delivered * 100, self.due))

    def is_below(self, rules: Rules = DEFAULT_RULES) -> bool:
        """Under the threshold, once enough school days were judged (or all of them)."""
        if self.due <= 0:
            return False
        if not self.complete and self.school_days < rules.alert_after_school_days:
            return False
        return self.delivered * 100 < rules.threshold_percent * self.due


def judge_month(
    terms: Terms, cal: Calendar, sessions: Iterable[Logged], month: date, *, today: date
) -> Judgement:
    """The month holding ``month``, judged as of ``today`` (the district's)."""
    first, last = month_of(month)
    through = min(last, judged_through(today))
    judged = through >= first
    return Judgement(
        month=first,
        through=through,
        due=prescribed(terms, cal, first, through) if judged else 0,
        delivered=sum(s.minutes for s in sessions if s.delivered and first <= s.day <= last),
        school_days=school_days_in_service(terms, cal, first, through) if judged else 0,
        complete=through >= last,
    )


def week_delivery(terms: Terms, cal: Calendar, sessions: Iterable[Logged], today: date) -> Delivery:
    return delivery(terms, cal, sessions, *week_of(today), today=today)


def month_delivery(
    terms: Terms, cal: Calendar, sessions: Iterable[Logged], today: date
) -> Delivery:
    return delivery(terms, cal, sessions, *month_of(today), today=today)


# ----- plain words --------------------------------------------------------------------


def minutes_words(n: int) -> str:
    return ngettext("%(n)s minute", "%(n)s minutes", n) % {"n": n}


def delivered_words(span: Delivery, *, period: str) -> str:
    """A span in words: "This month: 90 of 240 minutes, in 3 sessions." (``period``:
    "week" or "month")."""
    held = ngettext("in %(n)s session", "in %(n)s sessions", span.held) % {"n": span.held}
    of = ngettext(
        "%(delivered)s of %(prescribed)s minute",
        "%(delivered)s of %(prescribed)s minutes",
        span.prescribed,
    ) % {"delivered": span.delivered, "prescribed": span.prescribed}
    if period == WEEK:
        return _("This week: %(of)s, %(held)s.") % {"of": of, "held": held}
    return _("This month: %(of)s, %(held)s.") % {"of": of, "held": held}


def owed_words(book: Ledger) -> str:
    """The ledger's balance in words: "30 minutes to make up." or "Nothing to make up." """
    if book.balance <= 0:
        return _("Nothing to make up.")
    return ngettext("%(n)s minute to make up.", "%(n)s minutes to make up.", book.balance) % {
        "n": book.balance
    }


def summary_words(month: Delivery, book: Ledger) -> str:
    """The family's one line: "This month: 90 of 240 minutes, in 3 sessions. 30 minutes
    to make up." """
    return f"{delivered_words(month, period=MONTH)} {owed_words(book)}"
