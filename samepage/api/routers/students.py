"""Students the caller may see, through the same selectors and permissions as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router

from samepage.api.auth import api_user
from samepage.api.record_of_access import note_view
from samepage.api.schemas import ErrorOut, RecordId, StudentDetailOut, StudentOut
from samepage.home.selectors import student_detail, student_list
from samepage.schools.models import Student
from samepage.teams.permissions import Part, access_student

router = Router(tags=["students"])


@router.get(
    "/students",
    response={200: list[StudentOut], 401: ErrorOut},
    summary="Students you may see",
)
def list_students(request: HttpRequest) -> QuerySet[Student]:
    return student_list(api_user(request))


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
