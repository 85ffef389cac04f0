"""Read queries for students, schools and families, with the joins pages need."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from samepage.accounts.models import Invitation, User
from samepage.core.bounds import page_of
from samepage.home.permissions import invitable_people
from samepage.schools import tallies
from samepage.schools.models import Guardian, StaffProfile, Student
from samepage.schools.search import search_words
from samepage.teams.models import TeamMembership
from samepage.teams.permissions import visible_students

# A district has at most a few hundred schools: the overview shows them 50 at a time.
SCHOOLS_PER_PAGE = 50

# What a table of students shows (home/_partials/student_table.html: the name, grade,
# school, plan type and status). Whole rows are timestamps, dates and JSON decoded for
# nothing, fifty times a page.
STUDENT_TABLE_COLUMNS = (
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "grade",
    "plan_type",
    "status",
    "school__name",
)


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


CASELOAD_UNSHOWN = (
    "created_at",
    "updated_at",
    "student__created_at",
    "student__updated_at",
    "student__disability_categories",
    "student__search_name",
    "student__school__created_at",
    "student__school__updated_at",
    "student__district__created_at",
    "student__district__updated_at",
)


def caseload(user: Any) -> QuerySet[TeamMembership]:
    """Current team memberships of a staff member, with their students, by name."""
    return (
        TeamMembership.objects.current()
        .filter(user=user, student__in=visible_students(user))
        # The district: each student's today, for the unread counts' accesses.
        .select_related("student", "student__school", "student__district")
        # Timestamps and JSON the home never shows, decoded for each row of a page.
        .defer(*CASELOAD_UNSHOWN)
        .order_by("student__legal_last_name", "student__legal_first_name", "student_id", "pk")
    )


def caseload_students(user: Any) -> QuerySet[Student]:
    """The students of ``user``'s caseload (every page of it), as a subquery."""
    return Student.objects.filter(
        pk__in=TeamMembership.objects.current()
        .filter(user=user, student__in=visible_students(user))
        .values("student_id")
    )


def district_summary(staff: StaffProfile, page: str | None) -> dict[str, Any]:
    """The district administrator's overview: totals and a page of schools.

    The counts are the stored per-school tallies (schools/tallies.py), one row per
    school, so the page costs the same in a district of 1,000 students or 100,000.
    """
    schools = Paginator(tallies.schools_with_tallies(staff.district_id), SCHOOLS_PER_PAGE)
    school_page = page_of(schools, page)
    return {
        "school_page": school_page,
        "schools": list(school_page),
        "totals": tallies.district_totals(staff.district_id),
        "staff_count": StaffProfile.objects.filter(district_id=staff.district_id).count(),
    }


def children_of(user: Any) -> list[Student]:
    """A guardian's children they may see, with school and team for the home page."""
    return list(
        visible_students(user)
        .filter(guardians__user=user, guardians__is_restricted=False)
        # The district: each child's today, for the unread counts' accesses.
        .select_related("school", "district")
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


@dataclass(frozen=True)
class PersonRow:
    """One line of the people page: who, how they relate, and what may be done."""

    person: User
    role_label: str
    children: list[str]
    invitation: Invitation | None
    status: str
    can_invite: bool
    can_resend: bool
    can_revoke: bool


def _status(person: User, invitation: Invitation | None) -> str:
    if invitation is not None and invitation.status in {"pending", "expired"}:
        return invitation.status
    if person.has_usable_password():
        return "active"
    if invitation is not None:
        return invitation.status
    return "not_invited"


def people_list(user: Any) -> QuerySet[User]:
    """Everyone ``user`` may invite, by name: a queryset, so a page of it is one query."""
    return (
        invitable_people(user).select_related("staff_profile").order_by("full_name", "email", "pk")
    )


def people_rows(user: Any, people: Iterable[User]) -> list[PersonRow]:
    """The people page's rows for ``people`` (a page of ``people_list``), in a fixed
    number of queries however many rows: invitations and the children ``user`` may see
    are fetched for these people only."""
    persons = list(people)
    prefetch_related_objects(
        persons,
        Prefetch(
            "invitations",
            queryset=Invitation.objects.order_by("-created_at", "-id"),
            to_attr="invitation_list",
        ),
        Prefetch(
            "guardianships",
            queryset=Guardian.objects.filter(
                student__in=visible_students(user), is_restricted=False
            ).select_related("student"),
            to_attr="visible_guardianships",
        ),
    )
    rows = []
    for person in persons:
        invitations: list[Invitation] = getattr(person, "invitation_list", [])
        invitation = invitations[0] if invitations else None
        status = _status(person, invitation)
        staff = getattr(person, "staff_profile", None)
        guardianships: list[Guardian] = getattr(person, "visible_guardianships", [])
        children = [g.student.display_name for g in guardianships]
        role_label = str(staff.get_role_display()) if staff is not None else ""
        rows.append(
            PersonRow(
                person=person,
                role_label=role_label,
                children=children,
                invitation=invitation,
                status=status,
                can_invite=status in {"not_invited", "revoked"},
                can_resend=status in {"pending", "expired"},
                can_revoke=status == "pending",
            )
        )
    return rows
