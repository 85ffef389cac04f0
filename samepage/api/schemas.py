"""What the API sends: one Schema per thing, named in the family's and teacher's words."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from ninja import Schema

from samepage.accounts.models import User
from samepage.core.models import AccessEvent
from samepage.schools.models import Guardian
from samepage.teams.models import ConsentGrant, TeamMembership


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


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
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
    """A child's record a family shared with the signed-in person."""

    id: int
    student_id: int
    student_display_name: str
    granted_by: PersonOut
    scopes: list[str]
    purpose: str
    starts_on: date
    expires_on: date
    status: str

    @staticmethod
    def resolve_student_display_name(obj: ConsentGrant) -> str:
        return obj.student.display_name

    @staticmethod
    def resolve_status(obj: ConsentGrant) -> str:
        return obj.status()


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
