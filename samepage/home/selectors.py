"""Read queries for students, schools and families, with the joins pages need."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from samepage.schools.models import Guardian, School, StaffProfile, Student
from samepage.schools.search import search_words
from samepage.teams.models import TeamMembership
from samepage.teams.permissions import visible_students


def student_list(user: Any, search: str = "") -> QuerySet[Student]:
    """The students ``user`` may see, ready for a list page (constant query count).

    Each word of ``search`` must begin a word of the student's names or district student
    ID, ignoring accents and case ("sofia" finds Sofía). It compares the stored search
    form (schools/search.py), which an index serves on PostgreSQL.
    """
    students = visible_students(user)
    for word in search_words(search):
        students = students.filter(search_name__contains=f" {word}")
    return students.select_related("school").order_by("legal_last_name", "legal_first_name", "pk")


def student_detail(user: Any, student: Student) -> dict[str, Any]:
    """Guardians and current team of a student ``user`` is already allowed to see."""
    guardians = (
        Guardian.objects.filter(student=student, is_restricted=False)
        .select_related("user", "household")
        .order_by("user__full_name")
    )
    team = (
        TeamMembership.objects.current()
        .filter(student=student)
        .select_related("user")
        .order_by("team_role", "user__full_name")
    )
    return {"guardians": list(guardians), "team": list(team)}


def caseload(user: Any) -> list[TeamMembership]:
    """Current team memberships of a staff member, with their students."""
    return list(
        TeamMembership.objects.current()
        .filter(user=user, student__in=visible_students(user))
        .select_related("student", "student__school")
        .order_by("student__legal_last_name", "student__legal_first_name")
    )


def district_summary(staff: StaffProfile) -> dict[str, Any]:
    schools = (
        School.objects.filter(district_id=staff.district_id)
        .annotate(
            active_students=Count("students", filter=Q(students__status=Student.Status.ACTIVE)),
            iep_students=Count(
                "students",
                filter=Q(
                    students__status=Student.Status.ACTIVE,
                    students__plan_type=Student.PlanType.IEP,
                ),
            ),
        )
        .order_by("name")
    )
    return {
        "schools": list(schools),
        "staff_count": StaffProfile.objects.filter(district_id=staff.district_id).count(),
    }


def children_of(user: Any) -> list[Student]:
    """A guardian's children they may see, with school and team for the home page."""
    return list(
        visible_students(user)
        .filter(guardians__user=user, guardians__is_restricted=False)
        .select_related("school")
        .prefetch_related(
            Prefetch(
                "team",
                queryset=TeamMembership.objects.current()
                .filter(team_role=TeamMembership.TeamRole.CASE_MANAGER)
                .select_related("user"),
                to_attr="case_managers",
            )
        )
        .order_by("legal_first_name")
        .distinct()
    )
