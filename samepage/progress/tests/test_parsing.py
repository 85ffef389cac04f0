"""Reading numbers out of goals' free text: what it reads, and what it refuses to guess."""

from __future__ import annotations

from decimal import Decimal

import pytest

from samepage.progress import parsing as p
from samepage.progress.models import ReviewProblem
from samepage.progress.parsing import Amount, Mastery, Problem, parse_amount, parse_mastery


@pytest.mark.parametrize(
    ("text", "value", "kind", "unit"),
    [
        ("45 words correct per minute", "45", p.RATE, "words correct per minute"),
        ("45 wcpm", "45", p.RATE, "words correct per minute"),
        ("40 WCPM", "40", p.RATE, "words correct per minute"),
        ("Reads 40 words per minute.", "40", p.RATE, "words per minute"),
        ("60%", "60", p.PERCENT, "%"),
        ("60 %", "60", p.PERCENT, "%"),
        ("62.5 percent", "62.5", p.PERCENT, "%"),
        ("75% accuracy", "75", p.PERCENT, "%"),
        ("0%", "0", p.PERCENT, "%"),
        ("100%", "100", p.PERCENT, "%"),
        ("3 minutes", "3", p.DURATION, "minutes"),
        ("90 seconds", "90", p.DURATION, "seconds"),
        ("4 times per day", "4", p.FREQUENCY, "times per day"),
        ("2 incidents a week", "2", p.FREQUENCY, "times per week"),
        ("12", "12", None, ""),
    ],
)
def test_one_number_with_its_unit(text, value, kind, unit):
    assert parse_amount(text) == Amount(value=Decimal(value), kind=kind, unit=unit)


@pytest.mark.parametrize(
    ("text", "x", "y", "percent"),
    [
        ("8 of 10 trials", 8, 10, "80.00"),
        ("8 out of 10 opportunities", 8, 10, "80.00"),
        ("8/10", 8, 10, "80.00"),
        ("2 of 3", 2, 3, "66.67"),
        ("0 of 5 trials", 0, 5, "0.00"),
    ],
)
def test_trials_read_as_a_percent_keeping_x_of_y(text, x, y, percent):
    assert parse_amount(text) == Amount(
        value=Decimal(percent), kind=p.TRIALS, unit="trials", numerator=x, denominator=y
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", p.MISSING),
        (None, p.MISSING),
        ("   ", p.MISSING),
        ("improving", p.NO_NUMBER),
        ("making progress", p.NO_NUMBER),
        ("N/A", p.NO_NUMBER),
        ("40-50", p.RANGE),
        ("40 - 50 wcpm", p.RANGE),
        ("40–50%", p.RANGE),
        ("40 to 50 words per minute", p.RANGE),
        ("45 wcpm and 3 errors", p.SEVERAL_NUMBERS),
        ("45 wcpm (Sept 2026)", p.SEVERAL_NUMBERS),
        ("45,5", p.SEVERAL_NUMBERS),
        ("8 of 10 trials on 3 days", p.SEVERAL_NUMBERS),
        ("45 apples", p.UNKNOWN_UNIT),
        ("45 palabras por minuto", p.UNKNOWN_UNIT),
        ("8 of 10 apples", p.UNKNOWN_UNIT),
        ("150%", p.OUT_OF_RANGE),
        ("11 of 10", p.OUT_OF_RANGE),
        ("3 of 0", p.OUT_OF_RANGE),
    ],
)
def test_what_is_not_one_number_is_a_problem_not_a_guess(text, code):
    assert parse_amount(text) == Problem(code)


@pytest.mark.parametrize(
    ("text", "level", "sessions"),
    [
        ("80% in 3 consecutive sessions", "80", 3),
        ("80% accuracy in 3 consecutive sessions", "80", 3),
        ("80% accuracy, 3 consecutive sessions", "80", 3),
        ("90 wcpm on 3 probes in a row", "90", 3),
        ("8 of 10 trials across 3 straight probes", "80.00", 3),
        ("80% over 4 successive data points.", "80", 4),
    ],
)
def test_mastery_level_and_run(text, level, sessions):
    found = parse_mastery(text)
    assert isinstance(found, Mastery)
    assert (found.level.value, found.sessions) == (Decimal(level), sessions)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", p.MISSING),
        ("80%", p.NO_RUN),
        ("3 probes in a row", p.NO_LEVEL),
        ("mastered", p.NO_NUMBER),
        ("80% for 3 consecutive weeks", p.SEVERAL_NUMBERS),
        ("70-80% in 3 consecutive sessions", p.RANGE),
        ("lots in 3 consecutive sessions", p.NO_NUMBER),
        ("80% in 0 consecutive sessions", p.OUT_OF_RANGE),
    ],
)
def test_mastery_problems(text, code):
    assert parse_mastery(text) == Problem(code)


