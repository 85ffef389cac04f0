"""The problem-solving log: tricky situations, ideas, what the team agreed to try and
how it went.

Thin, like the pages in samepage/problems/views.py: ``problems.permissions`` decides
(student missing or not visible → 404; profile not shared, or the write not allowed →
403), the actions validate, write and audit, the selectors read. Every read leaves one
AccessEvent with part "profile": the log is about what upsets and calms the child.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from samepage.api.auth import api_user
from samepage.api.errors import api_fields
from samepage.api.pagination import Keyset, PageIn, body, page_of
from samepage.api.schemas import ErrorOut, RecordId, ValidationErrorOut
from samepage.api.schemas_problems import (
    CloseIn,
    IdeaIn,
    OutcomeIn,
    SituationConflictOut,
    SituationIn,
    SituationOut,
    SituationSummaryOut,
    SituationUpdateIn,
    ToProfileIn,
    TryIn,
)
from samepage.core.access_log import record_access
from samepage.core.conflicts import EditConflict
from samepage.core.models import AccessEvent
from samepage.problems import actions, selectors
from samepage.problems.models import AgreedTry, TrickySituation
from samepage.problems.permissions import (
    ProblemAccess,
    access_problem_log,
    access_situation,
    access_try,
)
from samepage.teams.permissions import Part

router = Router(tags=["problem solving"])

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {400: ValidationErrorOut, **READ}


def _note_view(user: Any, access: ProblemAccess) -> None:
    record_access(user=user, access=access.record, part=Part.PROFILE, via=AccessEvent.Via.API)


def _summary(s: TrickySituation) -> dict[str, Any]:
    return {
        "id": s.pk,
        "student_id": s.student_id,
        "summary": s.summary,
        "status": s.status,
        "raised_by": s.raised_by,
        "created_at": s.created_at,
        "idea_count": getattr(s, "idea_count", 0),
        "try_count": getattr(s, "try_count", 0),
    }


def _try(agreed: AgreedTry) -> dict[str, Any]:
    outcome = getattr(agreed, "outcome", None)
    link = getattr(outcome, "profile_link", None) if outcome is not None else None
    return {
        "id": agreed.pk,
        "what": agreed.what,
        "owner": agreed.owner,
        "due_on": agreed.due_on,
        "follow_up_on": agreed.follow_up_on,
        "agreed_by": agreed.agreed_by,
        "created_at": agreed.created_at,
        "outcome": None
        if outcome is None
        else {
            "result": outcome.result,
            "note": outcome.note,
            "recorded_by": outcome.recorded_by,
            "created_at": outcome.created_at,
            "profile_entry_id": link.entry_id if link is not None else None,
        },
    }


def _situation(access: ProblemAccess, situation_id: int) -> dict[str, Any]:
    """The situation as it is now, with what this reader may see of the profile."""
    s = selectors.situation_detail(TrickySituation.objects.filter(pk=situation_id)).get()
    profile = access.profile
    return {
        **_summary(s),
        "what_happens": s.what_happens,
        "when_it_happens": s.when_it_happens,
        "where_it_happens": s.where_it_happens,
        "revision": s.revision,
        "closed_at": s.closed_at,
        "profile_links": [
            {
                "entry_id": link.entry_id,
                "section": link.entry.section,
                "text": link.entry.text,
                "from_outcome_id": link.from_outcome_id,
            }
            for link in s.profile_links.all()
            if profile.can_see_entry(link.entry)
        ],
        "ideas": list(s.ideas.all()),
        "tries": [_try(t) for t in s.tries.all()],
    }


SITUATIONS = Keyset("situations", selectors.LOG_ORDER)
SituationPage = page_of(SituationSummaryOut)


@router.get(
    "/students/{student_id}/situations",
    response={200: SituationPage, **WRITE},
    summary="The problem-solving log: open situations first, newest first",
)
def list_situations(
    request: HttpRequest, student_id: RecordId, page: Query[PageIn]
) -> dict[str, Any]:
    user = api_user(request)
    access = access_problem_log(user, student_id)
    SITUATIONS.check(page)
    _note_view(user, access)
    found = SITUATIONS.page(selectors.situations_for(access.student), page, few=True)
    return body(found, [_summary(s) for s in found.items])


@router.post(
    "/students/{student_id}/situations",
    response={201: SituationOut, **WRITE},
    summary="Raise a tricky situation (anyone who may see the child's profile)",
)
def raise_situation(
    request: HttpRequest, student_id: RecordId, payload: SituationIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    access = access_problem_log(user, student_id, action="raise")
    with api_fields({"entries": "entry_ids"}):
        situation = actions.check_raise_situation(
            access.student,
            actor=user,
            access=access,
            summary=payload.summary,
            what_happens=payload.what_happens,
            when_it_happens=payload.when_it_happens,
            where_it_happens=payload.where_it_happens,
            entry_ids=payload.entry_ids,
        )
    return Status(201, _situation(access, situation.pk))


@router.get(
    "/students/{student_id}/situations/{situation_id}",
    response={200: SituationOut, **READ},
    summary="One situation with its ideas, tries and outcomes",
)
def get_situation(
    request: HttpRequest, student_id: RecordId, situation_id: RecordId
) -> dict[str, Any]:
    user = api_user(request)
    access, situation = access_situation(user, student_id, situation_id)
    _note_view(user, access)
    return _situation(access, situation.pk)


@router.put(
    "/students/{student_id}/situations/{situation_id}",
    response={200: SituationOut, 409: SituationConflictOut, **WRITE},
    summary="Change the words of a situation; send the revision you read (409 if stale)",
)
def update_situation(
    request: HttpRequest, student_id: RecordId, situation_id: RecordId, payload: SituationUpdateIn
) -> dict[str, Any] | Status[dict[str, Any]]:
    user = api_user(request)
    access, situation = access_situation(user, student_id, situation_id, action="edit")
    try:
        actions.check_edit_situation(
            situation,
            actor=user,
            access=access,
            expected_revision=payload.revision,
            summary=payload.summary,
            what_happens=payload.what_happens,
            when_it_happens=payload.when_it_happens,
            where_it_happens=payload.where_it_happens,
        )
    except EditConflict as conflict:
        return Status(
            409,
            {
                "detail": str(conflict.message),
                "revision": conflict.revision,
                "theirs": {k: str(v) for k, v in conflict.theirs.items()},
                "yours": {k: str(v) for k, v in conflict.yours.items()},
            },
        )
    return _situation(access, situation.pk)


@router.post(
    "/students/{student_id}/situations/{situation_id}/ideas",
    response={201: SituationOut, **WRITE},
    summary="Add an idea (anyone who may see the situation, the family included)",
)
def add_idea(
    request: HttpRequest, student_id: RecordId, situation_id: RecordId, payload: IdeaIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    access, situation = access_situation(user, student_id, situation_id, action="idea")
    actions.check_add_idea(situation, actor=user, access=access, text=payload.text)
    return Status(201, _situation(access, situation.pk))


@router.post(
    "/students/{student_id}/situations/{situation_id}/tries",
    response={201: SituationOut, **WRITE},
    summary="Record what the team agreed to try (staff on the team): owner and dates",
)
def agree_try(
    request: HttpRequest, student_id: RecordId, situation_id: RecordId, payload: TryIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    access, situation = access_situation(user, student_id, situation_id, action="agree")
    with api_fields({"owner": "owner_id"}):
        actions.check_agree_try(
            situation,
            actor=user,
            access=access,
            what=payload.what,
            owner_id=payload.owner_id,
            due_on=payload.due_on,
            follow_up_on=payload.follow_up_on,
        )
    return Status(201, _situation(access, situation.pk))


@router.post(
    "/students/{student_id}/situations/{situation_id}/tries/{try_id}/outcome",
    response={201: SituationOut, **WRITE},
    summary="Record how a try went (its owner, or staff on the team), once",
)
def record_outcome(
    request: HttpRequest,
    student_id: RecordId,
    situation_id: RecordId,
    try_id: RecordId,
    payload: OutcomeIn,
) -> Status[dict[str, Any]]:
    user = api_user(request)
    access, agreed = access_try(user, student_id, situation_id, try_id, action="outcome")
    actions.check_record_outcome(
        agreed, actor=user, access=access, result=payload.result, note=payload.note
    )
    return Status(201, _situation(access, agreed.situation_id))


@router.post(
    "/students/{student_id}/situations/{situation_id}/close",
    response={200: SituationOut, **WRITE},
    summary="Close a situation as resolved or no longer happening (kept in the log)",
)
def close_situation(
    request: HttpRequest, student_id: RecordId, situation_id: RecordId, payload: CloseIn
) -> dict[str, Any]:
    user = api_user(request)
    access, situation = access_situation(user, student_id, situation_id, action="edit")
    actions.check_close_situation(situation, actor=user, access=access, status=payload.status)
    return _situation(access, situation.pk)


@router.post(
    "/students/{student_id}/situations/{situation_id}/reopen",
    response={200: SituationOut, **WRITE},
    summary="Reopen a closed situation: it is happening again",
)
def reopen_situation(
    request: HttpRequest, student_id: RecordId, situation_id: RecordId
) -> dict[str, Any]:
    user = api_user(request)
    access, situation = access_situation(user, student_id, situation_id, action="edit")
    actions.check_reopen_situation(situation, actor=user, access=access)
    return _situation(access, situation.pk)


@router.post(
    "/students/{student_id}/situations/{situation_id}/tries/{try_id}/profile",
    response={201: SituationOut, **WRITE},
    summary=(
        "Add what helped to the child's profile (calming or triggers), in the caller's "
        "name and linked to the situation; once per outcome"
    ),
)
def add_to_profile(
    request: HttpRequest,
    student_id: RecordId,
    situation_id: RecordId,
    try_id: RecordId,
    payload: ToProfileIn,
) -> Status[dict[str, Any]]:
    user = api_user(request)
    access, agreed = access_try(user, student_id, situation_id, try_id, action="feed")
    actions.check_add_to_profile(
        agreed, actor=user, access=access, section=payload.section, text=payload.text
    )
    return Status(201, _situation(access, agreed.situation_id))
