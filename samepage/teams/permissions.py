"""Who may see which students, which parts of their record, and do what.

Every lookup of a student goes through ``access_student`` (one student) or
``visible_students`` (lists). A student someone may not see answers 404, exactly like
one that does not exist; a part or action they may not use answers 403. The two must
agree: a test checks every named user against both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from samepage.core.dates import district_today
from samepage.schools.models import StaffProfile, Student
from samepage.schools.roles import roles_for
from samepage.teams.models import (
    STAFF_TEAM_ROLES,
    Capability,
    ConsentGrant,
    TeamMembership,
)


class Part:
    """Parts of a child's record; the first six are also consent scopes."""

    SUMMARY = "summary"
    PROFILE = "profile"
    PLANS = "plans"
    PROGRESS = "progress"
    MESSAGES = "messages"
    MEETINGS = "meetings"
    RECORDS = "records"
    TEAM = "team"
    ACCESS_LOG = "access_log"
    CONSENT = "consent"
    # The one-page plan at a glance a teacher works from.
    GLANCE = "glance"


_RECORD = {
    Part.SUMMARY,
    Part.PROFILE,
    Part.PLANS,
    Part.PROGRESS,
    Part.MESSAGES,
    Part.MEETINGS,
    Part.RECORDS,
    Part.TEAM,
}
STAFF_FULL_PARTS = frozenset(_RECORD | {Part.CONSENT})
STAFF_LEADER_PARTS = frozenset(STAFF_FULL_PARTS | {Part.ACCESS_LOG})
STAFF_LIMITED_PARTS = frozenset({Part.SUMMARY, Part.PROFILE, Part.TEAM, Part.MEETINGS, Part.GLANCE})
FAMILY_PARTS = frozenset(_RECORD | {Part.ACCESS_LOG, Part.CONSENT})
MINOR_STUDENT_PARTS = frozenset(
    {Part.SUMMARY, Part.PROFILE, Part.PLANS, Part.PROGRESS, Part.MEETINGS, Part.TEAM, Part.GLANCE}
)
ALL_CAPABILITIES = frozenset(Capability.values)
LEADER_CAPABILITIES = frozenset(
    {Capability.VIEW_RECORD, Capability.SEE_STAFF_NOTES, Capability.MANAGE_TEAM}
)


def rights_transferred(student: Student, today: date | None = None) -> bool:
    """Whether the student has reached the district's age of majority (IDEA 300.520)."""
    today = today or district_today(student.district)
    return student.age_on(today) >= student.district.age_of_majority


@dataclass
class StudentAccess:
    """What one person may see and do for one student, worked out once per request."""

    student: Student
    role: str
    parts: set[str] = field(default_factory=set)
    capabilities: set[str] = field(default_factory=set)
    can_consent: bool = False
    is_family: bool = False
    is_staff: bool = False
    purpose: str = ""
    # The person's current team roles for this student (gen_ed_teacher, provider…).
    team_roles: set[str] = field(default_factory=set)

    def can_view(self, part: str) -> bool:
        return part in self.parts

    def can(self, capability: str) -> bool:
        return capability in self.capabilities

    # Template-friendly names (templates only ask, STYLE rule 4).
    @property
    def can_manage_team(self) -> bool:
        return Capability.MANAGE_TEAM in self.capabilities

    @property
    def can_see_staff_notes(self) -> bool:
        return Capability.SEE_STAFF_NOTES in self.capabilities and not self.is_family

    @property
    def can_view_team(self) -> bool:
        return Part.TEAM in self.parts

    @property
    def can_view_access_log(self) -> bool:
        return Part.ACCESS_LOG in self.parts

    @property
    def can_view_consent(self) -> bool:
        return Part.CONSENT in self.parts

    @property
    def can_grant_consent(self) -> bool:
        return self.can_consent

    @property
    def can_view_plans(self) -> bool:
        return Part.PLANS in self.parts

    @property
    def can_view_profile(self) -> bool:
        return Part.PROFILE in self.parts

    @property
    def can_edit_plan(self) -> bool:
        return self.is_staff and Capability.EDIT_PLAN in self.capabilities


def _grant(access: StudentAccess | None, student: Student, role: str) -> StudentAccess:
    return access if access is not None else StudentAccess(student=student, role=role)


