"""Student pages: the list a person may see and one student's overview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samepage.core.access_log import record_access
from samepage.core.htmx import HtmxHttpRequest
from samepage.plans import selectors as plan_selectors
from samepage.schools import selectors
from samepage.schools.permissions import Part, access_student


@login_required
def student_list(request: HtmxHttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:100]
    students = list(selectors.student_list(request.user, search))
    context = {"students": students, "search": search}
    if request.htmx:
        # The search box swaps only the table (STYLE rule 6).
        return render(request, "schools/_partials/student_results.html", context)
    return render(request, "schools/student_list.html", context)


@login_required
def student_detail(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access_student(request.user, student_id, action="view")
    access = student.access  # type: ignore[attr-defined]
    record_access(user=request.user, access=access, part=Part.SUMMARY, via="page")
    context = {
        "student": student,
        "access": access,
        "plans": (
            list(plan_selectors.plan_list(request.user, student=student))
            if access.can_view_plans
            else []
        ),
        **selectors.student_detail(request.user, student),
    }
    return render(request, "schools/student_detail.html", context)
