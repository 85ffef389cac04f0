"""What the problem-solving API receives and sends."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema

from samepage.api.schemas import PersonOut


class SituationIn(Schema):
    # Defaults let the action explain what is missing, in the caller's language.
    summary: str = ""
    what_happens: str = ""
    when_it_happens: str = ""
    where_it_happens: str = ""
    # Triggers or calming strategies of this child's profile the situation points at.
    entry_ids: list[int] = []


class SituationUpdateIn(Schema):
    summary: str = ""
    what_happens: str = ""
    when_it_happens: str = ""
    where_it_happens: str = ""
    # The revision you read: 409 if someone saved since.
    revision: int | None = None


class IdeaIn(Schema):
    text: str = ""


class TryIn(Schema):
    what: str = ""
    owner_id: int | None = None
    due_on: date | None = None
    follow_up_on: date | None = None


class OutcomeIn(Schema):
    # "helped", "a_little" or "did_not_help".
    result: str = ""
    note: str = ""


class ProfileLinkOut(Schema):
    """An entry of the child's profile the situation points at."""

    entry_id: int
    section: str
    text: str
    from_outcome_id: int | None


class IdeaOut(Schema):
    id: int
    text: str
    author: PersonOut
    created_at: datetime


class OutcomeOut(Schema):
    result: str
    note: str
    recorded_by: PersonOut
    created_at: datetime
    profile_entry_id: int | None


class TryOut(Schema):
    id: int
    what: str
    owner: PersonOut
    due_on: date
    follow_up_on: date
    agreed_by: PersonOut
    created_at: datetime
    outcome: OutcomeOut | None


class SituationSummaryOut(Schema):
    """One situation as the log lists it."""

    id: int
    student_id: int
    summary: str
    status: str
    raised_by: PersonOut
    created_at: datetime
    idea_count: int
    try_count: int


class SituationOut(Schema):
    """One situation with everything said and tried about it."""

    id: int
    student_id: int
    summary: str
    what_happens: str
    when_it_happens: str
    where_it_happens: str
    status: str
    revision: int
    raised_by: PersonOut
    created_at: datetime
    closed_at: datetime | None
    profile_links: list[ProfileLinkOut]
    ideas: list[IdeaOut]
    tries: list[TryOut]


class SituationConflictOut(Schema):
    detail: str
    revision: int
    theirs: dict[str, str]
    yours: dict[str, str]


class CloseIn(Schema):
    # "resolved" or "stopped" (no longer happening).
    status: str = ""


class ToProfileIn(Schema):
    # "calming" or "triggers".
    section: str = ""
    # Empty: the try's words (calming) or the situation's (triggers).
    text: str = ""
