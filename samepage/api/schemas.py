"""What the API sends: one Schema per thing, named in the family's and teacher's words."""

from __future__ import annotations

from datetime import date

from ninja import Schema

from samepage.schools.models import Guardian
from samepage.teams.models import TeamMembership


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
