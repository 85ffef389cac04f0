"""The stored per-school counts follow every change to the students, however made."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from samepage.factories import make_district, make_school, make_student, make_user
from samepage.schools import tallies
from samepage.schools.models import SchoolTally, StaffProfile, Student

pytestmark = pytest.mark.django_db


def _stored(school):
    tally = SchoolTally.objects.filter(school=school).first()
    if tally is None:
        return dict.fromkeys(SchoolTally.COUNTS, 0)
    return {name: getattr(tally, name) for name in SchoolTally.COUNTS}


def _counts(students, active, iep, plan_504):
    return {
        "students": students,
        "active_students": active,
        "active_iep_students": iep,
        "active_504_students": plan_504,
    }


def _raw_student(school, n, **extra):
    """A row written without the action, as a bulk load or a repair by hand would."""
    return Student(
        district=school.district,
        school=school,
        district_student_id=f"raw-{n}",
        legal_first_name=f"Raw{n}",
        legal_last_name="Loaded",
        date_of_birth=date(2014, 5, 1),
        grade="5",
        **extra,
    )


def test_a_new_student_is_counted_in_their_school():
    school = make_school()
    make_student(school)
    make_student(school, plan_type=Student.PlanType.SECTION_504)
    assert _stored(school) == _counts(2, 2, 1, 1)


def test_bulk_inserted_students_are_counted_too():
    school = make_school()
    Student.objects.bulk_create(
        [_raw_student(school, n) for n in range(5)]
        + [_raw_student(school, 9, status=Student.Status.EXITED)]
    )
    assert _stored(school) == _counts(6, 5, 5, 0)


def test_status_plan_type_and_school_changes_move_the_counts():
    district = make_district()
    first, second = make_school(district), make_school(district)
    student = make_student(first)
    other = make_student(first)

    student.status = Student.Status.EXITED
    student.save()
    assert _stored(first) == _counts(2, 1, 1, 0)

    Student.objects.filter(pk=other.pk).update(plan_type=Student.PlanType.SECTION_504)
    assert _stored(first) == _counts(2, 1, 0, 1)

    Student.objects.filter(pk=other.pk).update(school=second)
    assert _stored(first) == _counts(1, 0, 0, 0)
    assert _stored(second) == _counts(1, 1, 0, 1)


def test_saving_a_student_without_a_counted_change_leaves_the_counts():
    school = make_school()
    student = make_student(school)
    for _ in range(3):
        student.grade = "6"
        student.save()
    assert _stored(school) == _counts(1, 1, 1, 0)


def test_removed_rows_leave_the_count():
    school = make_school()
    keep = make_student(school)
    Student.objects.bulk_create([_raw_student(school, n) for n in range(3)])
    Student.objects.exclude(pk=keep.pk).filter(school=school).delete()
    assert _stored(school) == _counts(1, 1, 1, 0)


def test_check_finds_no_drift_after_any_mix_of_changes_and_repairs_a_drift():
    district = make_district()
    schools = [make_school(district) for _ in range(3)]
    for i, school in enumerate(schools):
        for n in range(i + 2):
            make_student(school, plan_type=Student.PlanType.IEP if n % 2 else "504")
    Student.objects.filter(school=schools[0]).update(status=Student.Status.TRANSFERRED)
    Student.objects.filter(school=schools[1]).update(school=schools[2])
    assert tallies.drifts() == []
    call_command("recount_tallies", "--check")

    # A tally written by hand (no trigger guards the tally table itself) is found...
    SchoolTally.objects.filter(school=schools[2]).update(active_students=99)
    with pytest.raises(CommandError):
        call_command("recount_tallies", "--check")
    # ...and rewritten from a fresh count.
    call_command("recount_tallies")
    assert tallies.drifts() == []
    assert _stored(schools[2])["active_students"] == 7


def test_district_totals_sum_only_that_districts_schools():
    mine, theirs = make_district(), make_district()
    make_student(make_school(mine))
    make_student(make_school(mine), plan_type=Student.PlanType.SECTION_504)
    make_student(make_school(theirs))
    make_school(mine)  # no students yet: counts as zero, not missing
    assert tallies.district_totals(mine.pk) == _counts(2, 2, 1, 1)
    shown = sorted(s.active_students for s in tallies.schools_with_tallies(mine.pk))  # type: ignore[attr-defined]
    assert shown == [0, 1, 1]


def _admin_client(district):
    admin = make_user("Ada Admin")
    StaffProfile.objects.create(
        user=admin, district=district, role=StaffProfile.Role.DISTRICT_ADMIN
    )
    client = Client()
    client.force_login(admin)
    return client


def _admin_home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/home/")
    assert response.status_code == 200
    return response, [q["sql"] for q in queries]


def test_admin_home_reads_the_tallies_in_the_same_queries_at_any_size():
    district = make_district()
    school = make_school(district)
    Student.objects.bulk_create([_raw_student(school, n) for n in range(2)])
    client = _admin_client(district)
    client.get("/home/")
    small, small_queries = _admin_home_queries(client)

    Student.objects.bulk_create([_raw_student(school, n) for n in range(2, 40)])
    big, big_queries = _admin_home_queries(client)

    assert small.context["totals"]["active_students"] == 2
    assert big.context["totals"]["active_students"] == 40
    assert len(big_queries) == len(small_queries)
    counting_students = [
        sql
        for sql in big_queries
        if "schools_student" in sql and ("COUNT(" in sql or "SUM(" in sql)
    ]
    assert counting_students == []
