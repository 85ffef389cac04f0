"""Plans: versions, shared drafts and their questions, meeting, finalize, signatures,
amendments and teachers' acknowledgements.

Thin, like the plan pages: the permission functions of samepage/plans/permissions.py
decide (missing or not visible → 404, visible but not allowed → 403), the lifecycle
actions write and audit, the selectors read. Every read of a child's plan leaves one
AccessEvent (part "plans", via "api").
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from samepage.accounts.models import User
from samepage.api import messages
from samepage.api.auth import api_user
from samepage.api.pagination import Keyset, PageIn, body, page_of
from samepage.api.record_of_access import note_view
from samepage.api.schemas import (
    AcknowledgementOut,
    AcknowledgementsOut,
    AmendmentIn,
    ErrorOut,
    FinalizeBlockedOut,
    FinalizeIn,
    MeetingIn,
    NewPlanIn,
    PlanDetailOut,
    PlanListItemOut,
    PlanVersionContentOut,
    PlanVersionOut,
    QuestionIn,
    QuestionOut,
    RecordId,
    ReplyIn,
    ReplyOut,
    SharedDraftDetailOut,
    SharedDraftListItemOut,
    SharedDraftOut,
    ShareDraftIn,
    SignatureIn,
    SignatureOut,
    ValidationErrorOut,
)
from samepage.core.access_log import record_access
from samepage.core.models import AccessEvent
from samepage.plans import selectors
from samepage.plans.actions import acknowledgements, lifecycle
from samepage.plans.actions.editing import editable_draft
from samepage.plans.content import content_of
from samepage.plans.models import (
    Plan,
    PlanQuestion,
    PlanReply,
    PlanSignature,
    PlanVersion,
    SharedDraft,
)
from samepage.plans.permissions import (
    PlanAccess,
    access_plan,
    access_question,
    access_shared_draft,
    access_version,
    visible_plans,
)
from samepage.schools.models import Student
from samepage.teams.permissions import Part, access_student, reaches_few

router = Router(tags=["plans"])

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {400: ValidationErrorOut, **READ}


def _access(plan: Plan) -> PlanAccess:
    """The PlanAccess that access_plan worked out for this request."""
    return plan.access  # type: ignore[attr-defined,no-any-return]


def _note_plan_view(user: User, plan: Plan) -> None:
    record_access(user=user, access=_access(plan).student, part=Part.PLANS, via=AccessEvent.Via.API)


def _plan_detail(plan: Plan) -> dict[str, Any]:
    access = _access(plan)
    return {
        "id": plan.pk,
        "student": plan.student,
        "plan_type": plan.plan_type,
        "is_initial": plan.is_initial,
        "previous_plan_id": plan.previous_plan_id,
        "created_at": plan.created_at,
        "ended_at": plan.ended_at,
        "versions": selectors.versions_for(plan, access),
        "permissions": {
            "can_edit": access.can_edit,
            "can_see_drafts": access.can_see_drafts,
            "can_ask": access.can_ask,
            "can_answer": access.can_answer,
            "can_sign": access.can_sign,
            "can_acknowledge": access.can_acknowledge,
        },
    }


def _shared_draft(shared: SharedDraft, **more: Any) -> dict[str, Any]:
    return {
        "number": shared.number,
        "version": shared.version.number,
        "shared_by": shared.shared_by,
        "shared_at": shared.shared_at,
        "message": shared.message,
        **more,
    }


def _list_item(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "student": plan.student,
        "plan_type": plan.plan_type,
        "is_initial": plan.is_initial,
        "previous_plan_id": plan.previous_plan_id,
        "created_at": plan.created_at,
        "ended_at": plan.ended_at,
        # Prefetched without drafts (see PlanListItemOut) and without content.
        "versions": plan.listed_versions,  # type: ignore[attr-defined]
    }


# Newest first by id: plans are numbered as they are created, and the primary key's own
# index serves the order (the district admin's list walks it and stops at the page).
PLANS = Keyset("plans", ("-pk",))
PlanPage = page_of(PlanListItemOut)

# What a list item shows of each version: everything but the frozen content, which a
# list never returns (decoding every version's JSON cost a leader's list 85 ms).
LISTED_VERSIONS = Prefetch(
    "versions",
    queryset=PlanVersion.objects.exclude(status=PlanVersion.Status.DRAFT)
    .defer("content")
    .order_by("number"),
    to_attr="listed_versions",
)

PlanState = Annotated[
    Literal["in_effect", "final", "ended"] | None,
    Field(
        None,
        description=(
            "in_effect: a version is in effect; final: finalized and waiting for "
            "signatures, nothing in effect yet; ended: the plan has ended."
        ),
    ),
]


class StudentPlanFilter(Schema):
    plan_type: Literal["iep", "504"] | None = None
    state: PlanState


class PlanFilter(StudentPlanFilter):
    student: RecordId | None = None


def _in_state(plans: QuerySet[Plan], state: str) -> QuerySet[Plan]:
    """The states of ``presenters.plan_state``, as conditions the versions' index serves."""
    if state == "ended":
        return plans.filter(ended_at__isnull=False)
    status = PlanVersion.Status
    versions = PlanVersion.objects.filter(plan=OuterRef("pk"))
    in_effect = Exists(versions.filter(status=status.IN_EFFECT))
    plans = plans.filter(ended_at__isnull=True)
    if state == "in_effect":
        return plans.filter(in_effect)
    return plans.filter(~in_effect, Exists(versions.filter(status=status.FINAL)))


