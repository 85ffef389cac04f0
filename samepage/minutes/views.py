"""The "Services" tab (each service's delivery in plain words, the make-up ledger, the
sessions), logging a session and voiding one. Thin: permissions decide, actions write,
selectors and the arithmetic read."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samepage.core.access_log import record_access
from samepage.core.bounds import paginate
from samepage.core.dates import district_today
from samepage.core.forms import add_validation_errors, report_errors
from samepage.core.htmx import see_other
from samepage.minutes import actions, selectors
from samepage.minutes.forms import (
    ClosureForm,
    LogSessionForm,
    MinutesSettingsForm,
    VoidSessionForm,
)
from samepage.minutes.permissions import (
    THRESHOLD_ONLY,
    MinutesAccess,
    access_closure,
    access_minutes,
    access_minutes_settings,
    access_session,
)
from samepage.minutes.selectors import ServiceSummary
from samepage.teams.permissions import Part

SESSIONS_PER_PAGE = 20


def _record(request: HttpRequest, access: MinutesAccess) -> None:
    record_access(user=request.user, access=access.record, part=Part.PROGRESS, via="page")


def _services_url(access: MinutesAccess, anchor: str = "") -> str:
    url = reverse("minutes:services", args=[access.student.pk])
    return f"{url}#{anchor}" if anchor else url


@require_GET
@login_required
def services_view(request: HttpRequest, student_id: int) -> HttpResponse:
    access = access_minutes(request.user, student_id)
    page = paginate(
        selectors.sessions_for(access.student), request.GET.get("page"), SESSIONS_PER_PAGE
    )
    today = district_today(access.student.district)
    summaries = selectors.service_summaries(access.student, today)
    sessions = list(page)
    names = selectors.service_names(access.student, summaries, sessions)
    _record(request, access)
    context: dict[str, Any] = {
        "student": access.student,
        "access": access,
        "record": access.record,
        "summaries": summaries,
        "page": page,
        "sessions": [(s, names.get(s.service_lineage, "")) for s in sessions],
        "void_form": VoidSessionForm(),
        "today": today,
    }
    return render(request, "minutes/services.html", context)


def _loggable(summaries: list[ServiceSummary]) -> list[ServiceSummary]:
    return [s for s in summaries if not s.is_ended]


def _initial(request: HttpRequest, loggable: list[ServiceSummary], today: Any) -> dict[str, Any]:
    """Today, the chosen service (``?service=``, else the first) and its minutes."""
    wanted = request.GET.get("service", "")
    chosen = next((s for s in loggable if s.lineage == wanted), loggable[0] if loggable else None)
    return {
        "client_key": str(uuid.uuid4()),
        "service": chosen.lineage if chosen else "",
        "day": today.isoformat(),
        "minutes": chosen.service.minutes if chosen and chosen.service.minutes else "",
        "status": "delivered",
    }


def _log_page(
    request: HttpRequest,
    access: MinutesAccess,
    form: LogSessionForm,
    loggable: list[ServiceSummary],
    *,
    status: int = 200,
) -> HttpResponse:
    _record(request, access)
    context = {
        "student": access.student,
        "access": access,
        "record": access.record,
        "form": form,
        "services": loggable,
    }
    return render(request, "minutes/log_session.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def log_session(request: HttpRequest, student_id: int) -> HttpResponse:
    access = access_minutes(request.user, student_id, action="log")
    today = district_today(access.student.district)
    loggable = _loggable(selectors.service_summaries(access.student, today))
    if request.method == "GET":
        form = LogSessionForm(initial=_initial(request, loggable, today), services=loggable)
        return _log_page(request, access, form, loggable)
    form = LogSessionForm(request.POST, services=loggable)
    if form.is_valid():
        data = form.cleaned_data
        try:
            session = actions.check_log_session(
                access.student,
                actor=request.user,
                access=access,
                service_lineage=data["service"],
                day=data["day"],
                minutes=data["minutes"],
                status=data["status"],
                missed_reason=data["missed_reason"],
                note=data["note"],
                staff_note=data["staff_note"],
                is_make_up=data["is_make_up"],
                client_key=data["client_key"],
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("The session was logged."))
            return see_other(_services_url(access, f"session-{session.pk}"))
    return _log_page(request, access, form, loggable, status=400)


@require_POST
@login_required
def void_session(request: HttpRequest, student_id: int, session_id: int) -> HttpResponse:
    access, session = access_session(request.user, student_id, session_id, action="void")
    form = VoidSessionForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        actions.check_void_session(session, actor=request.user, access=access, reason=reason)
    except ValidationError as e:
        report_errors(request, e)
    else:
        messages.success(request, _("The session was voided. It shows as voided."))
    return see_other(_services_url(access, f"session-{session.pk}"))


# --- the district's school calendar and settings (its administrator) ---------------

CLOSURES_PER_PAGE = 50


def _calendar_page(
    request: HttpRequest, district: Any, form: ClosureForm, *, status: int = 200
) -> HttpResponse:
    past = request.GET.get("when") == "past"
    days = selectors.school_calendar(district, district_today(district), past=past)
    page = paginate(days, request.GET.get("page"), CLOSURES_PER_PAGE)
    context = {"district": district, "page": page, "form": form, "past": past}
    return render(request, "minutes/calendar.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def school_calendar(request: HttpRequest) -> HttpResponse:
    """The district's days without school (from today on, or before) and a form to
    mark a day or a break."""
    district = access_minutes_settings(request.user)
    if request.method == "GET":
        return _calendar_page(request, district, ClosureForm())
    form = ClosureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.check_add_closures(
                district,
                actor=request.user,
                first=data["first"],
                last=data["last"],
                name=data["name"],
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s school day was marked as a day without school.",
                    "%(n)s school days were marked as days without school.",
                    len(made),
                )
                % {"n": len(made)},
            )
            return see_other(reverse("minutes:calendar"))
    return _calendar_page(request, district, form, status=400)


@require_POST
@login_required
def archive_closure(request: HttpRequest, closure_id: int) -> HttpResponse:
    """Take a day off the calendar: the row stays, archived."""
    closure = access_closure(request.user, closure_id)
    actions.check_archive_closure(closure, actor=request.user)
    messages.success(
        request,
        _("%(day)s is a school day again.") % {"day": date_format(closure.day, "DATE_FORMAT")},
    )
    # Back to the list the day was on.
    past = closure.day < district_today(closure.district)
    url = reverse("minutes:calendar") + ("?when=past" if past else "")
    return see_other(f"{url}#closure-{closure.pk}")


@require_http_methods(["GET", "POST"])
@login_required
def minutes_settings(request: HttpRequest) -> HttpResponse:
    """The district's delivery threshold and when a month is judged."""
    district = access_minutes_settings(request.user, refusal=THRESHOLD_ONLY)
    rules = selectors.rules_for(district)
    initial = {
        "threshold_percent": rules.threshold_percent,
        "alert_after_school_days": rules.alert_after_school_days,
        "closures_owed": rules.closures_owed,
    }
    form = MinutesSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.check_set_minutes_settings(
                    district, actor=request.user, **form.cleaned_data
                )
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                messages.success(
                    request,
                    _("The service-minutes settings were saved. Tonight's check uses them."),
                )
                return see_other(reverse("minutes:settings"))
    return render(request, "minutes/settings.html", {"form": form}, status=status)
