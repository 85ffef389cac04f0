"""Problem-solving pages: a student's log of tricky situations, one situation with its
ideas, tries and outcomes, and a form for each step. Thin: permissions decide, actions
write, selectors read. Every page works without JavaScript (plain forms, 303s)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samepage.core.access_log import record_access
from samepage.core.bounds import paginate
from samepage.core.conflicts import EditConflict
from samepage.core.forms import add_validation_errors
from samepage.core.models import AccessEvent
from samepage.problems import actions, selectors
from samepage.problems.forms import (
    CloseForm,
    EditSituationForm,
    IdeaForm,
    OutcomeForm,
    RaiseForm,
    ToProfileForm,
    TryForm,
)
from samepage.problems.models import TrickySituation
from samepage.problems.permissions import (
    ProblemAccess,
    access_problem_log,
    access_situation,
    access_try,
)
from samepage.teams.permissions import Part

SITUATIONS_PER_PAGE = 20


def _record(request: HttpRequest, access: ProblemAccess) -> None:
    record_access(
        user=request.user, access=access.record, part=Part.PROFILE, via=AccessEvent.Via.PAGE
    )


def _context(access: ProblemAccess, **extra: Any) -> dict[str, Any]:
    return {"student": access.student, "access": access, **extra}


@require_GET
@login_required
def situation_list(request: HttpRequest, student_id: int) -> HttpResponse:
    access = access_problem_log(request.user, student_id)
    page = paginate(
        selectors.situations_for(access.student), request.GET.get("page"), SITUATIONS_PER_PAGE
    )
    _record(request, access)
    return render(request, "problems/list.html", _context(access, page=page))


def _raise_form(access: ProblemAccess, data: Any = None) -> RaiseForm:
    entries = selectors.linkable_entries(access.student, access.profile)
    return RaiseForm(data, entries=entries)


@require_http_methods(["GET", "POST"])
@login_required
def raise_situation(request: HttpRequest, student_id: int) -> HttpResponse:
    access = access_problem_log(request.user, student_id, action="raise")
    form = _raise_form(access, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                situation = actions.check_raise_situation(
                    access.student,
                    actor=request.user,
                    access=access,
                    summary=data["summary"],
                    what_happens=data["what_happens"],
                    when_it_happens=data["when_it_happens"],
                    where_it_happens=data["where_it_happens"],
                    entry_ids=data.get("entries") or [],
                )
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                messages.success(request, _("The situation was shared with the team."))
                return redirect(
                    "problems:detail", student_id=access.student.pk, situation_id=situation.pk
                )
    _record(request, access)
    return render(request, "problems/raise.html", _context(access, form=form), status=status)


def _tries(access: ProblemAccess, situation: TrickySituation, forms_by_try: dict[int, Any]) -> list:
    shown = []
    for agreed in situation.tries.all():
        agreed.situation = situation
        outcome = getattr(agreed, "outcome", None)
        link = getattr(outcome, "profile_link", None) if outcome is not None else None
        row: dict[str, Any] = {"try": agreed, "outcome": outcome, "profile_link": link}
        if outcome is None and access.can_record_outcome(agreed):
            row["outcome_form"] = forms_by_try.get(agreed.pk) or OutcomeForm(
                prefix=f"outcome-{agreed.pk}"
            )
        row["can_feed"] = (
            outcome is not None and outcome.helped and link is None and access.can_feed_profile
        )
        shown.append(row)
    return shown


def _detail_page(
    request: HttpRequest,
    access: ProblemAccess,
    situation: TrickySituation,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    full = selectors.situation_detail(TrickySituation.objects.filter(pk=situation.pk)).get()
    full.student = access.student
    profile = access.profile
    context = _context(
        access,
        situation=full,
        can_edit=access.can_edit(full),
        ideas=list(full.ideas.all()),
        tries=_tries(access, full, forms.get("outcome_forms", {})),
        links=[link for link in full.profile_links.all() if profile.can_see_entry(link.entry)],
    )
    if full.is_open:
        context["idea_form"] = forms.get("idea_form") or IdeaForm(prefix="idea")
        if access.can_agree:
            context["try_form"] = forms.get("try_form") or TryForm(
                prefix="try", owners=selectors.owners_to_choose(access.student)
            )
        if context["can_edit"]:
            context["close_form"] = forms.get("close_form") or CloseForm(prefix="close")
    _record(request, access)
    return render(request, "problems/detail.html", context, status=status)


@require_GET
@login_required
def detail(request: HttpRequest, student_id: int, situation_id: int) -> HttpResponse:
    access, situation = access_situation(request.user, student_id, situation_id)
    return _detail_page(request, access, situation)


def _back(access: ProblemAccess, situation: TrickySituation) -> HttpResponse:
    return redirect("problems:detail", student_id=access.student.pk, situation_id=situation.pk)


@require_POST
@login_required
def add_idea(request: HttpRequest, student_id: int, situation_id: int) -> HttpResponse:
    access, situation = access_situation(request.user, student_id, situation_id, action="idea")
    form = IdeaForm(request.POST, prefix="idea")
    if form.is_valid():
        try:
            actions.check_add_idea(
                situation, actor=request.user, access=access, text=form.cleaned_data["text"]
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Your idea was added."))
            return _back(access, situation)
    return _detail_page(request, access, situation, forms={"idea_form": form}, status=400)


@require_POST
@login_required
def agree_try(request: HttpRequest, student_id: int, situation_id: int) -> HttpResponse:
    access, situation = access_situation(request.user, student_id, situation_id, action="agree")
    form = TryForm(request.POST, prefix="try", owners=selectors.owners_to_choose(access.student))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.check_agree_try(
                situation,
                actor=request.user,
                access=access,
                what=data["what"],
                owner_id=data["owner"],
                due_on=data["due_on"],
                follow_up_on=data["follow_up_on"],
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Saved what the team will try."))
            return _back(access, situation)
    return _detail_page(request, access, situation, forms={"try_form": form}, status=400)


@require_POST
@login_required
def record_outcome(
    request: HttpRequest, student_id: int, situation_id: int, try_id: int
) -> HttpResponse:
    access, agreed = access_try(request.user, student_id, situation_id, try_id, action="outcome")
    form = OutcomeForm(request.POST, prefix=f"outcome-{agreed.pk}")
    if form.is_valid():
        try:
            outcome = actions.check_record_outcome(
                agreed,
                actor=request.user,
                access=access,
                result=form.cleaned_data["result"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Saved how it went."))
            if outcome.helped and access.can_feed_profile:
                return redirect(
                    "problems:to_profile",
                    student_id=access.student.pk,
                    situation_id=agreed.situation_id,
                    try_id=agreed.pk,
                )
            return _back(access, agreed.situation)
    return _detail_page(
        request,
        access,
        agreed.situation,
        forms={"outcome_forms": {agreed.pk: form}},
        status=400,
    )


@require_http_methods(["GET", "POST"])
@login_required
def to_profile(
    request: HttpRequest, student_id: int, situation_id: int, try_id: int
) -> HttpResponse:
    """Confirm, then add what helped to the profile (once: the page says so after)."""
    access, agreed = access_try(request.user, student_id, situation_id, try_id, action="feed")
    outcome = getattr(agreed, "outcome", None)
    already = getattr(outcome, "profile_link", None) if outcome is not None else None
    form = ToProfileForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.check_add_to_profile(
                    agreed,
                    actor=request.user,
                    access=access,
                    section=form.cleaned_data["section"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                messages.success(request, _("Added to the profile, linked to this situation."))
                return _back(access, agreed.situation)
    _record(request, access)
    context = _context(
        access,
        situation=agreed.situation,
        agreed=agreed,
        outcome=outcome,
        already=already,
        form=form,
        suggested={
            "calming": actions.profile_text(agreed, "calming"),
            "triggers": actions.profile_text(agreed, "triggers"),
        },
    )
    return render(request, "problems/to_profile.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, student_id: int, situation_id: int) -> HttpResponse:
    access, situation = access_situation(request.user, student_id, situation_id, action="edit")
    status = 200
    conflict: EditConflict | None = None
    if request.method == "POST":
        form = EditSituationForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.check_edit_situation(
                    situation,
                    actor=request.user,
                    access=access,
                    expected_revision=data["revision"],
                    **{name: data[name] for name in actions.TEXT_FIELDS},
                )
            except EditConflict as e:
                conflict = e
                status = 409
                form = EditSituationForm(
                    initial={**data, "revision": e.revision},
                )
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                messages.success(request, _("Saved. The earlier words are kept in the history."))
                return _back(access, situation)
    else:
        form = EditSituationForm(
            initial={
                "revision": situation.revision,
                **{name: getattr(situation, name) for name in actions.TEXT_FIELDS},
            }
        )
    _record(request, access)
    labels = {name: form.fields[name].label for name in actions.TEXT_FIELDS}
    rows = (
        [
            {"label": labels[name], "theirs": conflict.theirs[name], "yours": conflict.yours[name]}
            for name in actions.TEXT_FIELDS
        ]
        if conflict is not None
        else []
    )
    context = _context(
        access,
        situation=situation,
        form=form,
        conflict=conflict,
        rows=rows,
        revisions=list(situation.revisions.select_related("author")),
    )
    return render(request, "problems/edit.html", context, status=status)


@require_POST
@login_required
def close(request: HttpRequest, student_id: int, situation_id: int) -> HttpResponse:
    access, situation = access_situation(request.user, student_id, situation_id, action="edit")
    form = CloseForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            actions.check_close_situation(
                situation, actor=request.user, access=access, status=form.cleaned_data["status"]
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("The situation was closed. It stays in the log."))
            return _back(access, situation)
    return _detail_page(request, access, situation, forms={"close_form": form}, status=400)


@require_POST
@login_required
def reopen(request: HttpRequest, student_id: int, situation_id: int) -> HttpResponse:
    access, situation = access_situation(request.user, student_id, situation_id, action="edit")
    actions.check_reopen_situation(situation, actor=request.user, access=access)
    messages.success(request, _("The situation is open again."))
    return _back(access, situation)
