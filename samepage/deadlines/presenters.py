"""A stored deadline in plain words for its page: the rule, how it is counted, the event
it started from, and how many days are left (against the district's today)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samepage.deadlines import days
from samepage.deadlines.models import Deadline, DeadlineStatus
from samepage.deadlines.rules import EVENTS, TITLES, PackError, Rule, load_pack


def _length(rule: Rule) -> str:
    n = rule.length
    if rule.unit == days.SCHOOL_DAYS:
        return ngettext("%(n)s school day", "%(n)s school days", n) % {"n": n}
    if rule.unit == days.BUSINESS_DAYS:
        return ngettext("%(n)s business day", "%(n)s business days", n) % {"n": n}
    if rule.unit == days.YEARS:
        return ngettext("%(n)s year", "%(n)s years", n) % {"n": n}
    return ngettext("%(n)s calendar day", "%(n)s calendar days", n) % {"n": n}


def counted(rule: Rule) -> str:
    """How the rule counts, in words: "60 calendar days after the parent's consent"."""
    event = EVENTS[rule.start].label
    if rule.length == 0:
        return _("On the day of %(event)s") % {"event": event}
    if rule.counts == days.BEFORE:
        words = _("%(length)s before %(event)s") % {"length": _length(rule), "event": event}
    else:
        words = _("%(length)s after %(event)s") % {"length": _length(rule), "event": event}
    if rule.breaks_over is not None:
        words += " " + (
            ngettext(
                "(not counting school breaks of more than %(n)s school day)",
                "(not counting school breaks of more than %(n)s school days)",
                rule.breaks_over,
            )
            % {"n": rule.breaks_over}
        )
    return words


def when(row: Deadline, today: date) -> str:
    """Days left, due today, or days overdue; for the other statuses, what they mean."""
    if row.status == DeadlineStatus.UNKNOWN:
        kind = EVENTS.get(row.start_event)
        if kind is not None and kind.unknown_reason is not None:
            return str(kind.unknown_reason)
        return _("The date it starts from is not on record, so it cannot be worked out.")
    if row.status == DeadlineStatus.MET:
        return _("Done.")
    if row.due_date is None:
        return ""
    left = (row.due_date - today).days
    if left > 0:
        return ngettext("%(n)s day left", "%(n)s days left", left) % {"n": left}
    if left == 0:
        return _("Due today")
    return ngettext("%(n)s day overdue", "%(n)s days overdue", -left) % {"n": -left}


@dataclass(frozen=True)
class DeadlineLine:
    row: Deadline
    title: Any
    counted: str
    event: Any
    when: str
    overdue: bool


def lines(rows: list[Deadline], today: date) -> list[DeadlineLine]:
    """The page's lines: open ones first (soonest due), then unknown, then done."""
    found = []
    for row in rows:
        try:
            rule = load_pack(row.pack).rule(row.rule_key)
        except PackError:
            rule = None
        kind = EVENTS.get(row.start_event)
        found.append(
            DeadlineLine(
                row=row,
                title=TITLES.get(row.rule_key, row.rule_key),
                counted=counted(rule) if rule is not None else "",
                event=kind.label if kind is not None else row.start_event,
                when=when(row, today),
                overdue=(
                    row.status == DeadlineStatus.OPEN
                    and row.due_date is not None
                    and row.due_date < today
                ),
            )
        )
    rank = {DeadlineStatus.OPEN: 0, DeadlineStatus.UNKNOWN: 1}
    return sorted(
        found,
        key=lambda line: (rank.get(line.row.status, 2), line.row.due_date or date.max),  # type: ignore[call-overload]
    )
