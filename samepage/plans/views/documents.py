"""Reading a plan: compare versions, what changed since last year, the plan at a glance
(with teachers' "I have read this"), and PDFs of the plan and the glance.

Thin views: each looks the plan up through plans/permissions.py, reads through
content/diff/pdf, writes only through actions, and renders.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samepage.core import pdf as paper
from samepage.core.access_log import record_access
from samepage.core.htmx import see_other
from samepage.plans import contributions, pdf, selectors
from samepage.plans.actions.acknowledgements import do_acknowledge
from samepage.plans.actions.documents import pdf_from_html
from samepage.plans.actions.lifecycle import current_version
from samepage.plans.content import content_of
from samepage.plans.diff import diff_contents
from samepage.plans.models import Plan, PlanVersion, StoredDocument
from samepage.plans.permissions import (
    PlanAccess,
    access_plan,
    access_shared_draft,
    access_version,
)
from samepage.plans.presenters import plan_state
from samepage.profiles.permissions import ProfileAccess
from samepage.profiles.selectors import ShownSection, glance_sections
from samepage.teams.permissions import Part


def _version_label(version: PlanVersion) -> str:
    return _("Version %(number)s (%(status)s)") % {
        "number": version.number,
        "status": version.get_status_display(),
    }


def _side(user: Any, plan_id: int, token: str) -> dict[str, Any]:
    """One side of a comparison: "3" is version 3, "s2" is shared draft 2."""
    token = token.strip()
    if token[:1].lower() == "s":
        shared = access_shared_draft(user, plan_id, token[1:])
        label = _("Draft shared on %(date)s (number %(number)s)") % {
            "date": pdf.readable_date(timezone.localdate(shared.shared_at)),
            "number": shared.number,
        }
        return {"token": f"s{shared.number}", "label": label, "content": shared.content}
    version = access_version(user, plan_id, token)
    return {
        "token": str(version.number),
        "label": _version_label(version),
        "content": content_of(version),
    }


def _choices(plan: Plan, access: PlanAccess) -> list[tuple[str, str]]:
    versions = [(str(v.number), _version_label(v)) for v in selectors.versions_for(plan, access)]
    shared = [
        (
            f"s{s.number}",
            _("Draft shared on %(date)s (number %(number)s)")
            % {"date": pdf.readable_date(timezone.localdate(s.shared_at)), "number": s.number},
        )
        for s in selectors.shared_drafts(plan)
    ]
    return versions + shared


@require_GET
@login_required
def compare(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Two versions (or shared drafts) side by side, word by word. Without ``from`` and
    ``to`` it compares the newest version the person may see with the one before."""
    plan = access_plan(request.user, plan_id)
    access: PlanAccess = plan.access  # type: ignore[attr-defined]
    choices = _choices(plan, access)
    versions = [token for token, _label in choices if not token.startswith("s")]
    to_token = request.GET.get("to") or (versions[-1] if versions else "")
    from_token = request.GET.get("from") or (versions[-2] if len(versions) > 1 else "")
    context: dict[str, Any] = {"plan": plan, "access": access, "choices": choices}
    if from_token and to_token:
        old = _side(request.user, plan.pk, from_token)
        new = _side(request.user, plan.pk, to_token)
        context.update(old=old, new=new, diff=diff_contents(old["content"], new["content"]))
    record_access(user=request.user, access=access.student, part=Part.PLANS, via="page")
    return render(request, "plans/documents/compare.html", context)


def _this_year(plan: Plan, access: PlanAccess) -> dict[str, Any] | None:
    """The plan as this person may read it now: its current version, or for a family
    while the school is still drafting, the newest draft shared with them."""
    version = current_version(plan)
    if version is None:
        return None
    if access.can_see_version(version):
        return {"label": _version_label(version), "content": content_of(version)}
    shared = next((s for s in selectors.shared_drafts(plan) if s.version_id == version.pk), None)
    if shared is None:
        return None
    label = _("The draft shared with you on %(date)s") % {
        "date": pdf.readable_date(timezone.localdate(shared.shared_at))
    }
    return {"label": label, "content": shared.content}


@require_GET
@login_required
def since_last_year(request: HttpRequest, plan_id: int) -> HttpResponse:
    """What changed since last year's plan, in plain words for families."""
    plan = access_plan(request.user, plan_id)
    access: PlanAccess = plan.access  # type: ignore[attr-defined]
    context: dict[str, Any] = {"plan": plan, "access": access}
    previous = plan.previous_plan
    last_version = current_version(previous) if previous is not None else None
    if last_version is not None and access.can_see_version(last_version):
        now = _this_year(plan, access)
        context["last"] = {
            "label": _version_label(last_version),
            "content": content_of(last_version),
        }
        if now is not None:
            context["now"] = now
            context["diff"] = diff_contents(context["last"]["content"], now["content"])
    record_access(user=request.user, access=access.student, part=Part.PLANS, via="page")
    return render(request, "plans/documents/since_last_year.html", context)


