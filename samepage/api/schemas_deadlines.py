"""What the deadlines API sends: a child's stored deadlines, each with its rule, source
and dates, and how many days are left by the district's today."""

from __future__ import annotations

from datetime import date

from ninja import Schema


class DeadlineOut(Schema):
    id: int
    student_id: int
    # The rule's key in the district's pack ("initial_evaluation", "annual_review"…).
    rule_key: str
    # The rule's title, in the reader's language.
    title: str
    # What the occurrence is about, in the record's own words (a period's name), or "".
    about: str
    # Where the rule comes from ("34 CFR 300.301(c)(1)").
    citation: str
    # The event it is counted from (a key of the deadline engine's events), and its name
    # in the reader's language.
    start_event: str
    start_event_label: str
    # Null when the starting event is not on record (status "unknown").
    start_date: date | None
    due_date: date | None
    met_on: date | None
    # "open", "met", "unknown" or "closed" (no longer needed).
    status: str
    # Days from the district's today to the due date (negative: overdue); null unless open.
    days_left: int | None
    overdue: bool
    # The same, in plain words in the reader's language ("3 days left", "Due today").
    when: str
