"""A student's team, the family's consent grants, and the record of who looked.

Thin, like the pages in samepage/teams/views.py: the same permission functions, actions
and selectors, differing only in parsing and rendering.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from samepage.api import messages
from samepage.api.auth import api_user
from samepage.api.errors import api_fields
from samepage.api.pagination import Keyset, PageIn, body, page_of
from samepage.api.record_of_access import note_view
from samepage.api.schemas import (
    AccessEntryOut,
    AddMemberIn,
    CapabilitiesIn,
    ConsentGrantOut,
    ConsentIn,
    EndMembershipIn,
    ErrorOut,
    FilterDate,
    GrantReceivedOut,
    MembershipOut,
    RecordId,
    TeamOut,
    ValidationErrorOut,
)
from samepage.teams import actions, selectors
from samepage.teams.models import ConsentGrant, TeamMembership
from samepage.teams.permissions import Part, access_consent_grant, access_membership, access_student

router = Router(tags=["teams"])

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {400: ValidationErrorOut, **READ}


class AccessLogFilter(Schema):
    person: RecordId | None = None
    since: FilterDate | None = None
    until: FilterDate | None = None


# Team -----------------------------------------------------------------------------------


@router.get(
    "/students/{student_id}/team",
    response={200: TeamOut, **READ},
    summary="Current and past members of a student's team",
)
def get_team(request: HttpRequest, student_id: RecordId) -> dict[str, list[TeamMembership]]:
    # Whole, not paged: a team is the handful of adults around one child, and its past
    # grows by a few people a year.
    user = api_user(request)
    student = access_student(user, student_id, part=Part.TEAM)
    note_view(user, student, Part.TEAM)
    return selectors.team_for(student)


@router.post(
    "/students/{student_id}/team",
    response={201: MembershipOut, **WRITE},
    summary="Add a staff member of the student's district to the team",
)
def add_team_member(
    request: HttpRequest, student_id: RecordId, payload: AddMemberIn
) -> Status[TeamMembership]:
    user = api_user(request)
    student = access_student(user, student_id, action="manage_team", part=Part.TEAM)
    # Only the people the page offers: any other id, real or not, gets the same answer.
    joiner = (
        selectors.staff_who_can_join(student).filter(pk=payload.user_id).first()
        if payload.user_id is not None
        else None
    )
    if joiner is None:
        raise ValidationError({"user_id": [messages.CHOOSE_DISTRICT_STAFF]})
    with api_fields({"user": "user_id"}):
        membership = actions.check_add_team_member(
            actor=user,
            student=student,
            user=joiner,
            team_role=payload.team_role,
            discipline=payload.discipline,
            start_date=payload.start_date,
        )
    return Status(201, membership)


@router.post(
    "/students/{student_id}/team/{membership_id}/end",
    response={200: MembershipOut, **WRITE},
    summary="End a team membership (it stays in the team's history)",
)
def end_team_membership(
    request: HttpRequest,
    student_id: RecordId,
    membership_id: RecordId,
    payload: EndMembershipIn | None = None,
) -> TeamMembership:
    user = api_user(request)
    _student, membership = access_membership(user, student_id, membership_id, action="manage_team")
    end_date = payload.end_date if payload is not None else None
    return actions.do_end_team_membership(membership, actor=user, end_date=end_date)


@router.put(
    "/students/{student_id}/team/{membership_id}/capabilities",
    response={200: MembershipOut, **WRITE},
    summary="Set what one team member may do",
)
def change_capabilities(
    request: HttpRequest, student_id: RecordId, membership_id: RecordId, payload: CapabilitiesIn
) -> TeamMembership:
    user = api_user(request)
    _student, membership = access_membership(user, student_id, membership_id, action="manage_team")
    return actions.do_change_capabilities(membership, actor=user, capabilities=payload.capabilities)


# Consent --------------------------------------------------------------------------------


# Newest signature first. Grants grow with the years of a child's schooling; the
# student's index finds them.
CONSENTS = Keyset("consents", ("-signed_at", "-pk"))
# A grantee's grants, newest first: an advocate's grow with every family they help.
GRANTS = Keyset("grants-received", ("-signed_at", "-pk"))
# Every view of a record, newest first, from the (student, created_at) index.
ACCESS_LOG = Keyset("access-log", ("-created_at", "-pk"))


@router.get(
    "/students/{student_id}/consents",
    response={200: page_of(ConsentGrantOut), **WRITE},
    summary="The family's consent grants for a student, newest first, with their status",
)
def list_consents(request: HttpRequest, student_id: RecordId, page: Query[PageIn]) -> Any:
    user = api_user(request)
    student = access_student(user, student_id, part=Part.CONSENT)
    CONSENTS.check(page)
    note_view(user, student, Part.CONSENT)
    return body(CONSENTS.page(selectors.consent_rows(student), page))


@router.post(
    "/students/{student_id}/consents",
    response={201: ConsentGrantOut, **WRITE},
    summary="Give an outside person signed, scoped, expiring consent",
)
def grant_consent(
    request: HttpRequest, student_id: RecordId, payload: ConsentIn
) -> Status[ConsentGrant]:
    user = api_user(request)
    student = access_student(user, student_id, action="grant_consent", part=Part.CONSENT)
    # A new grantee's account is created from the email; its errors name "email".
    with api_fields({"email": "grantee_email"}):
        grant = actions.check_grant_consent(
            actor=user,
            student=student,
            access=student.access,  # type: ignore[attr-defined]
            grantee_email=payload.grantee_email,
            scopes=payload.scopes,
            purpose=payload.purpose,
            starts_on=payload.starts_on,
            expires_on=payload.expires_on,
            signature_name=payload.signature_name,
            consent_confirmed=payload.consent_confirmed,
            ip=request.META.get("REMOTE_ADDR"),
            user_agent=request.headers.get("User-Agent", ""),
        )
    return Status(201, grant)


@router.post(
    "/students/{student_id}/consents/{grant_id}/revoke",
    response={200: ConsentGrantOut, **WRITE},
    summary="Revoke a consent grant; the grantee loses access on their next request",
)
def revoke_consent(request: HttpRequest, student_id: RecordId, grant_id: RecordId) -> ConsentGrant:
    user = api_user(request)
    _student, grant = access_consent_grant(user, student_id, grant_id, action="grant_consent")
    return actions.do_revoke_consent(grant, actor=user)


@router.get(
    "/me/grants",
    response={200: page_of(GrantReceivedOut), 400: ValidationErrorOut, 401: ErrorOut},
    summary=(
        "Children's records families have shared with you, newest first (details while "
        "access lasts)"
    ),
)
def my_grants(request: HttpRequest, page: Query[PageIn]) -> Any:
    found = GRANTS.page(selectors.grant_rows(api_user(request)), page)
    return body(found, [selectors.received(grant) for grant in found.items])


# Record of access -----------------------------------------------------------------------


@router.get(
    "/students/{student_id}/access-log",
    response={200: page_of(AccessEntryOut), **WRITE},
    summary="Who looked at a student's record, newest first (IDEA 300.614)",
)
def get_access_log(
    request: HttpRequest,
    student_id: RecordId,
    filters: Query[AccessLogFilter],
    page: Query[PageIn],
) -> Any:
    user = api_user(request)
    student = access_student(user, student_id, part=Part.ACCESS_LOG)
    if filters.since and filters.until and filters.until < filters.since:
        raise ValidationError({"until": [messages.UNTIL_BEFORE_SINCE]})
    ACCESS_LOG.check(page)
    # Recorded first, as the page does: the first page a family reads includes this
    # reading (a later page starts below it, so the pages stay continuous).
    note_view(user, student, Part.ACCESS_LOG)
    rows = selectors.access_log_rows(
        student, person=filters.person, since=filters.since, until=filters.until
    )
    return body(ACCESS_LOG.page(rows, page))
