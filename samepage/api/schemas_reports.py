"""What the progress reports API receives and sends."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema

from samepage.api.schemas import PersonOut


class PeriodOut(Schema):
    id: int
    name: str
    starts: date
    ends: date


class ReportSummaryOut(Schema):
    """A report in a list: which period, which revision, whether it was issued."""

    id: int
    student_id: int
    period: PeriodOut
    revision: int
    # "draft" (staff only) or "issued".
    status: str
    issued_at: datetime | None
    # The revision this one corrects, if it is a correction.
    replaces_id: int | None


class ScoreOut(Schema):
    day: date
    value: float
    # "school" (counts toward ratings) or "home" (the family's observation, never counts).
    series: str


class GoalEntryOut(Schema):
    """One goal in a report: the rating (canonical code and the district's words in the
    reader's language), the team's words and the data summary frozen at drafting."""

    id: int
    goal_lineage: str
    goal: str
    # "not_started", "insufficient", "sufficient", "met", "discontinued" or "" (not yet).
    rating: str
    rating_label: str
    narrative: str
    evidence_note: str
    evidence_reference: str
    points_in_period: int
    # True when the period has fewer scores than the district needs to judge progress.
    insufficient_data: bool
    insufficient_data_text: str
    summary: list[str]
    last_value: float | None
    last_day: date | None
    trend_per_week: float | None
    projected_on: date | None
    unit: str
    scores: list[ScoreOut]


class AcknowledgementOut(Schema):
    person: PersonOut
    at: datetime


class CommentOut(Schema):
    id: int
    author: PersonOut
    text: str
    language: str
    created_at: datetime


class ReportOut(ReportSummaryOut):
    issued_by: PersonOut | None
    entries: list[GoalEntryOut]
    acknowledgements: list[AcknowledgementOut]
    comments: list[CommentOut]


class CommentIn(Schema):
    text: str
