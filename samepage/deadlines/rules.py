"""Rule packs: which deadlines a district keeps, each by its starting event, length and
day type, read from the TOML files in ``packs/`` (the federal default, and state packs
that extend it).

A rule in a pack::

    [rules.initial_evaluation]
    start = "evaluation_consent"   # an event of EVENTS
    length = 60                    # a whole number, not negative
    unit = "calendar_days"         # calendar_days, school_days, business_days or years
    counts = "after"               # optional: "before" counts back from the event
    breaks_over = 5                # optional: pause over breaks of more than 5 school days
    citation = "34 CFR 300.301(c)(1)"

The words people read are not in the packs: a rule's title and an event's name are here,
by key, so they are translated with the rest of SamePage. A pack may name only rules and
events listed here; anything else is refused with a message naming the rule
(``PackError``, a ``ValidationError``), never a crash.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from samepage.deadlines import days

PACKS_DIR = Path(__file__).resolve().parent / "packs"
DEFAULT_PACK = "federal"
# Longer than any rule in IDEA or a state's law: a bigger number is a typing slip.
MAX_DAYS = 400
MAX_YEARS = 30

TITLES: dict[str, Promise] = {
    "assessment_plan": _("Assessment plan sent after the referral"),
    "initial_evaluation": _("Initial evaluation after consent"),
    "initial_iep_meeting": _("First IEP meeting after eligibility"),
    "annual_review": _("Annual review"),
    "reevaluation": _("Reevaluation"),
    "progress_report": _("Progress report for the reporting period"),
    "transition_plan": _("Transition plan in the IEP"),
    "age_of_majority_notice": _("Notice that rights pass to the student at the age of majority"),
    "plan_signature": _("The family's signature on the final plan"),
    "initial_services_consent": _("Consent to the first plan's services"),
    "meeting_notice": _("Notice of the IEP meeting"),
    "records_access": _("Access to the child's records"),
    "deferred_concern": _("A concern the team put off until a date"),
}


@dataclass(frozen=True)
class EventKind:
    """A starting event. ``expected``: every IEP student has one (consent, the last
    meeting, a birthday), so not finding it makes the deadline "unknown"; otherwise it
    happens now and then (a period ends, a concern is deferred) and each time it happens
    starts one deadline."""

    label: Promise
    expected: bool
    # Why SamePage may not know the date, in plain words (only for expected events).
    unknown_reason: Promise | None = None


EVENTS: dict[str, EventKind] = {
    "referral": EventKind(
        _("the referral for an evaluation"),
        True,
        _("SamePage has no record of when the student was referred for an evaluation."),
    ),
    "evaluation_consent": EventKind(
        _("the parent's consent to the initial evaluation"),
        True,
        _("SamePage has no record of the date the parent gave consent to the evaluation."),
    ),
    "eligibility": EventKind(
        _("the decision that the student is eligible"),
        True,
        _("SamePage has no record of the date the team found the student eligible."),
    ),
    "last_iep_meeting": EventKind(
        _("the last IEP meeting"),
        True,
        _("No plan in effect has a meeting date, so the next review cannot be counted."),
    ),
    "last_evaluation": EventKind(
        _("the last evaluation"),
        True,
        _("SamePage has no record of the student's last evaluation."),
    ),
    "turns_transition_age": EventKind(_("the student reaching the transition age"), True),
    "turns_age_of_majority": EventKind(_("the student reaching the age of majority"), True),
    "reporting_period_ended": EventKind(_("the end of the reporting period"), False),
    "plan_finalized": EventKind(_("the plan made final"), False),
    "initial_plan_finalized": EventKind(_("the first plan made final"), False),
    "meeting_scheduled": EventKind(_("the meeting date"), False),
    "records_requested": EventKind(_("the request to see the records"), False),
    "concern_deferred_until": EventKind(_("the date the concern was put off until"), False),
}

REQUIRED = ("start", "length", "unit", "citation")
OPTIONAL = ("counts", "breaks_over")


@dataclass(frozen=True)
class Rule:
    key: str
    start: str
    length: int
    unit: str
    citation: str
    counts: str = days.AFTER
    breaks_over: int | None = None

    @property
    def title(self) -> Promise:
        return TITLES[self.key]

    @property
    def event(self) -> EventKind:
        return EVENTS[self.start]


@dataclass(frozen=True)
class Pack:
    name: str
    rules: tuple[Rule, ...]
    # The state's fixed-date holidays (month, day) that business days skip.
    holidays: tuple[tuple[int, int], ...] = ()

    def rule(self, key: str) -> Rule | None:
        return next((r for r in self.rules if r.key == key), None)


class PackError(ValidationError):
    """A rule pack that cannot be used, with what is wrong in the reader's language."""


def _refuse(message: Any, code: str, **params: Any) -> PackError:
    return PackError(message, code=code, params=params)


