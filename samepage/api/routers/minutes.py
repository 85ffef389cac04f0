"""Service minutes: a child's services with their delivery, the sessions, logging one
and voiding one.

Thin, like the pages in samepage/minutes/views.py: ``minutes.permissions`` decides
(student missing or not visible → 404; progress not shared, or the write not allowed →
403; another student's session or service → 404), the actions validate, write and
audit, the selectors and the arithmetic read. Every read leaves one AccessEvent with
part "progress".
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from samepage.api.auth import api_user
from samepage.api.pagination import Keyset, PageIn, body, page_of
from samepage.api.schemas import ErrorOut, RecordId, ValidationErrorOut
from samepage.api.schemas_minutes import (
    ServiceSummaryOut,
    SessionIn,
    SessionOut,
    VoidIn,
)
from samepage.core.access_log import record_access
from samepage.core.dates import district_today
from samepage.core.models import AccessEvent
from samepage.minutes import actions, arithmetic, selectors
from samepage.minutes.arithmetic import Delivery
from samepage.minutes.models import ServiceSession
from samepage.minutes.permissions import MinutesAccess, access_minutes, access_session
from samepage.minutes.selectors import ServiceSummary
from samepage.teams.permissions import Part

router = Router(tags=["service minutes"])

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {400: ValidationErrorOut, **READ}

# Newest day first, from the (student, -day, -id) index.
SESSIONS = Keyset("service_sessions", ("-day", "-pk"))
SessionPage = page_of(SessionOut)


def _note_view(user: Any, access: MinutesAccess) -> None:
    record_access(user=user, access=access.record, part=Part.PROGRESS, via=AccessEvent.Via.API)


def _span(span: Delivery, words: str) -> dict[str, Any]:
    return {
        "first": span.first,
        "last": span.last,
        "prescribed": span.prescribed,
        "due_so_far": span.due_so_far,
        "delivered": span.delivered,
        "sessions_held": span.held,
        "sessions_missed": span.missed,
        "percent": span.percent,
        "words": words,
    }


def _summary(summary: ServiceSummary) -> dict[str, Any]:
    service = summary.service
    book = summary.ledger
    return {
        "lineage_id": summary.lineage,
        "description": service.description,
        "provider_role": service.provider_role,
        "minutes": service.minutes,
        "frequency_unit": service.frequency_unit,
        "start_date": service.start_date,
        "end_date": service.end_date,
        "ended": summary.is_ended,
        "measurable": summary.is_measurable,
        "week": _span(summary.week, summary.week_words),
        "month": _span(summary.month, summary.month_words),
        "ledger": {
            "owed": book.owed,
            "made_up": book.made_up,
            "balance": book.balance,
            "not_owed": book.not_owed,
            "words": arithmetic.owed_words(book),
        },
        "below_threshold": summary.is_below,
        "threshold_percent": summary.rules.threshold_percent,
        "summary": summary.summary_words,
    }


def _session(
    session: ServiceSession, access: MinutesAccess, names: dict[uuid.UUID, str]
) -> dict[str, Any]:
    return {
        "id": session.pk,
        "student_id": session.student_id,
        "service_lineage": str(session.service_lineage),
        "service": names.get(session.service_lineage, ""),
        "day": session.day,
        "minutes": session.minutes,
        "status": session.status,
        "missed_reason": session.missed_reason,
        "note": session.note,
        "make_up": session.is_make_up,
        "staff_note": session.staff_note if access.can_see_staff_notes else None,
        "entered_by": session.entered_by,
        "entered_at": session.entered_at,
        "voided_at": session.voided_at,
        "void_reason": session.void_reason,
    }


def _names(access: MinutesAccess, sessions: list[ServiceSession]) -> dict[uuid.UUID, str]:
    return selectors.service_names(access.student, [], sessions)


@router.get(
    "/students/{student_id}/services",
    response={200: list[ServiceSummaryOut], **READ},
    summary="The services of the plan in effect, with this week's and month's delivery",
)
def list_services(request: HttpRequest, student_id: RecordId) -> list[dict[str, Any]]:
    user = api_user(request)
    access = access_minutes(user, student_id)
    today = district_today(access.student.district)
    summaries = selectors.service_summaries(access.student, today)
    _note_view(user, access)
    return [_summary(s) for s in summaries]


@router.get(
    "/students/{student_id}/service-sessions",
    response={200: SessionPage, **WRITE},
    summary="Logged service sessions, newest day first (voided ones included, marked)",
)
def list_sessions(
    request: HttpRequest, student_id: RecordId, page: Query[PageIn]
) -> dict[str, Any]:
    user = api_user(request)
    access = access_minutes(user, student_id)
    SESSIONS.check(page)
    _note_view(user, access)
    found = SESSIONS.page(selectors.sessions_for(access.student), page)
    names = _names(access, found.items)
    return body(found, [_session(s, access, names) for s in found.items])


@router.post(
    "/students/{student_id}/service-sessions",
    response={201: SessionOut, **WRITE},
    summary="Log a session, delivered or missed (staff who may log service minutes)",
)
def log_session(
    request: HttpRequest, student_id: RecordId, payload: SessionIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    access = access_minutes(user, student_id, action="log")
    session = actions.check_log_session(
        access.student,
        actor=user,
        access=access,
        service_lineage=payload.service,
        day=payload.day,
        minutes=payload.minutes,
        status=payload.status,
        missed_reason=payload.missed_reason,
        note=payload.note,
        staff_note=payload.staff_note,
        is_make_up=payload.make_up,
        client_key=payload.client_key,
    )
    fresh = selectors.sessions_for(access.student).get(pk=session.pk)
    return Status(201, _session(fresh, access, _names(access, [fresh])))


@router.post(
    "/students/{student_id}/service-sessions/{session_id}/void",
    response={200: SessionOut, **WRITE},
    summary="Void a session with the reason (kept, shown as voided)",
)
def void_session(
    request: HttpRequest, student_id: RecordId, session_id: RecordId, payload: VoidIn
) -> dict[str, Any]:
    user = api_user(request)
    access, session = access_session(user, student_id, session_id, action="void")
    actions.check_void_session(session, actor=user, access=access, reason=payload.reason)
    fresh = selectors.sessions_for(access.student).get(pk=session.pk)
    return _session(fresh, access, _names(access, [fresh]))
