"""What the concerns API receives and sends."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema

from samepage.api.schemas import PersonOut


class ConcernIn(Schema):
    category: str
    text: str
    importance: str = "medium"
    # Staff only: the guardian who told them (by phone or in person).
    heard_from_id: int | None = None


class LinkIn(Schema):
    plan_id: int
    # "goal:<lineage>", "service:<lineage>", "accommodation:<lineage>" or "section:<key>".
    target: str
    note: str = ""


class DeclineIn(Schema):
    reason: str = ""
    note: str = ""


class DeferIn(Schema):
    until: date | None = None
    note: str = ""


class LandingOut(Schema):
    """Where a concern landed in the plan."""

    plan_id: int | None
    target: str
    target_label: str
    text: str
    note: str


class OutcomeOut(Schema):
    """One answer to a concern; the full history is kept."""

    id: int
    kind: str
    plan_id: int | None
    target: str
    target_label: str
    note: str
    decline_reason: str
    deferred_until: date | None
    decided_by: PersonOut
    created_at: datetime


class ConcernOut(Schema):
    id: int
    student_id: int
    category: str
    importance: str
    text: str
    status: str
    author: PersonOut
    on_behalf_of: PersonOut | None
    heard_from: PersonOut | None
    recorded_by_phone: bool
    created_at: datetime
    landed: list[LandingOut]
    decline_reason: str
    deferred_until: date | None
    outcomes: list[OutcomeOut]


class TraceOut(Schema):
    """Every concern with its status; ``counts`` add up to ``total``."""

    total: int
    counts: dict[str, int]
    concerns: list[ConcernOut]