@pytest.mark.parametrize(
    ("method", "kind"),
    [
        ("Oral reading fluency probes", p.RATE),
        ("Partial interval recording", p.INTERVAL),
        ("% of intervals on task", p.INTERVAL),
        ("Percent of trials correct", p.TRIALS),
        ("Frequency count", p.FREQUENCY),
        ("Latency to begin work", p.LATENCY),
        ("Writing rubric", p.RUBRIC),
        ("Prompt hierarchy", p.PROMPT),
        ("Work samples", None),
        ("", None),
        ("Rubric and frequency count", None),
    ],
)
def test_kind_from_the_method_words(method, kind):
    assert p.kind_from_method(method) == kind


def test_a_reading_goal_reads_whole():
    found = p.read_goal(
        baseline="45 words correct per minute",
        target="90 wcpm",
        mastery_criterion="90 wcpm on 3 probes in a row",
        measurement_method="Oral reading probes",
    )
    assert (found.kind, found.unit, found.direction) == (
        p.RATE,
        "words correct per minute",
        "increase",
    )
    assert (found.baseline, found.target) == (Decimal(45), Decimal(90))
    assert (found.mastery_level, found.mastery_sessions) == (Decimal(90), 3)
    assert found.problems == {}


def test_a_trials_goal_with_a_percent_mastery():
    found = p.read_goal(
        baseline="5 of 10 trials",
        target="8 of 10 trials",
        mastery_criterion="80% in 3 consecutive sessions",
        measurement_method="",
    )
    assert (found.kind, found.baseline, found.target) == (p.TRIALS, Decimal(50), Decimal(80))
    assert (found.mastery_level, found.mastery_sessions) == (Decimal(80), 3)
    assert found.problems == {}


def test_a_goal_to_decrease():
    found = p.read_goal(
        baseline="6 times per day",
        target="1 time per day",
        mastery_criterion="",
        measurement_method="tally",
    )
    assert (found.kind, found.direction) == (p.FREQUENCY, "decrease")
    assert found.problems == {"mastery_criterion": p.MISSING}


def test_a_bare_number_takes_the_kind_the_method_names():
    found = p.read_goal(
        baseline="20", target="80", mastery_criterion="", measurement_method="interval recording"
    )
    assert (found.kind, found.baseline, found.target) == (p.INTERVAL, Decimal(20), Decimal(80))


def test_units_that_disagree_keep_no_number():
    found = p.read_goal(
        baseline="40 wcpm",
        target="80%",
        mastery_criterion="80% in 3 consecutive sessions",
        measurement_method="",
    )
    assert (found.baseline, found.target, found.mastery_level, found.mastery_sessions) == (
        None,
        None,
        None,
        None,
    )
    assert found.problems["unit"] == p.UNITS_DISAGREE


def test_a_method_that_disagrees_with_the_units():
    found = p.read_goal(
        baseline="40%", target="80%", mastery_criterion="", measurement_method="Fluency (wcpm)"
    )
    assert found.problems["unit"] == p.UNITS_DISAGREE
    assert found.baseline is None


def test_the_factories_goal_needs_review_for_its_mastery_only():
    found = p.read_goal(
        baseline="40 wcpm",
        target="90 wcpm",
        mastery_criterion="3 probes in a row",
        measurement_method="Oral reading probes",
    )
    assert (found.kind, found.baseline, found.target) == (p.RATE, Decimal(40), Decimal(90))
    assert found.problems == {"mastery_criterion": p.NO_LEVEL}
    assert found.mastery_sessions is None


def test_junk_everywhere_is_all_problems_and_no_numbers():
    found = p.read_goal(
        baseline="improving", target="40-50", mastery_criterion="", measurement_method=""
    )
    assert found.problems == {
        "baseline": p.NO_NUMBER,
        "target": p.RANGE,
        "mastery_criterion": p.MISSING,
        "measurement_method": p.UNKNOWN_KIND,
        "direction": p.NO_DIRECTION,
    }
    assert (found.kind, found.baseline, found.target, found.direction) == (None, None, None, None)


def test_equal_baseline_and_target_have_no_direction():
    found = p.read_goal(baseline="50%", target="50%", mastery_criterion="", measurement_method="")
    assert found.direction is None
    assert found.problems["direction"] == p.NO_DIRECTION


def test_percent_over_100_from_a_bare_number_on_a_percent_goal():
    found = p.read_goal(baseline="20%", target="120", mastery_criterion="", measurement_method="")
    assert found.problems["target"] == p.OUT_OF_RANGE
    assert found.target is None


def test_every_problem_code_has_words():
    codes = {
        v for k, v in vars(p).items() if k.isupper() and isinstance(v, str) and v.isidentifier()
    }
    kinds = {p.PERCENT, p.FREQUENCY, p.RATE, p.DURATION, p.LATENCY, p.TRIALS}
    kinds |= {p.RUBRIC, p.PROMPT, p.INTERVAL}
    assert codes - kinds == set(ReviewProblem.values)