def student_access(user: Any, student: Student) -> StudentAccess | None:
    """Everything ``user`` may do for ``student``, or None when they may not see it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    # One "today" for every date rule about this child: their district's.
    today = district_today(student.district)
    roles = roles_for(user)
    access: StudentAccess | None = None
    staff = roles.staff
    if staff is not None and staff.district_id == student.district_id:
        if staff.role == StaffProfile.Role.DISTRICT_ADMIN:
            access = _grant(access, student, staff.role)
            access.parts |= STAFF_LEADER_PARTS
            access.capabilities |= ALL_CAPABILITIES
        elif (
            staff.role == StaffProfile.Role.SCHOOL_LEADER
            and staff.schools.filter(pk=student.school_id).exists()
        ):
            access = _grant(access, student, staff.role)
            access.parts |= STAFF_LEADER_PARTS
            access.capabilities |= LEADER_CAPABILITIES
        memberships = TeamMembership.objects.current(today).filter(
            user=user, student=student, team_role__in=STAFF_TEAM_ROLES
        )
        for membership in memberships:
            access = _grant(access, student, membership.team_role)
            access.team_roles.add(membership.team_role)
            caps = set(membership.capabilities)
            access.capabilities |= caps
            access.parts |= (
                STAFF_FULL_PARTS if Capability.VIEW_RECORD in caps else STAFF_LIMITED_PARTS
            )
        if access is not None:
            access.is_staff = True
    links = [g for g in user.guardianships.all() if g.student_id == student.pk]
    for link in links:
        if link.is_restricted:
            continue
        access = _grant(access, student, "guardian")
        access.parts |= FAMILY_PARTS
        access.is_family = True
        if link.holds_educational_rights and not rights_transferred(student, today):
            access.can_consent = True
    if student.account_id == user.pk and student.district.students_see_own_record:
        access = _grant(access, student, "student")
        access.is_family = True
        if rights_transferred(student, today):
            access.parts |= FAMILY_PARTS
            access.can_consent = True
        else:
            access.parts |= MINOR_STUDENT_PARTS
    if access is None:
        grants = list(ConsentGrant.objects.active(today).filter(grantee=user, student=student))
        if grants:
            access = StudentAccess(
                student=student, role="advocate" if user.is_advocate else "outside"
            )
            access.parts.add(Part.SUMMARY)
            for grant in grants:
                access.parts |= set(grant.scopes)
            if Part.PLANS in access.parts:
                access.parts.add(Part.GLANCE)
            access.purpose = "; ".join(grant.purpose for grant in grants)
    if access is not None and access.is_family:
        # Staff-only notes never reach a family member, whatever else they are.
        access.capabilities.discard(Capability.SEE_STAFF_NOTES)
    return access


def visible_students(user: Any) -> QuerySet[Student]:
    """Every student ``user`` may see, as one query (agrees with ``student_access``)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Student.objects.none()
    # A staff member's memberships count in their own district (its today); consents are
    # each in force by their own student's district's today.
    roles = roles_for(user)
    condition = Q(pk__in=[])
    staff = roles.staff
    if staff is not None:
        if staff.role == StaffProfile.Role.DISTRICT_ADMIN:
            condition |= Q(district_id=staff.district_id)
        elif staff.role == StaffProfile.Role.SCHOOL_LEADER:
            condition |= Q(district_id=staff.district_id, school__in=staff.schools.all())
        condition |= Q(
            district_id=staff.district_id,
            pk__in=TeamMembership.objects.current(district_today(staff.district))
            .filter(user=user, team_role__in=STAFF_TEAM_ROLES)
            .values("student_id"),
        )
    if roles.is_guardian:
        condition |= Q(pk__in=user.guardianships.filter(is_restricted=False).values("student_id"))
    if roles.student is not None and roles.student.district.students_see_own_record:
        condition |= Q(pk=roles.student.pk)
    condition |= Q(pk__in=ConsentGrant.objects.active().filter(grantee=user).values("student_id"))
    return Student.objects.filter(condition)


def can_edit_student(user: Any, student: Student) -> bool:
    access = student_access(user, student)
    return access is not None and access.is_staff and access.can(Capability.MANAGE_TEAM)


def access_student(
    user: Any,
    student_id: Any,
    *,
    action: str = "view",
    part: str = Part.SUMMARY,
) -> Student:
    """The student with ``student_id`` if ``user`` may do ``action`` on ``part``.

    Raises Http404 when the student is missing or not visible, PermissionDenied when
    it is visible but the part or action is not allowed. The worked-out permissions
    ride along as ``student.access`` for templates and later checks.
    """
    try:
        pk = int(student_id)
    except (TypeError, ValueError):
        raise Http404 from None
    student = Student.objects.select_related("district", "school").filter(pk=pk).first()
    if student is None:
        raise Http404
    access = student_access(user, student)
    if access is None:
        raise Http404
    if not access.can_view(part):
        raise PermissionDenied(_("This part of the record is not shared with you."))
    if action == "view":
        pass
    elif action == "grant_consent":
        if not access.can_consent:
            raise PermissionDenied(
                _("Only a parent holding educational rights, or an adult student, can do this.")
            )
    elif action == "edit":
        if not (access.is_staff and access.can(Capability.MANAGE_TEAM)):
            raise PermissionDenied
    elif not access.can(action):
        raise PermissionDenied
    student.access = access  # type: ignore[attr-defined]
    return student


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def access_membership(
    user: Any, student_id: Any, membership_id: Any, *, action: str = "view"
) -> tuple[Student, TeamMembership]:
    """A membership of a student the user may act on; another student's → 404."""
    student = access_student(user, student_id, action=action, part=Part.TEAM)
    membership = (
        TeamMembership.objects.select_related("user")
        .filter(pk=_pk(membership_id), student=student)
        .first()
    )
    if membership is None:
        raise Http404
    return student, membership


def access_consent_grant(
    user: Any, student_id: Any, grant_id: Any, *, action: str = "view"
) -> tuple[Student, ConsentGrant]:
    """A consent grant of a student the user may act on; another student's → 404."""
    student = access_student(user, student_id, action=action, part=Part.CONSENT)
    grant = (
        ConsentGrant.objects.select_related("grantee")
        .filter(pk=_pk(grant_id), student=student)
        .first()
    )
    if grant is None:
        raise Http404
    return student, grant
