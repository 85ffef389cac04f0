"""Every write to districts, schools, students, households, guardians and staff."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from samepage.accounts.models import User
from samepage.core.audit import record_audit
from samepage.schools.models import District, Guardian, Household, School, StaffProfile, Student


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
        student.full_clean()
        student.save()
        record_audit(
            actor=actor,
            action="student.created",
            target=student,
            changes={"district_student_id": student.district_student_id, "school": school.pk},
        )
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
