"""Every write to districts, schools, students, households, guardians and staff."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from samepage.accounts.models import User
from samepage.core.audit import record_audit
from samepage.schools.models import District, Guardian, Household, School, StaffProfile, Student
from samepage.schools.search import student_search_name


def do_create_district(*, actor: Any, name: str, state: str, **extra: Any) -> District:
    with transaction.atomic():
        district = District.objects.create(name=name, state=state.upper(), **extra)
        record_audit(
            actor=actor,
            action="district.created",
            target=district,
            changes={"name": name, "state": district.state},
        )
    return district


def do_create_school(*, actor: Any, district: District, name: str, **extra: Any) -> School:
    with transaction.atomic():
        school = School.objects.create(district=district, name=name, **extra)
        record_audit(actor=actor, action="school.created", target=school, changes={"name": name})
    return school


def do_create_student(
    *,
    actor: Any,
    school: School,
    district_student_id: str,
    legal_first_name: str,
    legal_last_name: str,
    date_of_birth: date,
    grade: str,
    **extra: Any,
) -> Student:
    with transaction.atomic():
        student = Student(
            district=school.district,
            school=school,
            district_student_id=district_student_id.strip(),
            legal_first_name=legal_first_name,
            legal_last_name=legal_last_name,
            date_of_birth=date_of_birth,
            grade=grade,
            **extra,
        )
        student.search_name = _search_name_of(student)
        student.full_clean()
        student.save()
        record_audit(
            actor=actor,
            action="student.created",
            target=student,
            changes={"district_student_id": student.district_student_id, "school": school.pk},
        )
    return student


def _search_name_of(student: Student) -> str:
    return student_search_name(
        legal_first_name=student.legal_first_name,
        legal_last_name=student.legal_last_name,
        preferred_name=student.preferred_name,
        district_student_id=student.district_student_id,
    )


def do_rename_student(
    *,
    actor: Any,
    student: Student,
    legal_first_name: str | None = None,
    legal_last_name: str | None = None,
    preferred_name: str | None = None,
) -> Student:
    """Change a student's names; their search form follows, so search finds the new name."""
    new_names = {
        "legal_first_name": legal_first_name,
        "legal_last_name": legal_last_name,
        "preferred_name": preferred_name,
    }
    changes = {
        field: {"from": getattr(student, field), "to": value.strip()}
        for field, value in new_names.items()
        if value is not None and value.strip() != getattr(student, field)
    }
    if not changes:
        return student
    with transaction.atomic():
        for field, change in changes.items():
            setattr(student, field, change["to"])
        student.search_name = _search_name_of(student)
        student.full_clean()
        student.save(update_fields=[*changes, "search_name", "updated_at"])
        record_audit(actor=actor, action="student.renamed", target=student, changes=changes)
    return student


def do_create_household(*, actor: Any, district: District, name: str, **extra: Any) -> Household:
    with transaction.atomic():
        household = Household.objects.create(district=district, name=name, **extra)
        record_audit(actor=actor, action="household.created", target=household)
    return household


def do_link_guardian(
    *,
    actor: Any,
    student: Student,
    user: User,
    relationship: str,
    household: Household | None = None,
    **extra: Any,
) -> Guardian:
    with transaction.atomic():
        guardian = Guardian(
            student=student, user=user, relationship=relationship, household=household, **extra
        )
        guardian.full_clean()
        guardian.save()
        record_audit(
            actor=actor,
            action="guardian.linked",
            target=guardian,
            changes={
                "student": student.pk,
                "user": user.pk,
                "relationship": relationship,
                "holds_educational_rights": guardian.holds_educational_rights,
                "is_restricted": guardian.is_restricted,
            },
        )
    return guardian


def do_create_staff_profile(
    *,
    actor: Any,
    user: User,
    district: District,
    role: str,
    schools: list[School],
    title: str = "",
    discipline: str = "",
) -> StaffProfile:
    with transaction.atomic():
        profile = StaffProfile.objects.create(
            user=user, district=district, role=role, title=title, discipline=discipline
        )
        profile.schools.set(schools)
        record_audit(
            actor=actor,
            action="staff.created",
            target=profile,
            changes={"role": role, "schools": [s.pk for s in schools]},
        )
    return profile


def do_link_student_account(*, actor: Any, student: Student, user: User) -> Student:
    with transaction.atomic():
        student.account = user
        student.save(update_fields=["account", "updated_at"])
        record_audit(
            actor=actor,
            action="student.account_linked",
            target=student,
            changes={"account": user.pk},
        )
    return student