def _plan_rows(
    user: User, filters: StudentPlanFilter, student: Student | None = None
) -> QuerySet[Plan]:
    plans = visible_plans(user)
    if student is not None:
        plans = plans.filter(student=student)
    if isinstance(filters, PlanFilter) and filters.student is not None:
        plans = plans.filter(student_id=filters.student)
    if filters.plan_type is not None:
        plans = plans.filter(plan_type=filters.plan_type)
    if filters.state is not None:
        plans = _in_state(plans, filters.state)
    return plans.select_related("student").prefetch_related(LISTED_VERSIONS)


# Plans ----------------------------------------------------------------------------------


@router.get(
    "/plans",
    response={200: PlanPage, 400: ValidationErrorOut, 401: ErrorOut},
    summary="Plans you may see, for every student, newest first, a page at a time",
)
def list_plans(
    request: HttpRequest, filters: Query[PlanFilter], page: Query[PageIn]
) -> dict[str, Any]:
    # Like the pages' plan list, a list across children records no AccessEvent; opening
    # a plan, or one child's plans, does.
    user = api_user(request)
    found = PLANS.page(_plan_rows(user, filters), page, few=reaches_few(user))
    return body(found, [_list_item(plan) for plan in found.items])


@router.get(
    "/students/{student_id}/plans",
    response={200: PlanPage, 400: ValidationErrorOut, **READ},
    summary="One student's plans, newest first, a page at a time",
)
def list_student_plans(
    request: HttpRequest,
    student_id: RecordId,
    filters: Query[StudentPlanFilter],
    page: Query[PageIn],
) -> dict[str, Any]:
    user = api_user(request)
    student = access_student(user, student_id, part=Part.PLANS)
    PLANS.check(page)
    note_view(user, student, Part.PLANS)
    found = PLANS.page(_plan_rows(user, filters, student), page)
    return body(found, [_list_item(plan) for plan in found.items])


@router.post(
    "/students/{student_id}/plans",
    response={201: PlanDetailOut, **WRITE},
    summary="Start a new plan (an empty draft, carrying last year's items forward)",
)
def create_plan(
    request: HttpRequest, student_id: RecordId, payload: NewPlanIn | None = None
) -> Status[dict[str, Any]]:
    user = api_user(request)
    student = access_student(user, student_id, action="edit_plan", part=Part.PLANS)
    payload = payload or NewPlanIn()
    if payload.plan_type is not None and payload.plan_type not in Plan.PlanType.values:
        raise ValidationError({"plan_type": [messages.CHOOSE_PLAN_TYPE]})
    plan = lifecycle.do_create_plan(
        student,
        actor=user,
        plan_type=payload.plan_type,
        proposed_start=payload.proposed_start,
        proposed_end=payload.proposed_end,
    )
    return Status(201, _plan_detail(access_plan(user, plan.pk, action="edit")))


@router.get(
    "/plans/{plan_id}",
    response={200: PlanDetailOut, **READ},
    summary="A plan with the versions you may see, and what you may do with it",
)
def get_plan(request: HttpRequest, plan_id: RecordId) -> dict[str, Any]:
    user = api_user(request)
    plan = access_plan(user, plan_id, action="view")
    _note_plan_view(user, plan)
    return _plan_detail(plan)


@router.get(
    "/plans/{plan_id}/versions/{number}",
    response={200: PlanVersionContentOut, **READ},
    summary="One version with its whole content (a draft only for staff who see drafts)",
)
def get_version(request: HttpRequest, plan_id: RecordId, number: RecordId) -> dict[str, Any]:
    user = api_user(request)
    version = access_version(user, plan_id, number, action="view")
    _note_plan_view(user, version.plan)
    return {**PlanVersionOut.from_orm(version).model_dump(), "content": content_of(version)}


