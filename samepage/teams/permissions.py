"""Who may see which students, which parts of their record, and do what.

Every lookup of a student goes through ``access_student`` (one student) or
``visible_students`` (lists). A student someone may not see answers 404, exactly like
one that does not exist; a part or action they may not use answers 403. The two must
agree: a test checks every named user against both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, prefetch_related_objects
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
    # Plan drafts the team has not shared: staff who may view the full record only.
    DRAFTS = "drafts"


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
STAFF_FULL_PARTS = frozenset(_RECORD | {Part.CONSENT, Part.DRAFTS})
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
    # Whose access this is: an action handed it checks it was worked out for its actor.
    user_id: int | None = None
    parts: set[str] = field(default_factory=set)
    capabilities: set[str] = field(default_factory=set)
    can_consent: bool = False
    is_family: bool = False
    is_staff: bool = False
    purpose: str = ""
    # The person's current team roles for this student (gen_ed_teacher, provider…).
    team_roles: set[str] = field(default_factory=set)
    # The "N new" counts of the record's tabs, worked out once while a page renders
    # (``teams.tabs.tab_new``): the nav's badge and the page's own link read one query.
    # Never read by a permission check.
    tab_counts: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

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


@dataclass(frozen=True)
class Reach:
    """One way a person reaches students, and what each of its rows gives them.

    ``rows`` holds one row per reached student (a membership, a guardianship, a consent,
    or the student itself for a leader's blanket reach); ``student_field`` names the
    student's id in it. Lists take the union of every reach's rows; a single lookup
    takes the same rows filtered to one student. So "in the list" and "opens" are one
    definition and cannot disagree.
    """

    kind: str
    rows: QuerySet[Any]
    student_field: str
    gives: Callable[[Any], Iterable[str]]
    # Whether ``gives`` is the same for every row (so lists filter in SQL, not Python).
    uniform: bool = True
    # For the district administrator's blanket reach, the condition on students its rows
    # are: lists use it as it is, so PostgreSQL walks the name index and stops at the page.
    where: Q | None = None

    def student_ids(self) -> QuerySet[Any]:
        return self.rows.order_by().values(self.student_field)

    def student_ids_with(self, part: str) -> QuerySet[Any] | None:
        """The reached students whose rows give ``part`` (None when none can)."""
        if self.uniform:
            return self.student_ids() if part in set(self.gives(None)) else None
        # Rows that differ (capabilities, consent scopes) are the person's own few
        # memberships and consents, so they are read here, not scanned in the district.
        ids = [getattr(row, self.student_field) for row in self.rows if part in self.gives(row)]
        return Student.objects.filter(pk__in=ids).order_by().values("pk") if ids else None


def _membership_parts(membership: TeamMembership) -> frozenset[str]:
    if Capability.VIEW_RECORD in membership.capabilities:
        return STAFF_FULL_PARTS
    if Capability.MESSAGE_FAMILY in membership.capabilities:
        # A teacher a case manager lets message the family reads the conversations too.
        return STAFF_LIMITED_PARTS | {Part.MESSAGES}
    return STAFF_LIMITED_PARTS


def _consent_parts(grant: ConsentGrant) -> set[str]:
    parts = {Part.SUMMARY, *grant.scopes}
    if Part.PLANS in parts:
        parts.add(Part.GLANCE)
    return parts


def _own_record_parts(student: Student) -> frozenset[str]:
    return FAMILY_PARTS if rights_transferred(student) else MINOR_STUDENT_PARTS


def reaches(user: Any) -> list[Reach]:
    """Every way ``user`` reaches students: the one definition lists and lookups share.

    Staff reach only their own district's students, and their memberships count by
    that district's today; consents are each in force by their own student's district's
    today. Restricted guardianships reach nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    roles = roles_for(user)
    found: list[Reach] = []
    staff = roles.staff
    if staff is not None:
        blanket = Q(district_id=staff.district_id)
        if staff.role == StaffProfile.Role.SCHOOL_LEADER:
            blanket &= Q(school__in=staff.schools.all())
        if staff.role in (StaffProfile.Role.DISTRICT_ADMIN, StaffProfile.Role.SCHOOL_LEADER):
            district_wide = staff.role == StaffProfile.Role.DISTRICT_ADMIN
            found.append(
                Reach(
                    "district" if district_wide else "school",
                    Student.objects.filter(blanket),
                    "pk",
                    lambda _: STAFF_LEADER_PARTS,
                    # The whole district stays a plain condition (its students are most
                    # of the table: lists walk the name index and stop at the page); a
                    # school's students are few, so they join the union of ids, which
                    # PostgreSQL gathers from the school index (an OR beside the union
                    # made it hash every student of the district).
                    where=blanket if district_wide else None,
                )
            )
        memberships = TeamMembership.objects.current(district_today(staff.district)).filter(
            user=user, team_role__in=STAFF_TEAM_ROLES, student__district_id=staff.district_id
        )
        found.append(Reach("membership", memberships, "student_id", _membership_parts, False))
    if roles.is_guardian:
        found.append(
            Reach(
                "guardian",
                user.guardianships.filter(is_restricted=False),
                "student_id",
                lambda _: FAMILY_PARTS,
            )
        )
    own = roles.student
    if own is not None and own.district.students_see_own_record:
        found.append(
            Reach(
                "student",
                Student.objects.filter(pk=own.pk).select_related("district"),
                "pk",
                _own_record_parts,
                False,
            )
        )
    grants = ConsentGrant.objects.active().filter(grantee=user)
    found.append(Reach("consent", grants, "student_id", _consent_parts, False))
    return found


def _grant_row(
    access: StudentAccess | None, reach: Reach, row: Any, student: Student, user: Any
) -> StudentAccess:
    """Add what one row of one reach gives to ``access`` (making it on the first row)."""
    role = {
        "district": StaffProfile.Role.DISTRICT_ADMIN,
        "school": StaffProfile.Role.SCHOOL_LEADER,
        "membership": getattr(row, "team_role", ""),
        "guardian": "guardian",
        "student": "student",
        "consent": "advocate" if user.is_advocate else "outside",
    }[reach.kind]
    if access is None:
        access = StudentAccess(student=student, role=role, user_id=user.pk)
    access.parts |= set(reach.gives(row))
    today = district_today(student.district)
    if reach.kind == "district":
        access.capabilities |= ALL_CAPABILITIES
        access.is_staff = True
    elif reach.kind == "school":
        access.capabilities |= LEADER_CAPABILITIES
        access.is_staff = True
    elif reach.kind == "membership":
        access.team_roles.add(row.team_role)
        access.capabilities |= set(row.capabilities)
        access.is_staff = True
    elif reach.kind == "guardian":
        access.is_family = True
        if row.holds_educational_rights and not rights_transferred(student, today):
            access.can_consent = True
    elif reach.kind == "student":
        access.is_family = True
        if rights_transferred(student, today):
            access.can_consent = True
    elif reach.kind == "consent":
        access.purpose = "; ".join(p for p in (access.purpose, row.purpose) if p)
    return access


def _accesses(user: Any, students: dict[int, Student]) -> dict[int, StudentAccess]:
    """The rows of each of ``reaches(user)`` for these students, added up per student:
    one query per reach however many students."""
    found: dict[int, StudentAccess] = {}
    if not students:
        return found
    for reach in reaches(user):
        for row in reach.rows.filter(**{f"{reach.student_field}__in": list(students)}):
            student = students[getattr(row, reach.student_field)]
            found[student.pk] = _grant_row(found.get(student.pk), reach, row, student, user)
    for access in found.values():
        if access.is_family:
            # Staff-only notes never reach a family member, whatever else they are.
            access.capabilities.discard(Capability.SEE_STAFF_NOTES)
    return found


def student_access(user: Any, student: Student) -> StudentAccess | None:
    """Everything ``user`` may do for ``student``, or None when they may not see it.

    The rows of each of ``reaches(user)`` for this one student, added together.
    """
    return _accesses(user, {student.pk: student}).get(student.pk)


def student_accesses(user: Any, students: Iterable[Student | int]) -> dict[int, StudentAccess]:
    """``student_access`` for many students at once (a page of a caseload), keyed by
    student id, in a fixed number of queries; students ``user`` may not see are left out.
    The same rows and the same additions, so it cannot disagree with the single lookup.

    Students may be given as rows (their districts are read only if not already joined)
    or as ids."""
    given: dict[int, Student] = {}
    ids: set[int] = set()
    for student in students:
        if isinstance(student, Student):
            given[student.pk] = student
        else:
            ids.add(int(student))
    ids -= given.keys()
    if ids:
        given.update(Student.objects.select_related("district").in_bulk(ids))
    # Each row's today and the age of majority are the student's district's.
    unjoined = [student for student in given.values() if not Student.district.is_cached(student)]
    if unjoined:
        prefetch_related_objects(unjoined, "district")
    return _accesses(user, given)


def reaches_few(user: Any) -> bool:
    """Whether everyone ``user`` reaches is a bounded set: their own memberships,
    children and consents, a school's students at most. Only a district-wide reach (the
    district administrator's) is most of the students table."""
    return all(reach.where is None for reach in reaches(user))


def visible_students(user: Any, part: str | None = None) -> QuerySet[Student]:
    """Every student ``user`` may see (with ``part``, whose ``part`` they may see).

    One query: the district administrator's blanket condition as it is, or the union of
    every other reach's student ids, which PostgreSQL answers from indexes (an OR of
    several IN-subqueries made it scan every student of the district). Agrees with
    ``student_access`` by construction: both read ``reaches(user)``.
    """
    return students_reached(reaches(user), part)


def students_reached(found: list[Reach], part: str | None = None) -> QuerySet[Student]:
    """``visible_students`` for reaches already worked out (a list asking for two parts
    reads the person's memberships and consents once: their querysets keep the rows)."""
    condition = Q(pk__in=[])
    sets = []
    for reach in found:
        ids = reach.student_ids() if part is None else reach.student_ids_with(part)
        if ids is None:
            continue
        if reach.where is not None:
            condition |= reach.where
        else:
            sets.append(ids)
    if sets:
        first, *others = sets
        condition |= Q(pk__in=first.union(*others) if others else first)
    return Student.objects.filter(condition)


def check_access_for(access: StudentAccess | None, *, actor: Any, student: Student) -> None:
    """Refuse (403) an access object that was not worked out for this actor and student.

    Actions take the access the permission layer returned, never a yes/no from their
    caller; this makes sure the object they were handed is the right person's.
    """
    if (
        access is None
        or access.user_id is None
        or access.user_id != getattr(actor, "pk", None)
        or access.student.pk != student.pk
    ):
        raise PermissionDenied(_("Your role does not allow this."))


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
