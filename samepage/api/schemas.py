"""What the API sends: one Schema per thing, named in the family's and teacher's words."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, Field

from samepage.accounts.models import User
from samepage.core.bounds import MAX_RECORD_ID, filter_date_problem
from samepage.core.models import AccessEvent
from samepage.plans.models import PlanQuestion, PlanReply, PlanSignature
from samepage.schools.models import Guardian
from samepage.teams.models import ConsentGrant, TeamMembership
from samepage.teams.selectors import GrantReceived


class RolesOut(Schema):
    primary: str
    is_staff_member: bool


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    display_name: str
    language: str
    time_zone: str
    roles: RolesOut


class SchoolOut(Schema):
    id: int
    name: str


class StudentOut(Schema):
    id: int
    district_student_id: str
    display_name: str
    legal_first_name: str
    legal_last_name: str
    preferred_name: str
    date_of_birth: date
    grade: str
    school: SchoolOut
    plan_type: str
    status: str
    disability_categories: list[str]


class GuardianOut(Schema):
    name: str
    relationship: str
    holds_educational_rights: bool

    @staticmethod
    def resolve_name(obj: Guardian) -> str:
        return obj.user.display_name


class TeamMemberOut(Schema):
    name: str
    team_role: str

    @staticmethod
    def resolve_name(obj: TeamMembership) -> str:
        return obj.user.display_name


class StudentDetailOut(StudentOut):
    guardians: list[GuardianOut]
    team: list[TeamMemberOut]


# Path and query ids: a whole number a record's id could be (bigint). Past it, or below 1,
# a path id answers 404 like any missing record; a query id answers 400.
RecordId = Annotated[int, Field(ge=1, le=MAX_RECORD_ID)]


def _usable_filter_date(value: date) -> date:
    problem = filter_date_problem(value)
    if problem:
        raise ValueError(problem)
    return value


# A date a filter compares records with; 9999-12-31 or 0001-01-01 answer 400.
FilterDate = Annotated[date, AfterValidator(_usable_filter_date)]


class ErrorOut(Schema):
    """Every error the API answers (4xx, 5xx): a message for a person to read."""

    detail: str


class ValidationErrorOut(ErrorOut):
    """Every 400: the message, and what to fix field by field (``{}`` when no one field)."""

    errors: dict[str, list[str]]


class PersonOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: User) -> str:
        return obj.display_name


# Teams ----------------------------------------------------------------------------------


class MembershipOut(Schema):
    """One person's place on a student's team, current or past."""

    id: int
    user_id: int
    name: str
    team_role: str
    discipline: str
    start_date: date
    end_date: date | None
    capabilities: list[str]

    @staticmethod
    def resolve_name(obj: TeamMembership) -> str:
        return obj.user.display_name


class TeamOut(Schema):
    current: list[MembershipOut]
    past: list[MembershipOut]


class AddMemberIn(Schema):
    # Optional here so that a missing value gets the action's translated message.
    user_id: int | None = None
    team_role: str = ""
    discipline: str = ""
    start_date: date | None = None


class EndMembershipIn(Schema):
    end_date: date | None = None


class CapabilitiesIn(Schema):
    capabilities: list[str]


# Consent --------------------------------------------------------------------------------


class GranteeOut(PersonOut):
    email: str


class ConsentGrantOut(Schema):
    """A family's consent for an outside person, as the family and the team see it."""

    id: int
    grantee: GranteeOut
    granted_by: PersonOut
    scopes: list[str]
    purpose: str
    starts_on: date
    expires_on: date
    signature_name: str
    signed_at: datetime
    revoked_at: datetime | None
    status: str

    @staticmethod
    def resolve_status(obj: ConsentGrant) -> str:
        return obj.status()


class ConsentIn(Schema):
    # Defaults let the action explain what is missing, in the caller's language.
    grantee_email: str = ""
    scopes: list[str] = []
    purpose: str = ""
    starts_on: date | None = None
    expires_on: date | None = None
    signature_name: str = ""
    consent_confirmed: bool = False


class GrantReceivedOut(Schema):
    """A child's record a family shared with the signed-in person.

    The details are null once the grant is revoked or expired, and before it starts:
    ``note`` then says so (teams.selectors.GrantReceived).
    """

    id: int
    student_id: int
    student_display_name: str
    granted_by: PersonOut | None
    scopes: list[str]
    purpose: str | None
    starts_on: date | None
    expires_on: date | None
    status: str
    note: str

    @staticmethod
    def resolve_student_display_name(obj: GrantReceived) -> str:
        return obj.student.display_name


# Record of access -----------------------------------------------------------------------


