"""Who may see and change which students.

Every lookup of a student goes through ``access_student`` or ``visible_students``.
A student someone may not see answers 404, exactly like one that does not exist; a
student they may see but not change answers 403.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from samepage.accounts.roles import roles_for
from samepage.schools.models import StaffProfile, Student
from samepage.teams.models import TeamMembership

StudentAction = Literal["view", "edit"]

# Staff roles that see every student of their schools without being on the team.
SCHOOL_WIDE_ROLES = {StaffProfile.Role.SCHOOL_LEADER}


def visible_students(user: Any) -> QuerySet[Student]:
    """Every student ``user`` may see, as one query."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Student.objects.none()
    roles = roles_for(user)
    condition = Q(pk__in=[])
    if roles.staff is not None:
        staff = roles.staff
        if staff.role == StaffProfile.Role.DISTRICT_ADMIN:
            condition |= Q(district_id=staff.district_id)
        elif staff.role in SCHOOL_WIDE_ROLES:
            condition |= Q(district_id=staff.district_id, school__in=staff.schools.all())
        condition |= Q(
            district_id=staff.district_id,
            pk__in=TeamMembership.objects.current().filter(user=user).values("student_id"),
        )
    if roles.is_guardian:
        condition |= Q(pk__in=user.guardianships.filter(is_restricted=False).values("student_id"))
    if roles.student is not None and roles.student.district.students_see_own_record:
        condition |= Q(pk=roles.student.pk)
    return Student.objects.filter(condition)


def can_edit_student(user: Any, student: Student) -> bool:
    staff = roles_for(user).staff
    if staff is None:
        return False
    if staff.district_id != student.district_id:
        return False
    if staff.role == StaffProfile.Role.DISTRICT_ADMIN:
        return True
    if staff.role == StaffProfile.Role.SCHOOL_LEADER:
        return staff.schools.filter(pk=student.school_id).exists()
    return (
        TeamMembership.objects.current()
        .filter(user=user, student=student, team_role=TeamMembership.TeamRole.CASE_MANAGER)
        .exists()
    )


def access_student(user: Any, student_id: Any, *, action: StudentAction = "view") -> Student:
    """The student with ``student_id`` if ``user`` may do ``action`` to it.

    Raises Http404 when the student is missing or not visible, PermissionDenied when it
    is visible but ``action`` is not allowed.
    """
    try:
        pk = int(student_id)
    except (TypeError, ValueError):
        raise Http404 from None
    student = visible_students(user).select_related("district", "school").filter(pk=pk).first()
    if student is None:
        raise Http404
    if action == "view":
        return student
    if action == "edit" and can_edit_student(user, student):
        return student
    raise PermissionDenied
