"""Each person's home, the way in, and the language switch.

The home is the top of the app: it gathers from every part of the record what this
person should see first, so it sits above all the apps it reads.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samepage.accounts import actions as account_actions
from samepage.conversations import selectors as conversation_selectors
from samepage.core.bounds import PAGE_SIZE, page_of, paginate
from samepage.home import selectors as home_selectors
from samepage.plans import pdf as plan_pdf
from samepage.plans import selectors as plan_selectors
from samepage.schools.models import StaffProfile
from samepage.schools.roles import roles_for
from samepage.teams import selectors as team_selectors
from samepage.teams.attention import Seeker, attention_for

# A teacher can teach hundreds of students: their plans come a page at a time.
TAUGHT_PER_PAGE = 20
OVERDUE_PER_PAGE = 20


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home:home")
    return redirect("accounts:login")


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person's starting page, showing their own real data."""
    roles = roles_for(request.user)
    context: dict[str, Any] = {"roles": roles}
    if roles.staff is not None:
        if roles.staff.role == StaffProfile.Role.DISTRICT_ADMIN:
            context.update(home_selectors.district_summary(roles.staff, request.GET.get("page")))
            template = "home/home_district_admin.html"
        elif roles.staff.role == StaffProfile.Role.SCHOOL_LEADER:
            # The school's students a page at a time, with the student list's search.
            search = request.GET.get("q", "")[:100]
            students = home_selectors.student_list(request.user, search).only(
                *home_selectors.STUDENT_TABLE_COLUMNS
            )
            context["page"] = paginate(students, request.GET.get("page"))
            context["students"] = list(context["page"])
            context["search"] = search
            context["schools"] = list(roles.staff.schools.all())
            # Plans in effect past their annual review date, a page at a time.
            overdue = Paginator(plan_selectors.overdue_plans(request.user), OVERDUE_PER_PAGE)
            context["overdue_page"] = page_of(overdue, request.GET.get("overdue_page"))
            context["overdue_reviews"] = plan_selectors.overdue_rows(context["overdue_page"])
            template = "home/home_school_leader.html"
        elif roles.staff.role == StaffProfile.Role.GENERAL_ED_TEACHER:
            # Past the end shows the last page; a page "number" that is not one is a 400.
            taught = Paginator(plan_selectors.taught_plans(request.user), TAUGHT_PER_PAGE)
            page = page_of(taught, request.GET.get("page"))
            context["page"] = page
            context["taught"] = plan_pdf.taught_rows(page)
            # "N new messages" per student, for the whole page at once.
            conversation_selectors.mark_unread_messages(
                request.user, [row.student for row in context["taught"]]
            )
            template = "home/home_teacher.html"
        else:
            # What needs their attention across the whole caseload, not just this page:
            # each kind a few items and a count, in the same queries for 10 or 300.
            context["attention"] = attention_for(
                Seeker(request.user, home_selectors.caseload_students(request.user))
            )
            page = paginate(home_selectors.caseload(request.user), request.GET.get("page"))
            context["page"] = page
            context["caseload"] = list(page)
            # Each student's review_overdue_since, for this page of the caseload (one query).
            plan_selectors.mark_overdue_reviews(
                request.user, [m.student for m in context["caseload"]]
            )
            # "N new messages" per student, for the whole page at once.
            conversation_selectors.mark_unread_messages(
                request.user, [m.student for m in context["caseload"]]
            )
            template = "home/home_staff.html"
    elif roles.is_guardian:
        context["children"] = home_selectors.children_of(request.user)
        # "N new messages since your last visit" under each child, for all at once.
        conversation_selectors.mark_unread_messages(request.user, context["children"])
        template = "home/home_guardian.html"
    elif roles.student is not None:
        # Their own record (and any a family shared with them): a page's worth at most.
        context["students"] = list(home_selectors.student_list(request.user)[:PAGE_SIZE])
        template = "home/home_student.html"
    else:
        # An advocate may work with many families: their grants come a page at a time.
        page = paginate(team_selectors.grants_in_order(request.user), request.GET.get("page"))
        context["page"] = page
        context["grants"] = [team_selectors.received(grant) for grant in page]
        template = "home/home_advocate.html"
    return render(request, template, context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; signed-in people keep the choice on their account."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or reverse("home:index")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home:index")
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
