"""Student pages: the list a person may see and one student's overview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samepage.core.access_log import record_access
from samepage.core.bounds import paginate
from samepage.core.htmx import HtmxHttpRequest
from samepage.home import selectors
from samepage.plans import selectors as plan_selectors
from samepage.teams.permissions import Part, access_student


@require_GET
@login_required
def student_list(request: HtmxHttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:100]
    # A district has thousands of students: one page at a time, counted up to a bound
    # (core.bounds.paginate: past the end shows the last page, a non-number is a 400).
    students = selectors.student_list(request.user, search).only(*selectors.STUDENT_TABLE_COLUMNS)
    page = paginate(students, request.GET.get("page"))
    context = {"students": list(page), "page": page, "search": search}
    if request.htmx:
        # The search box swaps only the table (STYLE rule 6).
        return render(request, "home/_partials/student_results.html", context)
    return render(request, "home/student_list.html", context)


@require_GET
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
    return render(request, "home/student_detail.html", context)
