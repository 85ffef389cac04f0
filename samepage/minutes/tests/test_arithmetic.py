"""The minutes arithmetic against cases computed by hand (December 2026: the 1st is a
Tuesday, the 25th a Friday; 23 weekdays), and its properties."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from samepage.minutes import arithmetic as a
from samepage.minutes.arithmetic import Calendar, Logged, Rules, Terms

D = date
NO_CLOSURES = Calendar()
CHRISTMAS = Calendar(closed=frozenset({D(2026, 12, 25)}))
WINTER_BREAK = Calendar(closed=frozenset(D(2026, 12, n) for n in range(21, 32)))


def weekly(minutes: int = 60, **dates: date) -> Terms:
    return Terms(minutes=minutes, unit="week", **dates)


# ----- prescribed ---------------------------------------------------------------------


def test_a_full_week_owes_the_weekly_minutes():
    assert a.prescribed(weekly(), NO_CLOSURES, D(2026, 12, 7), D(2026, 12, 13)) == 60


def test_a_holiday_does_not_shrink_a_weekly_commitment():
    # 60 minutes over the four school days left: 15 a day.
    week = (D(2026, 12, 21), D(2026, 12, 27))
    assert a.prescribed(weekly(), CHRISTMAS, *week) == 60
    assert a.prescribed(weekly(), CHRISTMAS, D(2026, 12, 21), D(2026, 12, 21)) == 15


def test_a_week_without_school_owes_nothing():
    assert a.prescribed(weekly(), WINTER_BREAK, D(2026, 12, 21), D(2026, 12, 27)) == 0


def test_the_week_a_service_starts_owes_its_share():
    # Starts Thursday 10th: Thursday and Friday of five school days, 2/5 of 60.
    terms = weekly(start=D(2026, 12, 10))
    assert a.prescribed(terms, NO_CLOSURES, D(2026, 12, 7), D(2026, 12, 13)) == 24


def test_the_week_a_service_ends_owes_its_share():
    terms = weekly(end=D(2026, 12, 8))  # Monday and Tuesday
    assert a.prescribed(terms, NO_CLOSURES, D(2026, 12, 7), D(2026, 12, 13)) == 24
    assert a.prescribed(terms, NO_CLOSURES, D(2026, 12, 14), D(2026, 12, 20)) == 0


def test_a_daily_service_counts_school_days_only():
    # 23 weekdays, less the 24th, the 25th and the 28th to the 31st: 17 school days.
    closed = frozenset({D(2026, 12, 24), D(2026, 12, 25), *(D(2026, 12, n) for n in range(28, 32))})
    terms = Terms(minutes=30, unit="day")
    assert a.prescribed(terms, Calendar(closed), D(2026, 12, 1), D(2026, 12, 31)) == 17 * 30
    assert a.prescribed(terms, NO_CLOSURES, D(2026, 12, 5), D(2026, 12, 6)) == 0  # a weekend


def test_a_weekly_service_over_a_month_shares_the_weeks_that_straddle_it():
    # Nov 30–Dec 6: 4 of its 5 school days are December's (48); three full weeks (180);
    # Dec 28–Jan 3: 4 of 5 (48). 276 in all.
    assert a.prescribed(weekly(), NO_CLOSURES, D(2026, 12, 1), D(2026, 12, 31)) == 276


def test_a_monthly_service_starting_mid_month():
    # 200 a month; from Wednesday 16th: 12 of December's 23 school days → 104.35 → 104.
    terms = Terms(minutes=200, unit="month", start=D(2026, 12, 16))
    assert a.prescribed(terms, NO_CLOSURES, D(2026, 12, 1), D(2026, 12, 31)) == 104
    assert a.prescribed_exact(terms, NO_CLOSURES, D(2026, 12, 1), D(2026, 12, 31)) == Fraction(
        2400, 23
    )


def test_a_service_the_plan_does_not_measure_prescribes_nothing():
    for terms in (Terms(minutes=0, unit="week"), Terms(minutes=30, unit="")):
        assert not terms.is_measurable
        assert a.prescribed(terms, NO_CLOSURES, D(2026, 12, 1), D(2026, 12, 31)) == 0


def test_half_a_minute_rounds_up():
    # 100 a week over two school days left (three closures): 50 a day; one day of a week
    # of three: 33.33 → 33, two: 66.67 → 67.
    cal = Calendar(closed=frozenset({D(2026, 12, 14), D(2026, 12, 15)}))
    terms = weekly(100)
    assert a.prescribed(terms, cal, D(2026, 12, 16), D(2026, 12, 16)) == 33
    assert a.prescribed(terms, cal, D(2026, 12, 16), D(2026, 12, 17)) == 67


# ----- the make-up ledger -------------------------------------------------------------


def missed(day: int, minutes: int, reason: str) -> Logged:
    return Logged(D(2026, 12, day), minutes, "missed", reason)


def test_the_ledger_owes_what_the_school_missed_and_not_the_students_absence():
    sessions = [
        missed(1, 30, "provider_absent"),
        missed(2, 30, "student_absent"),
        missed(3, 30, "school_closed"),
        missed(4, 20, "other"),
        Logged(D(2026, 12, 8), 25, "delivered", make_up=True),
        Logged(D(2026, 12, 8), 30, "delivered"),
    ]
    book = a.ledger(sessions)
    assert (book.owed, book.made_up, book.balance, book.not_owed) == (50, 25, 25, 60)
    # A district that makes up closures owes the closed day too.
    book = a.ledger(sessions, Rules(closures_owed=True))
    assert (book.owed, book.balance, book.not_owed) == (80, 55, 30)


def test_making_up_more_than_owed_leaves_nothing_owed_not_a_credit():
    book = a.ledger(
        [missed(1, 30, "provider_absent"), Logged(D(2026, 12, 2), 45, "delivered", make_up=True)]
    )
    assert book.balance == 0
    assert a.owed_words(book) == "Nothing to make up."


# ----- delivery and the alert ---------------------------------------------------------


def test_the_week_in_progress_is_never_judged():
    assert a.judged_through(D(2026, 12, 9)) == D(2026, 12, 6)  # a Wednesday
    assert a.judged_through(D(2026, 12, 7)) == D(2026, 12, 6)  # a Monday
    assert a.judged_through(D(2026, 12, 6)) == D(2026, 11, 29)  # a Sunday, not over
    assert a.months_to_judge(D(2026, 12, 9)) == [D(2026, 11, 1), D(2026, 12, 1)]
    assert a.months_to_judge(D(2026, 12, 16)) == [D(2026, 12, 1)]


def test_the_month_is_not_judged_before_five_school_days():
    # Wednesday 9th: judged through Sunday 6th, four school days; nothing delivered.
    month = a.judge_month(weekly(), NO_CLOSURES, [], D(2026, 12, 1), today=D(2026, 12, 9))
    assert (month.through, month.school_days, month.due) == (D(2026, 12, 6), 4, 48)
    assert not month.is_below()


def test_below_the_threshold_is_under_80_percent_of_what_was_due():
    # Wednesday 16th: judged through Sunday 13th: 48 + 60 = 108 due; 80% is 86.4.
    def judged(minutes: int) -> a.Judgement:
        sessions = [Logged(D(2026, 12, 2), minutes, "delivered")]
        return a.judge_month(weekly(), NO_CLOSURES, sessions, D(2026, 12, 1), today=D(2026, 12, 16))

    assert judged(86).due == 108
    assert judged(86).is_below() and judged(86).percent == 79
    assert not judged(87).is_below()
    assert not judged(55).is_below(Rules(threshold_percent=50))
    # A session later in the week in progress still counts as delivered.
    later = [Logged(D(2026, 12, 15), 100, "delivered")]
    assert not a.judge_month(
        weekly(), NO_CLOSURES, later, D(2026, 12, 1), today=D(2026, 12, 16)
    ).is_below()


def test_a_month_judged_whole_is_judged_whatever_its_length():
    # A service starting on the 30th: two school days of December, all of it due by
    # Wednesday 6 January (its week ended on Sunday 3rd).
    terms = weekly(start=D(2026, 12, 30))
    month = a.judge_month(terms, NO_CLOSURES, [], D(2026, 12, 1), today=D(2027, 1, 6))
    assert month.complete and month.due == 24 and month.school_days == 2 and month.is_below()


def test_missed_sessions_count_as_missed_not_delivered():
    sessions = [Logged(D(2026, 12, 8), 30, "delivered"), missed(9, 30, "provider_absent")]
    week = a.week_delivery(weekly(), NO_CLOSURES, sessions, D(2026, 12, 9))
    assert (week.delivered, week.held, week.missed, week.prescribed) == (30, 1, 1, 60)


# ----- plain words --------------------------------------------------------------------


def test_the_familys_words():
    sessions = [
        Logged(D(2026, 12, 2), 30, "delivered"),
        Logged(D(2026, 12, 8), 30, "delivered"),
        missed(9, 30, "provider_absent"),
    ]
    today = D(2026, 12, 9)
    month = a.month_delivery(weekly(), NO_CLOSURES, sessions, today)
    book = a.ledger(sessions)
    assert a.summary_words(month, book) == (
        "This month: 60 of 276 minutes, in 2 sessions. 30 minutes to make up."
    )
    one = a.month_delivery(Terms(minutes=1, unit="month"), NO_CLOSURES, sessions[:1], today)
    assert a.delivered_words(one, period="month") == "This month: 30 of 1 minute, in 1 session."
    assert a.owed_words(a.Ledger(owed=1)) == "1 minute to make up."


def test_the_familys_words_in_spanish():
    from django.utils import translation

    sessions = [Logged(D(2026, 12, 2), 30, "delivered"), missed(9, 30, "provider_absent")]
    month = a.month_delivery(weekly(), NO_CLOSURES, sessions, D(2026, 12, 9))
    with translation.override("es"):
        words = a.summary_words(month, a.ledger(sessions))
    assert words == "Este mes: 30 de 276 minutos, en 1 sesión. 30 minutos por recuperar."


# ----- properties ---------------------------------------------------------------------

days = st.integers(min_value=0, max_value=120).map(lambda n: D(2026, 9, 1) + timedelta(days=n))
closures = st.frozensets(days, max_size=20).map(lambda c: Calendar(closed=c))
terms_st = st.builds(
    Terms,
    minutes=st.integers(min_value=1, max_value=600),
    unit=st.sampled_from(["day", "week", "month"]),
    start=st.none() | days,
    end=st.none() | days,
)


@given(terms_st, closures, days, days, days)
def test_prescribed_minutes_add_up_over_any_split(terms, cal, x, y, z):
    first, middle, last = sorted([x, y, z])
    whole = a.prescribed_exact(terms, cal, first, last)
    parts = a.prescribed_exact(terms, cal, first, middle) + a.prescribed_exact(
        terms, cal, middle + timedelta(days=1), last
    )
    assert whole == parts
    assert whole >= 0


@given(st.integers(min_value=1, max_value=600), closures, days)
def test_a_week_inside_the_service_with_school_owes_exactly_the_weekly_minutes(minutes, cal, day):
    monday, sunday = a.week_of(day)
    terms = Terms(minutes=minutes, unit="week")
    expected = minutes if cal.school_days(monday, sunday) else 0
    assert a.prescribed(terms, cal, monday, sunday) == expected


reasons = st.sampled_from(["provider_absent", "student_absent", "school_closed", "other"])


@given(
    st.integers(min_value=1, max_value=120),
    closures,
    st.lists(st.one_of(st.none(), reasons), min_size=31, max_size=31),
    st.lists(st.integers(min_value=1, max_value=120), max_size=5),
    st.booleans(),
)
def test_delivered_and_owed_never_exceed_what_was_prescribed_plus_make_ups(
    minutes, cal, outcomes, make_ups, closures_owed
):
    """One regular session per school day of a daily service (delivered, or missed for
    a reason), and some make-ups: what was delivered and what is owed never come to more
    than the plan prescribed plus the make-ups, and the ledger balances."""
    terms = Terms(minutes=minutes, unit="day")
    first, last = D(2026, 12, 1), D(2026, 12, 31)
    sessions = []
    for day, outcome in zip(a.days_between(first, last), outcomes, strict=True):
        if cal.is_school_day(day):
            status = "delivered" if outcome is None else "missed"
            sessions.append(Logged(day, minutes, status, outcome or ""))
    sessions += [Logged(last, m, "delivered", make_up=True) for m in make_ups]
    rules = Rules(closures_owed=closures_owed)
    month = a.delivery(terms, cal, sessions, first, last, today=D(2027, 1, 1))
    book = a.ledger(sessions, rules)
    assert month.delivered + book.owed <= month.prescribed + book.made_up
    assert book.balance + min(book.made_up, book.owed) == book.owed
    missed_minutes = sum(s.minutes for s in sessions if not s.delivered)
    assert book.owed + book.not_owed == missed_minutes