class AccessEntryOut(Schema):
    """One view of a child's record (IDEA 300.614)."""

    when: datetime
    person: PersonOut
    role: str
    part: str
    via: str
    purpose: str

    @staticmethod
    def resolve_when(obj: AccessEvent) -> datetime:
        # In the reader's time zone (the page's, or the token owner's).
        return timezone.localtime(obj.created_at)

    @staticmethod
    def resolve_person(obj: AccessEvent) -> object:
        return obj.user


# Plans ----------------------------------------------------------------------------------


class StudentRefOut(Schema):
    id: int
    display_name: str


class PlanVersionOut(Schema):
    """The original plan or one amendment, without its content."""

    number: int
    kind: str
    status: str
    proposed_start: date | None
    proposed_end: date | None
    meeting_date: date | None
    amendment_reason: str
    amendment_parts: list[str]
    amendment_effective_date: date | None
    finalized_at: datetime | None
    effective_from: date | None
    annual_review_due: date | None
    # The team's written reason for finalizing with concerns still open (families see it).
    unanswered_concerns_reason: str | None = None


class PlanPermissionsOut(Schema):
    """What the caller may do with this plan (clients ask; they never decide)."""

    can_edit: bool
    can_see_drafts: bool
    can_ask: bool
    can_answer: bool
    can_sign: bool
    can_acknowledge: bool


class PlanOut(Schema):
    """One plan cycle: this year's IEP or 504 plan."""

    id: int
    student: StudentRefOut
    plan_type: str
    is_initial: bool
    previous_plan_id: int | None
    created_at: datetime
    ended_at: datetime | None


class PlanListItemOut(PlanOut):
    # Versions past the draft stage; a draft is listed by GET /plans/{id} for staff who
    # may see drafts (who may see a draft is worked out per plan, not per list).
    versions: list[PlanVersionOut]


class PlanDetailOut(PlanOut):
    versions: list[PlanVersionOut]
    permissions: PlanPermissionsOut


class PlanVersionContentOut(PlanVersionOut):
    content: dict[str, Any]


class NewPlanIn(Schema):
    # Defaults: the student's plan type, starting today for a year.
    plan_type: str | None = None
    proposed_start: date | None = None
    proposed_end: date | None = None


class ShareDraftIn(Schema):
    message: str = ""


class SharedDraftOut(Schema):
    """A frozen copy of a draft, published to the family for review."""

    number: int
    version: int  # the number of the version it is a copy of
    shared_by: PersonOut
    shared_at: datetime
    message: str


class SharedDraftListItemOut(SharedDraftOut):
    open_questions: int


class ReplyOut(Schema):
    id: int
    author: PersonOut
    text: str
    created_at: datetime


class QuestionOut(Schema):
    """A question or comment on one part of a shared draft, with its thread."""

    id: int
    anchor: str
    author: PersonOut
    text: str
    status: str
    created_at: datetime
    resolved_at: datetime | None
    resolved_by: PersonOut | None
    replies: list[ReplyOut]

    @staticmethod
    def resolve_replies(obj: PlanQuestion) -> list[PlanReply]:
        return list(obj.replies.all())


class SharedDraftDetailOut(SharedDraftOut):
    content: dict[str, Any]
    questions: list[QuestionOut]


class QuestionIn(Schema):
    # Defaults let the action explain what is missing, in the caller's language.
    anchor: str = ""
    text: str = ""


class ReplyIn(Schema):
    text: str = ""


class MeetingIn(Schema):
    meeting_date: date | None = None


class FinalizeIn(Schema):
    # Warning code → why the team goes ahead anyway.
    overrides: dict[str, str] = {}


class FindingOut(Schema):
    code: str
    message: str
    anchor: str


class FinalizeBlockedOut(Schema):
    detail: str
    errors: list[FindingOut]
    warnings: list[FindingOut]


class SignatureIn(Schema):
    decision: str = ""
    typed_name: str = ""
    exceptions: str = ""
    statement: str = ""
    consent_to_initial_services: bool = False


class SignatureOut(Schema):
    """A guardian's or adult student's signed response to a final version."""

    id: int
    version: int
    signer: PersonOut
    decision: str
    exceptions: str
    statement: str
    consent_to_initial_services: bool
    typed_name: str
    signed_at: datetime

    @staticmethod
    def resolve_version(obj: PlanSignature) -> int:
        return obj.version.number


class AmendmentIn(Schema):
    reason: str = ""
    parts: list[str] = []
    effective_date: date | None = None


class AcknowledgementOut(Schema):
    version: int
    teacher: PersonOut
    acknowledged_at: datetime


class TeacherAcknowledgementOut(Schema):
    teacher: PersonOut
    acknowledged_at: datetime | None


class AcknowledgementsOut(Schema):
    """The general-education teachers who should read the current version, and who did."""

    version: int | None
    teachers: list[TeacherAcknowledgementOut]
