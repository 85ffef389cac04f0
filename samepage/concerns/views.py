"""Concern pages: the family's concerns, one concern with its answers, and the
traceability view. Thin: permissions decide, actions write, selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samepage.concerns import actions, selectors
from samepage.concerns.forms import ConcernForm, DeclineForm, DeferForm, HeardConcernForm, LinkForm
from samepage.concerns.models import ParentConcern
from samepage.concerns.permissions import ConcernAccess, access_concern, access_concerns
from samepage.concerns.presenters import history_of, shown_concern, wording_for
from samepage.core.access_log import record_access
from samepage.core.forms import add_validation_errors
from samepage.teams.permissions import Part


def _record(request: HttpRequest, access: ConcernAccess) -> None:
    record_access(user=request.user, access=access.record, part=Part.PLANS, via="page")


def _list_page(
    request: HttpRequest,
    access: ConcernAccess,
    *,
    add_form: ConcernForm | None = None,
    heard_form: HeardConcernForm | None = None,
    status: int = 200,
) -> HttpResponse:
    _record(request, access)
    student = access.student
    wording = wording_for(access)
    context: dict[str, Any] = {
        "student": student,
        "access": access,
        "concerns": [shown_concern(c, wording) for c in selectors.concerns_for(student)],
    }
    if access.can_add:
        context["add_form"] = add_form or ConcernForm(prefix="add")
    if access.can_respond:
        context["heard_form"] = heard_form or HeardConcernForm(
            prefix="heard", guardians=selectors.guardians_to_hear_from(student)
        )
    return render(request, "concerns/list.html", context, status=status)


@require_GET
@login_required
def concern_list(request: HttpRequest, student_id: int) -> HttpResponse:
    return _list_page(request, access_concerns(request.user, student_id))


@require_POST
@login_required
def add(request: HttpRequest, student_id: int) -> HttpResponse:
    access = access_concerns(request.user, student_id, action="add")
    form = ConcernForm(request.POST, prefix="add")
    if form.is_valid():
        try:
            actions.check_add_concern(
                access.student, actor=request.user, access=access, **form.cleaned_data
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Your concern was shared with the team."))
            return redirect("concerns:list", student_id=access.student.pk)
    return _list_page(request, access, add_form=form, status=400)


@require_POST
@login_required
def heard(request: HttpRequest, student_id: int) -> HttpResponse:
    access = access_concerns(request.user, student_id, action="respond")
    form = HeardConcernForm(
        request.POST, prefix="heard", guardians=selectors.guardians_to_hear_from(access.student)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.check_record_heard_concern(
                access.student,
                actor=request.user,
                access=access,
                heard_from_id=data["heard_from"],
                category=data["category"],
                text=data["text"],
                importance=data["importance"],
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("The concern was recorded."))
            return redirect("concerns:list", student_id=access.student.pk)
    return _list_page(request, access, heard_form=form, status=400)


def _detail_page(
    request: HttpRequest,
    access: ConcernAccess,
    concern: ParentConcern,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    _record(request, access)
    wording = wording_for(access)
    context: dict[str, Any] = {
        "student": access.student,
        "access": access,
        "concern": shown_concern(concern, wording),
        "history": history_of(concern, wording),
    }
    if access.can_respond:
        targets = selectors.link_targets(access.student)
        context.update(
            has_targets=bool(targets),
            link_form=LinkForm(prefix="link", targets=targets),
            decline_form=DeclineForm(prefix="decline"),
            defer_form=DeferForm(prefix="defer"),
        )
        context.update(forms or {})
    return render(request, "concerns/detail.html", context, status=status)


@require_GET
@login_required
def detail(request: HttpRequest, student_id: int, concern_id: int) -> HttpResponse:
    access, concern = access_concern(request.user, student_id, concern_id)
    return _detail_page(request, access, concern)


def _answered(request: HttpRequest, access: ConcernAccess, concern: ParentConcern) -> HttpResponse:
    messages.success(request, _("Saved. The family sees this answer."))
    return redirect("concerns:detail", student_id=access.student.pk, concern_id=concern.pk)


@require_POST
@login_required
def link(request: HttpRequest, student_id: int, concern_id: int) -> HttpResponse:
    access, concern = access_concern(request.user, student_id, concern_id, action="respond")
    form = LinkForm(request.POST, prefix="link", targets=selectors.link_targets(access.student))
    if form.is_valid():
        plan_id, target = form.plan_and_target()
        try:
            actions.check_link_concern(
                concern,
                actor=request.user,
                access=access,
                plan_id=plan_id,
                target=target,
                note=form.cleaned_data["note"],
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            return _answered(request, access, concern)
    return _detail_page(request, access, concern, forms={"link_form": form}, status=400)


@require_POST
@login_required
def decline(request: HttpRequest, student_id: int, concern_id: int) -> HttpResponse:
    access, concern = access_concern(request.user, student_id, concern_id, action="respond")
    form = DeclineForm(request.POST, prefix="decline")
    if form.is_valid():
        try:
            actions.check_decline_concern(
                concern,
                actor=request.user,
                access=access,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            return _answered(request, access, concern)
    return _detail_page(request, access, concern, forms={"decline_form": form}, status=400)


@require_POST
@login_required
def defer(request: HttpRequest, student_id: int, concern_id: int) -> HttpResponse:
    access, concern = access_concern(request.user, student_id, concern_id, action="respond")
    form = DeferForm(request.POST, prefix="defer")
    if form.is_valid():
        try:
            actions.check_defer_concern(
                concern,
                actor=request.user,
                access=access,
                until=form.cleaned_data["until"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            return _answered(request, access, concern)
    return _detail_page(request, access, concern, forms={"defer_form": form}, status=400)


@require_GET
@login_required
def trace(request: HttpRequest, student_id: int) -> HttpResponse:
    access = access_concerns(request.user, student_id)
    _record(request, access)
    concerns = list(selectors.concerns_for(access.student))
    wording = wording_for(access)
    context = {
        "student": access.student,
        "access": access,
        "concerns": [shown_concern(c, wording) for c in concerns],
        "counts": selectors.status_counts(concerns),
        "total": len(concerns),
    }
    return render(request, "concerns/trace.html", context)