# Shared drafts and questions ------------------------------------------------------------


@router.post(
    "/plans/{plan_id}/share",
    response={201: SharedDraftOut, **WRITE},
    summary="Share a frozen copy of the draft with the family; later edits stay private",
)
def share_draft(
    request: HttpRequest, plan_id: RecordId, payload: ShareDraftIn | None = None
) -> Status[dict[str, Any]]:
    user = api_user(request)
    plan = access_plan(user, plan_id, action="edit")
    message = payload.message if payload is not None else ""
    shared = lifecycle.do_share_draft(editable_draft(plan), actor=user, message=message)
    return Status(201, _shared_draft(shared))


@router.get(
    "/plans/{plan_id}/shared",
    response={200: list[SharedDraftListItemOut], **READ},
    summary="Drafts shared with the family, newest first, with open questions",
)
def list_shared_drafts(request: HttpRequest, plan_id: RecordId) -> list[dict[str, Any]]:
    # Whole, not paged: the copies of one plan's drafts shared in its one year, a few
    # before each meeting.
    user = api_user(request)
    plan = access_plan(user, plan_id, action="view")
    _note_plan_view(user, plan)
    return [
        _shared_draft(shared, open_questions=shared.open_questions)  # type: ignore[attr-defined]
        for shared in selectors.shared_drafts(plan)
    ]


@router.get(
    "/plans/{plan_id}/shared/{shared_number}",
    response={200: SharedDraftDetailOut, **READ},
    summary="A shared draft as the family saw it, with questions and answers",
)
def get_shared_draft(
    request: HttpRequest, plan_id: RecordId, shared_number: RecordId
) -> dict[str, Any]:
    user = api_user(request)
    shared = access_shared_draft(user, plan_id, shared_number, action="view")
    _note_plan_view(user, shared.version.plan)
    return _shared_draft(shared, content=shared.content, questions=selectors.questions_for(shared))


@router.post(
    "/plans/{plan_id}/shared/{shared_number}/questions",
    response={201: QuestionOut, **WRITE},
    summary="Ask about one part of a shared draft",
)
def ask_question(
    request: HttpRequest, plan_id: RecordId, shared_number: RecordId, payload: QuestionIn
) -> Status[PlanQuestion]:
    user = api_user(request)
    shared = access_shared_draft(user, plan_id, shared_number, action="ask")
    question = lifecycle.do_ask_question(
        shared, actor=user, anchor=payload.anchor, text=payload.text
    )
    return Status(201, question)


@router.post(
    "/plans/{plan_id}/questions/{question_id}/replies",
    response={201: ReplyOut, **WRITE},
    summary="Answer a question (staff) or follow up on it (family)",
)
def reply_to_question(
    request: HttpRequest, plan_id: RecordId, question_id: RecordId, payload: ReplyIn
) -> Status[PlanReply]:
    user = api_user(request)
    question = access_question(user, plan_id, question_id, action="ask")
    by_staff = _access(question.shared_draft.version.plan).can_answer
    reply = lifecycle.do_reply(question, actor=user, text=payload.text, by_staff=by_staff)
    return Status(201, reply)


@router.post(
    "/plans/{plan_id}/questions/{question_id}/resolve",
    response={200: QuestionOut, **WRITE},
    summary="Mark a question resolved",
)
def resolve_question(
    request: HttpRequest, plan_id: RecordId, question_id: RecordId
) -> PlanQuestion:
    user = api_user(request)
    question = access_question(user, plan_id, question_id, action="resolve")
    return lifecycle.do_resolve_question(question, actor=user)


# Meeting and finalize -------------------------------------------------------------------


@router.post(
    "/plans/{plan_id}/meeting",
    response={200: PlanVersionOut, **WRITE},
    summary="Record the date the team met about the draft",
)
def record_meeting(request: HttpRequest, plan_id: RecordId, payload: MeetingIn) -> PlanVersion:
    user = api_user(request)
    plan = access_plan(user, plan_id, action="edit")
    draft = editable_draft(plan)
    if payload.meeting_date is None:
        raise ValidationError({"meeting_date": [messages.ENTER_MEETING_DATE]})
    return lifecycle.do_record_meeting(draft, actor=user, meeting_date=payload.meeting_date)


