"""What the quick updates, home notes and timeline API receives and sends."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from samepage.api.schemas import PersonOut


class UpdateIn(Schema):
    text: str
    # "great", "good", "mixed" or "hard".
    day: str
    # "goal:<lineage>" or "accommodation:<lineage>", from the plan in effect (else the
    # latest shared draft).
    tags: list[str] = Field(default_factory=list, max_length=50)
    # What it is written in ("en", "es"), when not the writer's own language.
    language: str | None = None


class TagOut(Schema):
    kind: str
    lineage_id: str
    # The item's current words (the plan in effect first).
    text: str


class SeenOut(Schema):
    """A read receipt: someone (not the writer) was shown the update, first at ``seen_at``."""

    name: str
    seen_at: datetime


class UpdateOut(Schema):
    """A quick update; a withdrawn one keeps its place with no text."""

    id: int
    student_id: int
    author: PersonOut
    day: str
    text: str
    language: str
    tags: list[TagOut]
    created_at: datetime
    withdrawn_at: datetime | None
    # Who has seen it, first seen first: only for staff who may post updates (null for
    # anyone else, the family and advocates included); empty once withdrawn.
    seen_by: list[SeenOut] | None = None


class HomeNoteIn(Schema):
    text: str
    # "sleep", "health", "mood", "event", "other" or "" (not said).
    kind: str = ""
    language: str | None = None


class HomeNoteOut(Schema):
    """A home note; a withdrawn one keeps its place with no text and no file."""

    id: int
    student_id: int
    author: PersonOut
    kind: str
    text: str
    language: str
    # The page that serves the file to those who may read the note ("" when none).
    attachment_url: str
    created_at: datetime
    withdrawn_at: datetime | None


class TimelineEntryOut(Schema):
    """One entry of a child's timeline, newest first."""

    kind: str  # update, home_note, message, draft_shared, question_answered, …
    id: int
    at: datetime
    author: PersonOut | None
    # The words written (updates, notes, messages); "" for plan events and withdrawn ones.
    text: str
    withdrawn: bool
    # The page where the entry is read in full.
    link: str
    # For an update, to staff who may post updates: who has seen it (else null).
    seen_by: list[SeenOut] | None = None