@require_GET
@login_required
def version_pdf(request: HttpRequest, plan_id: int, number: int) -> HttpResponse:
    """The whole plan on paper (a draft only for staff who may see drafts). A final
    version's PDF is laid out once and then read from storage."""
    version = access_version(request.user, plan_id, number)
    plan = version.plan
    access: PlanAccess = plan.access  # type: ignore[attr-defined]
    html = pdf.plan_html(version)
    document = pdf_from_html(version, kind=StoredDocument.Kind.PLAN, html=html)
    record_access(user=request.user, access=access.student, part=Part.PLANS, via="export")
    student_name = content_of(version).get("student", {}).get("name", "")
    filename = paper.pdf_filename(student_name, plan.plan_type, number)
    return paper.pdf_response(document, filename)


def _glance_profile(request: HttpRequest, plan: Plan) -> list[ShownSection]:
    """The child's triggers, calming strategies and how they learn best, as far as this
    reader may see the profile (none of it without the profile part)."""
    access: PlanAccess = plan.access  # type: ignore[attr-defined]
    user_id: int = request.user.pk  # type: ignore[assignment]  # signed in: never None
    return glance_sections(plan.student, ProfileAccess(access.student, user_id))


def _recordable(access: PlanAccess, goals: list[dict[str, Any]]) -> set[str]:
    """The goals (lineage ids) this reader records scores for from the glance (a teacher
    records what they see in class): the progress app decides (plans/contributions.py)."""
    if not goals:
        return set()
    return contributions.recordable(access.student, [g["lineage_id"] for g in goals])


def _glance_page(
    request: HttpRequest, plan: Plan, version: PlanVersion, *, status: int = 200
) -> HttpResponse:
    access: PlanAccess = plan.access  # type: ignore[attr-defined]
    glance = pdf.glance_of(content_of(version))
    context = {
        "plan": plan,
        "access": access,
        "version": version,
        "glance": glance,
        "recordable": _recordable(access, glance["goals"]),
        "profile_sections": _glance_profile(request, plan),
        "acknowledged_at": selectors.acknowledged_at(version, request.user)
        if access.can_acknowledge
        else None,
    }
    record_access(user=request.user, access=access.student, part=Part.GLANCE, via="page")
    return render(request, "plans/documents/glance.html", context, status=status)


@require_GET
@login_required
def glance(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan at a glance for the version in effect, else the newest final one.

    With neither it answers 404 with a page that says why in the plan's own state (still
    being written, ended, replaced); the PDF link answers 404 the same way.
    """
    plan = access_plan(request.user, plan_id, action="glance")
    version = selectors.glance_version(plan)
    if version is None:
        context = {"plan": plan, "state": plan_state(plan)}
        return render(request, "plans/documents/glance_none.html", context, status=404)
    return _glance_page(request, plan, version)


@require_GET
@login_required
def glance_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan at a glance on paper. Stored once per distinct document: readers who see
    the same profile entries, in the same language and zone, share one file."""
    plan = access_plan(request.user, plan_id, action="glance")
    access: PlanAccess = plan.access  # type: ignore[attr-defined]
    version = selectors.glance_version(plan)
    if version is None:
        raise Http404
    html = pdf.glance_html(version, _glance_profile(request, plan))
    document = pdf_from_html(version, kind=StoredDocument.Kind.GLANCE, html=html)
    record_access(user=request.user, access=access.student, part=Part.GLANCE, via="export")
    student_name = content_of(version).get("student", {}).get("name", "")
    filename = paper.pdf_filename(student_name, "glance", version.number)
    return paper.pdf_response(document, filename)


def _back_to_glance(plan: Plan) -> HttpResponse:
    return see_other(reverse("plans:glance", args=[plan.pk]))


@require_POST
@login_required
def acknowledge(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A general-education teacher's "I have read this" for the version they read."""
    plan = access_plan(request.user, plan_id, action="glance")
    access: PlanAccess = plan.access  # type: ignore[attr-defined]
    if not access.can_acknowledge:
        raise PermissionDenied(
            _("Only general-education teachers on the team confirm they read the plan.")
        )
    version = selectors.glance_version(plan)
    if version is None:
        raise Http404
    if request.POST.get("version") != str(version.number):
        # Another version took effect after the page was opened: read that one first.
        messages.warning(
            request, _("The plan changed since you opened it. Please read this version.")
        )
        return _back_to_glance(plan)
    try:
        do_acknowledge(version, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _glance_page(request, plan, version, status=400)
    messages.success(request, _("Thank you. The case manager can see that you read the plan."))
    return _back_to_glance(plan)


@require_GET
@login_required
def acknowledgements(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Which general-education teachers have read the current version at a glance."""
    plan = access_plan(request.user, plan_id, action="see_drafts")
    access: PlanAccess = plan.access  # type: ignore[attr-defined]
    version = selectors.glance_version(plan)
    teachers = selectors.teachers_to_acknowledge(version) if version is not None else []
    context = {
        "plan": plan,
        "access": access,
        "version": version,
        "teachers": teachers,
        "waiting": sum(1 for t in teachers if t["acknowledged_at"] is None),
    }
    record_access(user=request.user, access=access.student, part=Part.PLANS, via="page")
    return render(request, "plans/documents/acknowledgements.html", context)
