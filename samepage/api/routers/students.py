"""Students the caller may see, through the same selectors and permissions as the pages."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from samepage.api.auth import api_user
from samepage.api.pagination import Keyset, PageIn, body, page_of
from samepage.api.record_of_access import note_view
from samepage.api.schemas import (
    ErrorOut,
    RecordId,
    StudentDetailOut,
    StudentOut,
    ValidationErrorOut,
)
from samepage.home.selectors import student_detail, student_list
from samepage.schools.models import Student
from samepage.teams.permissions import Part, access_student, reaches_few

router = Router(tags=["students"])

# The student list's own order (the pages' too), ending with the id so that it is unique:
# the index schools.0008 "student_by_name" (legal_last_name, legal_first_name, id) serves it.
STUDENTS = Keyset("students", ("legal_last_name", "legal_first_name", "pk"))
StudentPage = page_of(StudentOut)
# StudentOut's fields and no more: the rest of a student and its school (timestamps,
# search form, district, account) was read and decoded for every row and never sent.
STUDENT_OUT_COLUMNS = (
    "district_student_id",
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "date_of_birth",
    "grade",
    "plan_type",
    "status",
    "disability_categories",
    "school__name",
)


class StudentFilter(Schema):
    school: RecordId | None = None
    plan_type: Literal["iep", "504"] | None = None
    status: Literal["active", "exited", "transferred"] | None = None
    q: Annotated[
        str,
        Field(
            "",
            max_length=100,
            description=(
                "Each word must begin a word of the student's names or district student ID "
                "(accents and case do not matter)."
            ),
        ),
    ]


def filtered_students(user: Any, filters: StudentFilter) -> QuerySet[Student]:
    students = student_list(user, search=filters.q)
    if filters.school is not None:
        students = students.filter(school_id=filters.school)
    if filters.plan_type is not None:
        students = students.filter(plan_type=filters.plan_type)
    if filters.status is not None:
        students = students.filter(status=filters.status)
    return students


@router.get(
    "/students",
    response={200: StudentPage, 400: ValidationErrorOut, 401: ErrorOut},
    summary="Students you may see, by name, a page at a time",
)
def list_students(
    request: HttpRequest, filters: Query[StudentFilter], page: Query[PageIn]
) -> dict[str, Any]:
    # A list of names, like the pages' student list: no one child's record is read,
    # so no AccessEvent (opening a student is one).
    user = api_user(request)
    students = filtered_students(user, filters).only(*STUDENT_OUT_COLUMNS)
    return body(STUDENTS.page(students, page, few=reaches_few(user)))


@router.get(
    "/students/{student_id}",
    response={200: StudentDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="One student, with guardians and current team",
)
def get_student(request: HttpRequest, student_id: RecordId) -> dict[str, Any]:
    user = api_user(request)
    student = access_student(user, student_id, action="view")
    note_view(user, student, Part.SUMMARY)
    detail = student_detail(user, student)
    return {**StudentOut.from_orm(student).model_dump(), **detail}