@router.post(
    "/plans/{plan_id}/finalize",
    response={200: PlanVersionOut, 409: FinalizeBlockedOut, **WRITE},
    summary="Finalize the draft, or learn what blocks it (409)",
)
def finalize(
    request: HttpRequest, plan_id: RecordId, payload: FinalizeIn | None = None
) -> PlanVersion | Status[dict[str, Any]]:
    user = api_user(request)
    plan = access_plan(user, plan_id, action="edit")
    overrides = payload.overrides if payload is not None else {}
    try:
        return lifecycle.check_finalize(editable_draft(plan), actor=user, overrides=overrides)
    except lifecycle.FinalizeBlocked as blocked:
        return Status(
            409,
            {
                "detail": str(messages.FINALIZE_BLOCKED),
                "errors": blocked.errors,
                "warnings": blocked.warnings,
            },
        )


# Signatures -----------------------------------------------------------------------------


@router.post(
    "/plans/{plan_id}/versions/{number}/signatures",
    response={201: SignatureOut, **WRITE},
    summary="Sign a final version: agree, agree except, or disagree",
)
def sign_version(
    request: HttpRequest, plan_id: RecordId, number: RecordId, payload: SignatureIn
) -> Status[PlanSignature]:
    user = api_user(request)
    version = access_version(user, plan_id, number, action="sign")
    signature = lifecycle.do_sign(
        version,
        actor=user,
        access=_access(version.plan),
        decision=payload.decision,
        typed_name=payload.typed_name,
        exceptions=payload.exceptions,
        statement=payload.statement,
        consent_to_initial_services=payload.consent_to_initial_services,
        ip=request.META.get("REMOTE_ADDR"),
        user_agent=request.headers.get("User-Agent", ""),
    )
    signature.version = version
    return Status(201, signature)


@router.get(
    "/plans/{plan_id}/versions/{number}/signatures",
    response={200: list[SignatureOut], **READ},
    summary="Who signed a version, and what they decided",
)
def list_signatures(
    request: HttpRequest, plan_id: RecordId, number: RecordId
) -> list[PlanSignature]:
    user = api_user(request)
    # Whole, not paged: the guardians and adult student who sign one version.
    version = access_version(user, plan_id, number, action="view")
    _note_plan_view(user, version.plan)
    signatures = selectors.signatures_for(version)
    for signature in signatures:
        signature.version = version
    return signatures


# Amendments -----------------------------------------------------------------------------


@router.post(
    "/plans/{plan_id}/amendments",
    response={201: PlanVersionOut, **WRITE},
    summary="Start an amendment of the plan in effect (a new draft version)",
)
def start_amendment(
    request: HttpRequest, plan_id: RecordId, payload: AmendmentIn
) -> Status[PlanVersion]:
    user = api_user(request)
    plan = access_plan(user, plan_id, action="edit")
    version = lifecycle.do_start_amendment(
        plan,
        actor=user,
        reason=payload.reason,
        parts=payload.parts,
        effective_date=payload.effective_date,
    )
    return Status(201, version)


# Acknowledgements -----------------------------------------------------------------------


@router.post(
    "/plans/{plan_id}/versions/{number}/acknowledgements",
    response={201: AcknowledgementOut, **WRITE},
    summary="Confirm, as a general-education teacher, that you read this version",
)
def acknowledge_version(
    request: HttpRequest, plan_id: RecordId, number: RecordId
) -> Status[dict[str, Any]]:
    user = api_user(request)
    plan = access_plan(user, plan_id, action="acknowledge")
    # A teacher reads (and so acknowledges) only the version at a glance; any other
    # number answers like a missing one.
    version = selectors.glance_version(plan)
    if version is None or version.number != number:
        raise Http404
    acknowledgement = acknowledgements.do_acknowledge(version, actor=user)
    return Status(
        201,
        {
            "version": version.number,
            "teacher": user,
            "acknowledged_at": acknowledgement.acknowledged_at,
        },
    )


@router.get(
    "/plans/{plan_id}/acknowledgements",
    response={200: AcknowledgementsOut, **READ},
    summary="General-education teachers who should read the plan in effect, and who did",
)
def list_acknowledgements(request: HttpRequest, plan_id: RecordId) -> dict[str, Any]:
    # Whole, not paged: the general-education teachers on one child's team.
    user = api_user(request)
    plan = access_plan(user, plan_id, action="see_drafts")
    _note_plan_view(user, plan)
    version = selectors.glance_version(plan)
    if version is None:
        return {"version": None, "teachers": []}
    teachers = [
        {"teacher": row["user"], "acknowledged_at": row["acknowledged_at"]}
        for row in selectors.teachers_to_acknowledge(version)
    ]
    return {"version": version.number, "teachers": teachers}
