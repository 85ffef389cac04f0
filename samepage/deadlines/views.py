"""A child's deadlines page: thin, reads the stored rows (never recomputes them)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samepage.core.access_log import record_access
from samepage.core.dates import district_today
from samepage.deadlines import presenters, selectors
from samepage.deadlines.permissions import access_deadlines
from samepage.teams.permissions import Part


@require_GET
@login_required
def student_deadlines(request: HttpRequest, student_id: int) -> HttpResponse:
    access = access_deadlines(request.user, student_id)
    student = access.student
    today = district_today(student.district)
    lines = presenters.lines(list(selectors.deadlines_for(student)), today)
    record_access(user=request.user, access=access.record, part=Part.PLANS, via="page")
    return render(
        request,
        "deadlines/student.html",
        {
            "student": student,
            "access": access,
            "record": access.record,
            "lines": lines,
            "today": today,
        },
    )
