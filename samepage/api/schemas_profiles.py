"""What the profile and student voice API sends and takes."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class AuthorOut(Schema):
    id: int
    name: str


class CorrectionOut(Schema):
    id: int
    entry_id: int
    text: str
    status: str
    requested_by: AuthorOut
    requested_at: datetime
    answer: str
    answered_by: AuthorOut | None
    answered_at: datetime | None


class ProfileEntryOut(Schema):
    """One entry of the child's profile, as written (never translated)."""

    id: int
    section: str
    section_label: str
    text: str
    attribution: str
    attribution_label: str
    author: AuthorOut
    visibility: str
    revision: int
    created_at: datetime
    updated_at: datetime
    can_edit: bool
    can_request_correction: bool
    corrections: list[CorrectionOut]


class ProfilePermissionsOut(Schema):
    can_write: bool
    can_see_health: bool
    can_request_correction: bool
    can_answer_corrections: bool
    can_write_voice: bool


class ProfileOut(Schema):
    student_id: int
    entries: list[ProfileEntryOut]
    permissions: ProfilePermissionsOut


class EntryIn(Schema):
    # Defaults let the action explain what is missing, in the caller's language.
    section: str = ""
    text: str = ""
    visibility: str = "team"


class EntryUpdateIn(Schema):
    text: str = ""
    visibility: str | None = None
    revision: int | None = None


class ArchiveIn(Schema):
    revision: int | None = None


class EntryConflictOut(Schema):
    detail: str
    revision: int
    theirs: dict[str, str]
    yours: dict[str, str]


class RevisionOut(Schema):
    number: int
    text: str
    visibility: str | None = None
    author: AuthorOut
    saved_at: datetime


class CorrectionIn(Schema):
    text: str = ""


class AnswerIn(Schema):
    decision: str = ""
    answer: str = ""
    corrected_text: str = ""


class VoiceEntryOut(Schema):
    id: int
    prompt: str
    prompt_label: str
    text: str
    source: str
    from_interview: bool
    author: AuthorOut
    revision: int
    created_at: datetime
    updated_at: datetime


class VoiceIn(Schema):
    prompt: str = ""
    text: str = ""
