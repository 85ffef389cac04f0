"""Reading the numbers out of a goal's free text ("45 words correct per minute", "60%",
"8 of 10 trials", "80% in 3 consecutive sessions"), for the migration that gives existing
goals a measurement.

Pure: text in, numbers or a problem out; no database, no settings. It never guesses:
text with no number, a range ("40-50"), several numbers, a unit it does not know, or
units that disagree between baseline and target come back as a ``Problem`` the case
manager reviews, not as a number picked from the text.

Trials ("8 of 10") are read as a percent (80) with the numerator and denominator kept,
because the measurement's baseline, target and mastery level of a trials goal are
percents of trials correct (see models.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

# Problems, by code (models.ReviewProblem gives each its words in the user's language).
MISSING = "missing"
NO_NUMBER = "no_number"
RANGE = "range"
SEVERAL_NUMBERS = "several_numbers"
UNKNOWN_UNIT = "unknown_unit"
OUT_OF_RANGE = "out_of_range"
UNITS_DISAGREE = "units_disagree"
NO_LEVEL = "no_level"
NO_RUN = "no_run"
NO_DIRECTION = "no_direction"
UNKNOWN_KIND = "unknown_kind"

# Measurement kinds (models.MeasurementKind uses the same values).
PERCENT = "percent"
FREQUENCY = "frequency"
RATE = "rate"
DURATION = "duration"
LATENCY = "latency"
TRIALS = "trials"
RUBRIC = "rubric"
PROMPT = "prompt"
INTERVAL = "interval"

_NUMBER = r"\d+(?:\.\d+)?"
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_RANGE_RE = re.compile(rf"{_NUMBER}\s*(?:-|–|—|to)\s*{_NUMBER}", re.IGNORECASE)
_OF_RE = re.compile(r"^(?P<x>\d+)\s*(?:of|out of|/)\s*(?P<y>\d+)\b", re.IGNORECASE)
_AMOUNT_RE = re.compile(rf"(?P<n>{_NUMBER})\s*(?P<rest>.*)$", re.DOTALL)
_RUN_RE = re.compile(
    r"^(?P<level>.*?)\s*(?:,\s*)?(?:in|on|for|across|over|during)?\s*"
    r"(?P<n>\d+)\s+(?:consecutive|straight|successive)\s+"
    r"(?P<what>sessions?|probes?|data\s+points?|observations?)\.?$",
    re.IGNORECASE,
)
_IN_A_ROW_RE = re.compile(
    r"^(?P<level>.*?)\s*(?:,\s*)?(?:in|on|for|across|over)?\s*"
    r"(?P<n>\d+)\s+(?:sessions?|probes?|data\s+points?|observations?)\s+in\s+a\s+row\.?$",
    re.IGNORECASE,
)

# Unit words → (kind, the unit as stored). Checked in order: longer phrases first.
_UNITS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"^(?:%|(?:percent|per\s*cent|pct)\b)"), PERCENT, "%"),
    (
        re.compile(r"^(?:wcpm|cwpm|words?\s+correct(?:ly)?\s+(?:per|a|each)\s+minute)\b"),
        RATE,
        "words correct per minute",
    ),
    (re.compile(r"^(?:wpm|words?\s+(?:per|a|each)\s+minute)\b"), RATE, "words per minute"),
    (
        re.compile(r"^(?:correct\s+)?(?:digits?|problems?)\s+correct\s+(?:per|a)\s+minute\b"),
        RATE,
        "correct per minute",
    ),
    (re.compile(r"^(?:seconds?|secs?|s)\b"), DURATION, "seconds"),
    (re.compile(r"^(?:minutes?|mins?)\b"), DURATION, "minutes"),
    (
        re.compile(r"^(?:times?|occurrences?|incidents?|instances?)\s+(?:per|a|each)\s+day\b"),
        FREQUENCY,
        "times per day",
    ),
    (
        re.compile(
            r"^(?:times?|occurrences?|incidents?|instances?)\s+(?:per|a|each)\s+"
            r"(?:session|class|period)\b"
        ),
        FREQUENCY,
        "times per session",
    ),
    (
        re.compile(r"^(?:times?|occurrences?|incidents?|instances?)\s+(?:per|a|each)\s+week\b"),
        FREQUENCY,
        "times per week",
    ),
]
_PERCENT_KINDS = {PERCENT, INTERVAL, TRIALS}


@dataclass(frozen=True)
class Problem:
    """Why a text could not be read as a number: a code from the list above."""

    code: str


@dataclass(frozen=True)
class Amount:
    """A number read from text, with its kind and unit when the text named them."""

    value: Decimal
    kind: str | None = None
    unit: str = ""
    numerator: int | None = None
    denominator: int | None = None


@dataclass(frozen=True)
class Mastery:
    """ "80% in 3 consecutive sessions": the level and the run of sessions."""

    level: Amount
    sessions: int


def _clean(text: str | None) -> str:
    return " ".join((text or "").split()).strip().rstrip(".").strip()


def parse_amount(text: str | None) -> Amount | Problem:
    """One number with its unit: "45 wcpm", "60%", "8 of 10 trials", "3 minutes", "12".

    Words may come before the number ("Reads 40 words per minute"), never a second one.
    """
    cleaned = _clean(text)
    if not cleaned:
        return Problem(MISSING)
    if _RANGE_RE.search(cleaned):
        return Problem(RANGE)
    numbers = _NUMBER_RE.findall(cleaned)
    if not numbers:
        return Problem(NO_NUMBER)
    start = _NUMBER_RE.search(cleaned)
    assert start is not None
    tail = cleaned[start.start() :]
    of = _OF_RE.match(tail)
    if of is not None:
        if len(numbers) != 2:
            return Problem(SEVERAL_NUMBERS)
        x, y = int(of.group("x")), int(of.group("y"))
        if y == 0 or x > y:
            return Problem(OUT_OF_RANGE)
        rest = tail[of.end() :].strip().lower()
        if rest and not re.fullmatch(r"(?:trials?|opportunities|attempts|tries|times)", rest):
            return Problem(UNKNOWN_UNIT)
        return Amount(
            value=percent_of(x, y), kind=TRIALS, unit="trials", numerator=x, denominator=y
        )
    if len(numbers) != 1 or "," in numbers[0]:
        # "45,5" could be a decimal comma or a list: not ours to pick.
        return Problem(SEVERAL_NUMBERS)
    match = _AMOUNT_RE.match(tail)
    assert match is not None
    try:
        value = Decimal(match.group("n"))
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return Problem(NO_NUMBER)
    rest = match.group("rest").strip().lower()
    if not rest:
        return Amount(value=value)
    for pattern, kind, unit in _UNITS:
        if pattern.match(rest):
            if kind == PERCENT and value > 100:
                return Problem(OUT_OF_RANGE)
            return Amount(value=value, kind=kind, unit=unit)
    return Problem(UNKNOWN_UNIT)


def percent_of(numerator: int, denominator: int) -> Decimal:
    """x of y as a percent, to two decimal places (8 of 10 → 80.00)."""
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"))


def parse_mastery(text: str | None) -> Mastery | Problem:
    """ "80% in 3 consecutive sessions", "8 of 10 trials across 3 straight probes",
    "90 wcpm on 3 probes in a row". A run of days or weeks is not a run of sessions,
    and a level with no run ("80%") or a run with no level ("3 probes in a row") is
    a problem, not a guess."""
    cleaned = _clean(text)
    if not cleaned:
        return Problem(MISSING)
    match = _RUN_RE.match(cleaned) or _IN_A_ROW_RE.match(cleaned)
    if match is None:
        amount = parse_amount(cleaned)
        return Problem(NO_RUN) if isinstance(amount, Amount) else amount
    level_text = match.group("level").strip().rstrip(",").strip()
    if not level_text:
        return Problem(NO_LEVEL)
    level = parse_amount(level_text)
    if isinstance(level, Problem):
        return Problem(NO_LEVEL) if level.code == MISSING else level
    sessions = int(match.group("n"))
    if sessions < 1:
        return Problem(OUT_OF_RANGE)
    return Mastery(level=level, sessions=sessions)


_METHOD_KINDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\binterval", re.IGNORECASE), INTERVAL),
    (re.compile(r"\blatency\b|\btime to (?:begin|start)\b", re.IGNORECASE), LATENCY),
    (re.compile(r"\bprompt", re.IGNORECASE), PROMPT),
    (re.compile(r"\brubric\b", re.IGNORECASE), RUBRIC),
    (re.compile(r"\b(?:wcpm|per minute|fluency)\b", re.IGNORECASE), RATE),
    (re.compile(r"\btrials?\b", re.IGNORECASE), TRIALS),
    (re.compile(r"\b(?:frequency|tally|count)\b", re.IGNORECASE), FREQUENCY),
    (re.compile(r"\bduration\b", re.IGNORECASE), DURATION),
    (re.compile(r"%|\bpercent|\baccuracy\b", re.IGNORECASE), PERCENT),
]


def kind_from_method(text: str | None) -> str | None:
    """The kind a "how it is measured" text names, or None when it names none or two."""
    found = {kind for pattern, kind in _METHOD_KINDS if pattern.search(text or "")}
    # "Percent of intervals" and "% of trials" name one kind in two words.
    if len(found) == 2 and PERCENT in found and found & {INTERVAL, TRIALS}:
        found -= {PERCENT}
    return found.pop() if len(found) == 1 else None


@dataclass
class GoalNumbers:
    """What ``read_goal`` made of a goal's texts: the numbers it could read, and a
    problem per field it could not (field → code). Nothing here is a guess."""

    kind: str | None = None
    unit: str = ""
    direction: str | None = None
    baseline: Decimal | None = None
    target: Decimal | None = None
    mastery_level: Decimal | None = None
    mastery_sessions: int | None = None
    problems: dict[str, str] = field(default_factory=dict)


def _compatible(kind: str | None, other: str | None) -> bool:
    if kind is None or other is None or kind == other:
        return True
    # "Percent accuracy" measured as 8 of 10 trials is one scale: percents.
    return kind in _PERCENT_KINDS and other in _PERCENT_KINDS


def read_goal(
    *, baseline: str, target: str, mastery_criterion: str, measurement_method: str
) -> GoalNumbers:
    """A goal's measurement from its four texts.

    The kind comes from the units the numbers carry, else from the method's words;
    units that disagree are a problem. A number with no unit takes its kind from the
    others. The direction is whichever way target lies from baseline (equal: a
    problem).
    """
    out = GoalNumbers()
    read: dict[str, Amount] = {}
    for name, text in (("baseline", baseline), ("target", target)):
        amount = parse_amount(text)
        if isinstance(amount, Problem):
            out.problems[name] = amount.code
        else:
            read[name] = amount
    mastery = parse_mastery(mastery_criterion)
    if isinstance(mastery, Problem):
        out.problems["mastery_criterion"] = mastery.code
    else:
        read["mastery_criterion"] = mastery.level
        out.mastery_sessions = mastery.sessions
    named = [(name, a) for name, a in read.items() if a.kind is not None]
    method_kind = kind_from_method(measurement_method)
    kinds = {a.kind for _, a in named}
    kind: str | None = None
    if named:
        first = named[0][1]
        if not all(_compatible(first.kind, a.kind) for _, a in named):
            out.problems["unit"] = UNITS_DISAGREE
            return _without(out)
        # Trials beat a bare percent: they also say how many a session has.
        kind = TRIALS if TRIALS in kinds else first.kind
        if method_kind is not None and _compatible(kind, method_kind):
            if kind == PERCENT and method_kind in (INTERVAL, TRIALS):
                kind = method_kind
        elif method_kind is not None:
            out.problems["unit"] = UNITS_DISAGREE
            return _without(out)
        out.unit = next(a.unit for _, a in named if a.kind == kind) if kind != INTERVAL else "%"
        if kind == TRIALS and not any(a.kind == TRIALS for _, a in named):
            out.unit = "trials"
    elif method_kind is not None:
        kind = method_kind
    if kind is None:
        out.problems.setdefault("measurement_method", UNKNOWN_KIND)
    out.kind = kind
    if kind in _PERCENT_KINDS:
        for name, amount in list(read.items()):
            if amount.value > 100:
                out.problems[name] = OUT_OF_RANGE
                del read[name]
    out.baseline = read["baseline"].value if "baseline" in read else None
    out.target = read["target"].value if "target" in read else None
    if "mastery_criterion" in read:
        out.mastery_level = read["mastery_criterion"].value
    else:
        out.mastery_sessions = None
    if out.baseline is not None and out.target is not None:
        if out.target > out.baseline:
            out.direction = "increase"
        elif out.target < out.baseline:
            out.direction = "decrease"
    if out.direction is None:
        out.problems.setdefault("direction", NO_DIRECTION)
    return out


def _without(out: GoalNumbers) -> GoalNumbers:
    """Units that disagree: keep no number (which one is right is the team's call)."""
    out.mastery_sessions = None
    out.problems.setdefault("direction", NO_DIRECTION)
    return out