def _whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_rule(key: str, raw: Any) -> Rule:
    """One rule of a pack, checked."""
    if key not in TITLES:
        raise _refuse(_("The rule “%(rule)s” is not one SamePage knows."), "unknown_rule", rule=key)
    if not isinstance(raw, Mapping):
        raise _refuse(_("The rule “%(rule)s” is not a table of fields."), "not_a_table", rule=key)
    for name in REQUIRED:
        if name not in raw:
            raise _refuse(
                _("The rule “%(rule)s” has no “%(field)s”."), "missing_field", rule=key, field=name
            )
    unknown = sorted(set(raw) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise _refuse(
            _("The rule “%(rule)s” has a field SamePage does not know: “%(field)s”."),
            "unknown_field",
            rule=key,
            field=unknown[0],
        )
    if raw["start"] not in EVENTS:
        raise _refuse(
            _("The rule “%(rule)s” starts from “%(event)s”, an event SamePage does not know."),
            "unknown_event",
            rule=key,
            event=raw["start"],
        )
    if raw["unit"] not in days.UNITS:
        raise _refuse(
            _(
                "The rule “%(rule)s” counts in “%(unit)s”: use calendar_days, school_days, "
                "business_days or years."
            ),
            "unknown_unit",
            rule=key,
            unit=raw["unit"],
        )
    length = raw["length"]
    limit = MAX_YEARS if raw["unit"] == days.YEARS else MAX_DAYS
    if not _whole_number(length) or length < 0 or length > limit:
        raise _refuse(
            _(
                "The rule “%(rule)s” has the length “%(length)s”: use a whole number "
                "from 0 to %(limit)s."
            ),
            "bad_length",
            rule=key,
            length=length,
            limit=limit,
        )
    counts = raw.get("counts", days.AFTER)
    if counts not in (days.AFTER, days.BEFORE):
        raise _refuse(
            _("The rule “%(rule)s” counts “%(counts)s”: use after or before."),
            "bad_direction",
            rule=key,
            counts=counts,
        )
    breaks_over = raw.get("breaks_over")
    if breaks_over is not None and (
        not _whole_number(breaks_over) or breaks_over < 0 or raw["unit"] == days.YEARS
    ):
        raise _refuse(
            _("The rule “%(rule)s” pauses over breaks of “%(value)s” days: use a whole number."),
            "bad_breaks",
            rule=key,
            value=breaks_over,
        )
    if not isinstance(raw["citation"], str) or not raw["citation"].strip():
        raise _refuse(_("The rule “%(rule)s” has no citation."), "missing_field", rule=key)
    return Rule(
        key=key,
        start=raw["start"],
        length=length,
        unit=raw["unit"],
        citation=raw["citation"].strip(),
        counts=counts,
        breaks_over=breaks_over,
    )


def _holiday(text: Any, pack: str) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in str(text).split("-"))
        date(2028, month, day)  # a leap year: 02-29 is a date
    except (TypeError, ValueError):
        raise _refuse(
            _("The pack “%(pack)s” names the holiday “%(value)s”: write it as MM-DD."),
            "bad_holiday",
            pack=pack,
            value=text,
        ) from None
    return month, day


def _read(name: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _refuse(
            _("The pack “%(pack)s” is not valid TOML: %(error)s"),
            "bad_toml",
            pack=name,
            error=error,
        ) from None


def parse_pack(name: str, text: str, *, base: Pack | None = None) -> Pack:
    """A pack from its TOML text; ``base``: the pack it extends."""
    data = _read(name, text)
    rules_raw = data.get("rules", {})
    if not isinstance(rules_raw, Mapping):
        raise _refuse(_("The pack “%(pack)s” has no table of rules."), "no_rules", pack=name)
    rules = {r.key: r for r in (base.rules if base else ())}
    for key, raw in rules_raw.items():
        rules[key] = parse_rule(key, raw)
    holidays = list(base.holidays if base else ())
    holidays += [_holiday(h, name) for h in data.get("holidays", [])]
    return Pack(name=name, rules=tuple(rules.values()), holidays=tuple(holidays))


def pack_names() -> list[str]:
    return sorted(path.stem for path in PACKS_DIR.glob("*.toml"))


@cache
def load_pack(name: str = DEFAULT_PACK) -> Pack:
    """A pack from ``packs/<name>.toml`` (and the pack it extends), checked once."""
    if name not in pack_names():
        raise _refuse(_("There is no rule pack named “%(pack)s”."), "unknown_pack", pack=name)
    text = (PACKS_DIR / f"{name}.toml").read_text(encoding="utf-8")
    parent = _read(name, text).get("extends")
    base = load_pack(parent) if parent and parent != name else None
    return parse_pack(name, text, base=base)


PACK_TITLES: dict[str, Promise] = {
    "federal": _("Federal rules (IDEA)"),
    "california": _("California"),
}
