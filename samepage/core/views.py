"""Home pages per role, language switching and error pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samepage.accounts import actions as account_actions
from samepage.core.bounds import BadQuery, page_of
from samepage.plans import pdf as plan_pdf
from samepage.plans import selectors as plan_selectors
from samepage.schools import selectors as school_selectors
from samepage.schools.models import StaffProfile
from samepage.schools.roles import roles_for
from samepage.teams import selectors as team_selectors

# A teacher can teach hundreds of students: their plans come a page at a time.
TAUGHT_PER_PAGE = 20
OVERDUE_PER_PAGE = 20


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    return redirect("accounts:login")


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person's starting page, showing their own real data."""
    roles = roles_for(request.user)
    context: dict[str, Any] = {"roles": roles}
    if roles.staff is not None:
        if roles.staff.role == StaffProfile.Role.DISTRICT_ADMIN:
            context.update(school_selectors.district_summary(roles.staff))
            template = "core/home_district_admin.html"
        elif roles.staff.role == StaffProfile.Role.SCHOOL_LEADER:
            context["students"] = list(school_selectors.student_list(request.user))
            context["schools"] = list(roles.staff.schools.all())
            # Plans in effect past their annual review date, a page at a time.
            overdue = Paginator(plan_selectors.overdue_plans(request.user), OVERDUE_PER_PAGE)
            context["overdue_page"] = page_of(overdue, request.GET.get("overdue_page"))
            context["overdue_reviews"] = plan_selectors.overdue_rows(context["overdue_page"])
            template = "core/home_school_leader.html"
        elif roles.staff.role == StaffProfile.Role.GENERAL_ED_TEACHER:
            # Past the end shows the last page; a page "number" that is not one is a 400.
            taught = Paginator(plan_selectors.taught_plans(request.user), TAUGHT_PER_PAGE)
            page = page_of(taught, request.GET.get("page"))
            context["page"] = page
            context["taught"] = plan_pdf.taught_rows(page)
            template = "core/home_teacher.html"
        else:
            context["caseload"] = school_selectors.caseload(request.user)
            # Each student's review_overdue_since, for the caseload table (one query).
            plan_selectors.mark_overdue_reviews(
                request.user, [m.student for m in context["caseload"]]
            )
            template = "core/home_staff.html"
    elif roles.is_guardian:
        context["children"] = school_selectors.children_of(request.user)
        template = "core/home_guardian.html"
    elif roles.student is not None:
        context["students"] = list(school_selectors.student_list(request.user))
        template = "core/home_student.html"
    else:
        context["students"] = list(school_selectors.student_list(request.user))
        context["grants"] = team_selectors.grants_received(request.user)
        template = "core/home_advocate.html"
    return render(request, template, context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; signed-in people keep the choice on their account."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or reverse("core:index")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("core:index")
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        return render(
            request,
            "core/error.html",
            {
                "title": _("Language not available"),
                "message": _("SamePage is available in English and Spanish."),
            },
            status=400,
        )
    if request.user.is_authenticated:
        account_actions.do_change_preferences(
            request.user, actor=request.user, language=language, time_zone=None
        )
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"detail": message}, status=status)
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A BadQuery carries a translated message saying what to fix; other 400s (a bad
    # Host header, a malformed upload) keep the general one, whose text may be technical.
    detail = str(exception) if isinstance(exception, BadQuery) else ""
    return _error(
        request,
        400,
        _("Something was wrong with that request"),
        detail or _("Please go back and try again. If it keeps happening, tell your school."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    detail = str(exception) if exception and str(exception) else ""
    return _error(
        request,
        403,
        _("You can look, but not change this"),
        detail or _("Your role on this child's team does not allow this change."),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        _("Page not found"),
        _("There is nothing here, or it is not shared with you."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("Something went wrong on our side"),
        _("Nothing you entered was lost. Please try again in a minute."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("This form has expired"),
        _("Please go back, reload the page and send the form again."),
    )
