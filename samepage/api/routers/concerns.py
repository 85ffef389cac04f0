"""Parent concerns and how the team answered them.

Thin, like the pages in samepage/concerns/views.py: ``concerns.permissions`` decides
(student missing or not visible → 404; plans not shared, or the write not allowed →
403), the actions validate, write and audit, the selectors read. Every read leaves one
AccessEvent with part "plans": concerns are part of the plan.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from samepage.api.auth import api_user
from samepage.api.errors import api_fields
from samepage.api.pagination import Keyset, PageIn, body, page_of
from samepage.api.schemas import ErrorOut, RecordId, ValidationErrorOut
from samepage.api.schemas_concerns import (
    ConcernIn,
    ConcernOut,
    DeclineIn,
    DeferIn,
    LinkIn,
    TraceOut,
)
from samepage.concerns import actions, selectors
from samepage.concerns.models import ConcernOutcome, ParentConcern
from samepage.concerns.permissions import (
    ConcernAccess,
    access_concern,
    access_concerns,
    check_concern_action,
)
from samepage.concerns.presenters import wording_for
from samepage.concerns.selectors import ItemWording
from samepage.core.access_log import record_access
from samepage.core.models import AccessEvent
from samepage.teams.permissions import Part

router = Router(tags=["concerns"])

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {400: ValidationErrorOut, **READ}


def _note_view(user: Any, access: ConcernAccess) -> None:
    record_access(user=user, access=access.record, part=Part.PLANS, via=AccessEvent.Via.API)


def _outcome(o: ConcernOutcome, wording: ItemWording) -> dict[str, Any]:
    return {
        "id": o.pk,
        "kind": o.kind,
        "plan_id": o.plan_id,
        "target": o.target,
        "target_label": wording.label(o.plan_id, o.target, o.target_label) or "",
        "note": o.note,
        "decline_reason": o.decline_reason,
        "deferred_until": o.deferred_until,
        "decided_by": o.decided_by,
        "created_at": o.created_at,
    }


def _concern(concern: ParentConcern, wording: ItemWording) -> dict[str, Any]:
    """One concern as this reader may read it: an item only in the unshared draft reads
    "answered in the next draft" (the pages' ``ItemWording``)."""
    state = concern.state
    latest = state.latest
    return {
        "id": concern.pk,
        "student_id": concern.student_id,
        "category": concern.category,
        "importance": concern.importance,
        "text": concern.text,
        "status": state.status,
        "author": concern.author,
        "on_behalf_of": concern.on_behalf_of,
        "heard_from": concern.heard_from,
        "recorded_by_phone": concern.recorded_by_phone,
        "created_at": concern.created_at,
        "landed": [
            {
                "plan_id": o.plan_id,
                "target": o.target,
                "target_label": wording.label(o.plan_id, o.target, o.target_label) or "",
                "text": wording.text(
                    o.plan_id, o.target, o.target_label, o.plan.plan_type if o.plan else "iep"
                ),
                "note": o.note,
            }
            for o in state.landed
        ],
        "decline_reason": latest.decline_reason if latest is not None else "",
        "deferred_until": latest.deferred_until if latest is not None else None,
        "outcomes": [_outcome(o, wording) for o in concern.outcomes.all()],
    }


def _fresh(concern: ParentConcern, access: ConcernAccess) -> dict[str, Any]:
    """The concern as it is now, with every outcome."""
    fresh = selectors.concerns_for(concern.student).get(pk=concern.pk)
    return _concern(fresh, wording_for(access))


# Oldest first, as the family wrote them (the pages' order); the student's concerns come
# from the student's index, a family's handful a year.
CONCERNS = Keyset("concerns", ("created_at", "pk"))
ConcernPage = page_of(ConcernOut)


@router.get(
    "/students/{student_id}/concerns",
    response={200: ConcernPage, **WRITE},
    summary="The family's concerns, oldest first, with status and where each landed",
)
def list_concerns(
    request: HttpRequest, student_id: RecordId, page: Query[PageIn]
) -> dict[str, Any]:
    user = api_user(request)
    access = access_concerns(user, student_id)
    CONCERNS.check(page)
    _note_view(user, access)
    wording = wording_for(access)
    found = CONCERNS.page(selectors.concerns_for(access.student), page)
    return body(found, [_concern(c, wording) for c in found.items])


@router.post(
    "/students/{student_id}/concerns",
    response={201: ConcernOut, **WRITE},
    summary=(
        "Add a concern (family, adult student, or an advocate on behalf of the guardian "
        "who gave consent); staff send heard_from_id to record one a guardian told them"
    ),
)
def add_concern(
    request: HttpRequest, student_id: RecordId, payload: ConcernIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    access = access_concerns(user, student_id)
    fields = {"category": payload.category, "text": payload.text, "importance": payload.importance}
    if payload.heard_from_id is not None or not access.can_add:
        check_concern_action(access, "respond")
        with api_fields({"heard_from": "heard_from_id"}):
            concern = actions.check_record_heard_concern(
                access.student,
                actor=user,
                access=access,
                heard_from_id=payload.heard_from_id,
                **fields,
            )
    else:
        concern = actions.check_add_concern(access.student, actor=user, access=access, **fields)
    return Status(201, _fresh(concern, access))


@router.get(
    "/students/{student_id}/concerns/trace",
    response={200: TraceOut, **READ},
    summary="Every concern, its status and where it landed, with counts by status",
)
def trace_concerns(request: HttpRequest, student_id: RecordId) -> dict[str, Any]:
    # Whole, not paged: the trace is one account (its counts add up to its rows) that
    # prior written notice quotes as a whole, and it is one child's concerns, which grow
    # by a handful a year. GET .../concerns pages the same rows.
    user = api_user(request)
    access = access_concerns(user, student_id)
    _note_view(user, access)
    concerns = list(selectors.concerns_for(access.student))
    wording = wording_for(access)
    return {
        "total": len(concerns),
        "counts": {row.status: row.count for row in selectors.status_counts(concerns)},
        "concerns": [_concern(c, wording) for c in concerns],
    }


@router.get(
    "/students/{student_id}/concerns/{concern_id}",
    response={200: ConcernOut, **READ},
    summary="One concern with the whole history of answers",
)
def get_concern(request: HttpRequest, student_id: RecordId, concern_id: RecordId) -> dict[str, Any]:
    user = api_user(request)
    access, concern = access_concern(user, student_id, concern_id)
    _note_view(user, access)
    return _concern(concern, wording_for(access))


@router.post(
    "/students/{student_id}/concerns/{concern_id}/link",
    response={200: ConcernOut, **WRITE},
    summary="Link a concern to the goal, service, accommodation or section that answers it",
)
def link_concern(
    request: HttpRequest, student_id: RecordId, concern_id: RecordId, payload: LinkIn
) -> dict[str, Any]:
    user = api_user(request)
    access, concern = access_concern(user, student_id, concern_id, action="respond")
    actions.check_link_concern(
        concern,
        actor=user,
        access=access,
        plan_id=payload.plan_id,
        target=payload.target,
        note=payload.note,
    )
    return _fresh(concern, access)


@router.post(
    "/students/{student_id}/concerns/{concern_id}/decline",
    response={200: ConcernOut, **WRITE},
    summary="Decline a concern with a reason (quoted in prior written notice)",
)
def decline_concern(
    request: HttpRequest, student_id: RecordId, concern_id: RecordId, payload: DeclineIn
) -> dict[str, Any]:
    user = api_user(request)
    access, concern = access_concern(user, student_id, concern_id, action="respond")
    actions.check_decline_concern(
        concern, actor=user, access=access, reason=payload.reason, note=payload.note
    )
    return _fresh(concern, access)


@router.post(
    "/students/{student_id}/concerns/{concern_id}/defer",
    response={200: ConcernOut, **WRITE},
    summary="Defer a concern until a date",
)
def defer_concern(
    request: HttpRequest, student_id: RecordId, concern_id: RecordId, payload: DeferIn
) -> dict[str, Any]:
    user = api_user(request)
    access, concern = access_concern(user, student_id, concern_id, action="respond")
    actions.check_defer_concern(
        concern, actor=user, access=access, until=payload.until, note=payload.note
    )
    return _fresh(concern, access)
