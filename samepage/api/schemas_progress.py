"""What the progress API receives and sends: goals' measurements, data points, phase
lines, what the data says (lines, verdicts, alerts, the chart) and alerts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from samepage.api.schemas import PersonOut


class MeasurementIn(Schema):
    """How a goal is measured. Numbers as text or numbers, exact as typed."""

    # The goal (its lineage: the same across the plan's versions and years).
    goal_lineage: UUID
    # "percent", "frequency", "rate", "duration", "latency", "trials", "rubric",
    # "prompt" or "interval".
    kind: str
    # "increase" or "decrease".
    direction: str
    unit: str = Field("", max_length=60)
    baseline_value: str | None = Field(None, max_length=40)
    baseline_date: date | None = None
    target_value: str | None = Field(None, max_length=40)
    target_date: date | None = None
    mastery_value: str | None = Field(None, max_length=40)
    mastery_sessions: int | None = Field(None, ge=1, le=1000)
    scale_max: str | None = Field(None, max_length=40)
    # The revision you read (a stale one answers 409); leave out for a first setting.
    revision: int | None = None


class MeasurementOut(Schema):
    id: int
    student_id: int
    goal_lineage: UUID
    # The goal's words in the newest version that holds it.
    goal: str
    kind: str
    unit: str
    direction: str
    baseline_value: Decimal | None
    baseline_date: date | None
    target_value: Decimal | None
    target_date: date | None
    mastery_value: Decimal | None
    mastery_sessions: int | None
    scale_max: Decimal | None
    needs_review: bool
    # Why it needs review, in the reader's language.
    review_reasons: list[str]
    revision: int


class MeasurementConflictOut(Schema):
    detail: str
    revision: int
    theirs: dict[str, str | None]
    yours: dict[str, str | None]


class PointIn(Schema):
    day: date
    # Any goal but trials: the value. Trials: ``numerator`` of ``denominator``.
    value: str | None = Field(None, max_length=40)
    numerator: int | None = Field(None, ge=0, le=1_000_000)
    denominator: int | None = Field(None, ge=1, le=1_000_000)
    # "school" (staff who enter progress) or "home" (the family's observation).
    series: str = "school"
    # Made by the client when the entry is made: sending it again stores nothing new.
    client_key: UUID


class CorrectionIn(Schema):
    reason: str = Field(max_length=2000)
    day: date | None = None
    value: str | None = Field(None, max_length=40)
    numerator: int | None = Field(None, ge=0, le=1_000_000)
    denominator: int | None = Field(None, ge=1, le=1_000_000)
    client_key: UUID


class VoidIn(Schema):
    reason: str = Field(max_length=2000)


class PointOut(Schema):
    id: int
    measurement_id: int
    day: date
    value: Decimal
    numerator: int | None
    denominator: int | None
    series: str
    # Whether ratings and decision rules count it (home observations never do).
    counts: bool
    entered_by: PersonOut
    entered_at: datetime
    voided_at: datetime | None
    voided_by: PersonOut | None
    void_reason: str
    # The voided point this one replaces.
    corrects_id: int | None


class PhaseIn(Schema):
    day: date
    change: str = Field(max_length=5000)


class PhaseOut(Schema):
    id: int
    day: date
    change: str
    by: PersonOut


class LineOut(Schema):
    """A straight line: ``start`` on ``origin``, changing by ``slope`` a week."""

    origin: date
    start: float
    slope: float


class AlertOut(Schema):
    id: int
    measurement_id: int
    goal_lineage: UUID
    # "four_point", "trend" or "mastery".
    rule: str
    # "change_instruction", "raise_goal" or "met".
    advice: str
    # What it means, in plain words in the reader's language.
    text: str
    fired_on: date
    cleared_at: datetime | None


class AnalysisOut(Schema):
    """What a goal's data says: the lines, each rule's verdict, the projection and the
    chart (the same SVG as the page, the emails and the PDF)."""

    measurement: MeasurementOut
    aim: LineOut | None
    trend: LineOut | None
    # "change_instruction", "raise_goal", "continue" or null (too few points to judge).
    four_point: str | None
    trend_verdict: str | None
    mastered: bool
    projected: date | None
    projection: str
    alerts: list[AlertOut]
    phases: list[PhaseOut]
    chart_svg: str
