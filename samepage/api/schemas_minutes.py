"""What the service minutes API receives and sends."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from samepage.api.schemas import PersonOut


class SpanOut(Schema):
    """A service over one week or month: minutes prescribed and delivered."""

    first: date
    last: date
    # For the whole span; and for its days up to the district's today.
    prescribed: int
    due_so_far: int
    delivered: int
    sessions_held: int
    sessions_missed: int
    # Delivered as a whole percent of what was due so far (null: nothing was due yet).
    percent: int | None
    # The span in plain words, in the reader's language.
    words: str


class LedgerOut(Schema):
    """The make-up ledger: minutes owed (missed for the school's reasons), made up, and
    still to make up; ``not_owed``: missed when the student was absent (or a closure)."""

    owed: int
    made_up: int
    balance: int
    not_owed: int
    words: str


class ServiceSummaryOut(Schema):
    """A service of the plan in effect, with its delivery this week and month."""

    lineage_id: str
    description: str
    provider_role: str
    minutes: int | None
    # "day", "week", "month" or "" (the plan does not say).
    frequency_unit: str
    start_date: date | None
    end_date: date | None
    ended: bool
    # Whether the plan says how many minutes how often (else nothing can be counted).
    measurable: bool
    week: SpanOut
    month: SpanOut
    ledger: LedgerOut
    below_threshold: bool
    threshold_percent: int
    # The family's one line: "This month: 90 of 240 minutes, in 3 sessions. ..."
    summary: str


class SessionIn(Schema):
    # The service's lineage, from ``GET .../services``.
    service: str = Field(max_length=64)
    day: date
    minutes: int
    # "delivered" or "missed".
    status: str
    # When missed: "provider_absent", "student_absent", "school_closed" or "other".
    missed_reason: str = ""
    # What happened (needed for "other"); the family sees it.
    note: str = ""
    # For the team only.
    staff_note: str = ""
    make_up: bool = False
    # A key the client makes once per session: sending the same key again returns the
    # session stored the first time, never a second one.
    client_key: str | None = Field(None, max_length=64)


class VoidIn(Schema):
    reason: str


class SessionOut(Schema):
    """A logged session; a voided one keeps its place, with who voided it and why."""

    id: int
    student_id: int
    service_lineage: str
    service: str
    day: date
    minutes: int
    status: str
    missed_reason: str
    note: str
    make_up: bool
    # Only for staff who may see staff-only notes (null for the family and advocates).
    staff_note: str | None = None
    entered_by: PersonOut
    entered_at: datetime
    voided_at: datetime | None
    void_reason: str
