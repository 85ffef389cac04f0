"""Plan pages: list, overview, versions, shared drafts and questions, meeting,
finalize, signature, amendment and end."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samepage.core.access_log import record_access
from samepage.core.bounds import paginate
from samepage.core.dates import district_today
from samepage.core.forms import add_validation_errors, report_errors
from samepage.core.htmx import see_other
from samepage.plans import selectors
from samepage.plans.actions import lifecycle
from samepage.plans.content import content_of
from samepage.plans.forms_lifecycle import (
    AmendForm,
    EndPlanForm,
    MeetingForm,
    QuestionForm,
    ReplyForm,
    ShareForm,
    SignForm,
)
from samepage.plans.models import Plan, PlanQuestion, PlanVersion
from samepage.plans.permissions import (
    access_plan,
    access_question,
    access_shared_draft,
    access_version,
)
from samepage.plans.presenters import (
    anchor_choices,
    content_contents,
    plan_label,
    plan_rows,
    plan_state,
    shown_items,
    shown_sections,
)
from samepage.teams.permissions import Part, access_student


def _record(request: HttpRequest, plan: Plan) -> None:
    access = plan.access.student  # type: ignore[attr-defined]
    record_access(user=request.user, access=access, part=Part.PLANS, via="page")


def _draft(plan: Plan) -> PlanVersion | None:
    return plan.versions.filter(status=PlanVersion.Status.DRAFT).first()


@require_GET
@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    # One page at a time, counted up to a bound (core.bounds.paginate: past the end
    # shows the last page, a non-number is a 400); rows read no version's content.
    search = request.GET.get("q", "")[:100]
    plans = selectors.plan_list(request.user, search=search)
    page = paginate(plans, request.GET.get("page"))
    context = {"rows": plan_rows(page), "page": page, "search": search}
    return render(request, "plans/list.html", context)


@require_POST
@login_required
def create(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access_student(request.user, student_id, action="edit_plan", part=Part.PLANS)
    try:
        plan = lifecycle.do_create_plan(student, actor=request.user)
    except ValidationError as e:
        report_errors(request, e)
        return redirect("home:student_detail", student_id=student.pk)
    messages.success(request, _("A new draft plan was started."))
    return redirect("plans:detail", plan_id=plan.pk)


@require_GET
@login_required
def detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan(request.user, plan_id)
    access = plan.access  # type: ignore[attr-defined]
    _record(request, plan)
    # One read of the versions (without their frozen content) answers the list, the
    # draft, the current version and the plan's label and state.
    every_version = selectors.versions_listed(plan)
    shared = selectors.shared_drafts(plan, with_content=False)
    draft = (
        next((v for v in every_version if v.status == PlanVersion.Status.DRAFT), None)
        if access.can_see_drafts
        else None
    )
    current = lifecycle.current_of(every_version[::-1])
    state = plan_state(selectors.summarize_from(plan, every_version, shared))
    contents = [
        ("versions", _("Versions")),
        ("shared-drafts", _("Drafts shared with the family")),
    ]
    if access.can_edit:
        contents.append(("team-actions", _("Team actions")))
    context: dict[str, Any] = {
        "plan": plan,
        "access": access,
        "student": plan.student,
        "label": plan_label(plan),
        "state": state,
        "review_overdue_since": selectors.review_overdue_since(plan),
        "versions": selectors.shown_versions(every_version, access),
        "shared": shared,
        "next_drafts": selectors.next_plan_drafts(plan),
        "draft": draft,
        # The copy of the draft the family has now (None: they have not seen it).
        "draft_last_shared": next(
            (s for s in shared if draft is not None and s.version_id == draft.pk), None
        ),
        "current": current,
        # The plan at a glance exists for a plan in effect or waiting for signature.
        "has_glance": state in ("in_effect", "final"),
        "contents": contents,
        "share_form": ShareForm(),
        "meeting_form": MeetingForm(today=district_today(plan.student.district)),
        "end_form": EndPlanForm(),
    }
    return render(request, "plans/detail.html", context)


@require_GET
@login_required
def version(request: HttpRequest, plan_id: int, number: int) -> HttpResponse:
    version = access_version(request.user, plan_id, number)
    plan = version.plan
    _record(request, plan)
    content = content_of(version)
    return render(
        request,
        "plans/version.html",
        {
            "plan": plan,
            "access": plan.access,  # type: ignore[attr-defined]
            "student": plan.student,
            "version": version,
            "sections": (sections := shown_sections(plan.plan_type, content)),
            "items": (items := shown_items(plan.plan_type, content)),
            "contents": [
                *content_contents(sections, items),
                ("signatures", _("Signatures")),
            ],
            "signatures": selectors.signatures_for(version),
        },
    )


@require_POST
@login_required
def share(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan(request.user, plan_id, action="edit")
    draft = _draft(plan)
    form = ShareForm(request.POST)
    if draft is None or not form.is_valid():
        messages.error(request, _("There is no draft to share."))
        return redirect("plans:detail", plan_id=plan.pk)
    shared = lifecycle.do_share_draft(
        draft, actor=request.user, message=form.cleaned_data["message"]
    )
    messages.success(request, _("The draft was shared with the family."))
    return redirect("plans:shared", plan_id=plan.pk, shared_number=shared.number)


def _shared_page(
    request: HttpRequest,
    plan_id: int,
    shared_number: int,
    *,
    form: QuestionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    shared = access_shared_draft(request.user, plan_id, shared_number)
    plan = shared.version.plan
    access = plan.access  # type: ignore[attr-defined]
    _record(request, plan)
    anchors = anchor_choices(plan.plan_type, shared.content)
    questions = selectors.questions_for(shared)
    by_anchor: dict[str, list[PlanQuestion]] = {}
    for question in questions:
        by_anchor.setdefault(question.anchor, []).append(question)
    labels = dict(anchors)
    sections = shown_sections(plan.plan_type, shared.content)
    items = shown_items(plan.plan_type, shared.content)
    contents = []
    if access.can_ask:
        contents.append(("ask-title", _("Ask a question or comment")))
    if by_anchor.get("plan"):
        contents.append(("general-questions", _("Questions about the plan as a whole")))
    contents.extend(content_contents(sections, items))
    newest = selectors.newest_shared_number(plan)
    return render(
        request,
        "plans/shared.html",
        {
            "plan": plan,
            "access": access,
            "student": plan.student,
            "shared": shared,
            "newest_shared_number": newest,
            "sections": sections,
            "items": items,
            "contents": contents,
            "questions": questions,
            "questions_by_anchor": by_anchor,
            "anchor_labels": labels,
            "question_form": form or QuestionForm(anchors=anchors),
            "reply_form": ReplyForm(),
        },
        status=status,
    )


def _to_question(question: PlanQuestion) -> HttpResponse:
    """303 to the shared draft, landing on the question (its element has this id and
    tabindex="-1", so the browser moves focus there)."""
    shared = question.shared_draft
    url = reverse("plans:shared", args=[shared.version.plan_id, shared.number])
    return see_other(f"{url}#question-{question.pk}")


@require_GET
@login_required
def shared(request: HttpRequest, plan_id: int, shared_number: int) -> HttpResponse:
    return _shared_page(request, plan_id, shared_number)


@require_POST
@login_required
def ask(request: HttpRequest, plan_id: int, shared_number: int) -> HttpResponse:
    shared = access_shared_draft(request.user, plan_id, shared_number, action="ask")
    plan = shared.version.plan
    form = QuestionForm(request.POST, anchors=anchor_choices(plan.plan_type, shared.content))
    if form.is_valid():
        try:
            question = lifecycle.do_ask_question(
                shared,
                actor=request.user,
                anchor=form.cleaned_data["anchor"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Your question was sent to the team."))
            return _to_question(question)
    return _shared_page(request, plan_id, shared_number, form=form, status=400)


@require_POST
@login_required
def reply(request: HttpRequest, plan_id: int, question_id: int) -> HttpResponse:
    question = access_question(request.user, plan_id, question_id, action="ask")
    plan = question.shared_draft.version.plan
    form = ReplyForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write your answer."))
        lifecycle.do_reply(
            question,
            actor=request.user,
            text=form.cleaned_data["text"],
            by_staff=plan.access.can_answer,
        )
    except ValidationError as e:
        report_errors(request, e)
        return _shared_page(request, plan_id, question.shared_draft.number, status=400)
    messages.success(request, _("Your answer was added."))
    return _to_question(question)


@require_POST
@login_required
def resolve(request: HttpRequest, plan_id: int, question_id: int) -> HttpResponse:
    question = access_question(request.user, plan_id, question_id, action="resolve")
    try:
        lifecycle.do_resolve_question(question, actor=request.user)
    except ValidationError as e:
        report_errors(request, e)
        return _shared_page(request, plan_id, question.shared_draft.number, status=400)
    messages.success(request, _("The question is marked resolved."))
    return _to_question(question)


@require_POST
@login_required
def meeting(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan(request.user, plan_id, action="edit")
    draft = _draft(plan)
    form = MeetingForm(request.POST)
    try:
        if draft is None:
            lifecycle.require_draft(lifecycle.current_version(plan))  # type: ignore[arg-type]
        assert draft is not None
        if not form.is_valid():
            raise ValidationError(_("Enter the date the team met."))
        lifecycle.do_record_meeting(
            draft, actor=request.user, meeting_date=form.cleaned_data["meeting_date"]
        )
    except ValidationError as e:
        report_errors(request, e)
        return redirect("plans:detail", plan_id=plan.pk)
    messages.success(request, _("The meeting date was recorded."))
    return redirect("plans:detail", plan_id=plan.pk)


@require_http_methods(["GET", "POST"])
@login_required
def finalize(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan(request.user, plan_id, action="edit")
    draft = _draft(plan)
    if draft is None:
        lifecycle.require_draft(lifecycle.current_version(plan))  # type: ignore[arg-type]
    assert draft is not None
    status = 200
    if request.method == "POST":
        overrides = {
            key.removeprefix("reason_"): request.POST.get(key, "")
            for key in request.POST
            if key.startswith("reason_")
        }
        try:
            lifecycle.check_finalize(draft, actor=request.user, overrides=overrides)
        except lifecycle.FinalizeBlocked:
            status = 400
            messages.error(request, _("The plan cannot be finalized yet. See below."))
        else:
            messages.success(request, _("The plan is final. The family can now sign it."))
            return redirect("plans:version", plan_id=plan.pk, number=draft.number)
    errors, warnings = lifecycle.finalize_findings(draft)
    return render(
        request,
        "plans/finalize.html",
        {
            "plan": plan,
            "student": plan.student,
            "access": plan.access,  # type: ignore[attr-defined]
            "draft": draft,
            "errors": errors,
            "warnings": warnings,
            "reasons": {k.removeprefix("reason_"): request.POST.get(k, "") for k in request.POST},
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def sign(request: HttpRequest, plan_id: int, number: int) -> HttpResponse:
    version = access_version(request.user, plan_id, number, action="sign")
    plan = version.plan
    first_plan = plan.is_initial and version.kind == PlanVersion.Kind.ORIGINAL
    form = SignForm(request.POST or None, first_plan=first_plan)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                lifecycle.do_sign(
                    version,
                    actor=request.user,
                    access=plan.access,  # type: ignore[attr-defined]
                    decision=data["decision"],
                    typed_name=data["typed_name"],
                    exceptions=data["exceptions"],
                    statement=data["statement"],
                    consent_to_initial_services=data.get("consent_to_initial_services", False),
                    ip=request.META.get("REMOTE_ADDR"),
                    user_agent=request.headers.get("User-Agent", ""),
                )
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                messages.success(request, _("Thank you. Your signature was recorded."))
                return redirect("plans:version", plan_id=plan.pk, number=version.number)
    return render(
        request,
        "plans/sign.html",
        {"plan": plan, "student": plan.student, "version": version, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def amend(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan(request.user, plan_id, action="edit")
    form = AmendForm(request.POST or None, plan_type=plan.plan_type)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                lifecycle.do_start_amendment(
                    plan,
                    actor=request.user,
                    reason=data["reason"],
                    parts=data["parts"],
                    effective_date=data["effective_date"],
                )
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                messages.success(
                    request, _("An amendment draft was started. Edit it, then finalize it.")
                )
                return redirect("plans:detail", plan_id=plan.pk)
    return render(
        request,
        "plans/amend.html",
        {"plan": plan, "student": plan.student, "form": form},
        status=status,
    )


@require_POST
@login_required
def end(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan(request.user, plan_id, action="edit")
    form = EndPlanForm(request.POST)
    try:
        form.is_valid()
        lifecycle.do_end_plan(plan, actor=request.user, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as e:
        report_errors(request, e)
        return redirect("plans:detail", plan_id=plan.pk)
    messages.success(request, _("The plan has ended."))
    return redirect("plans:detail", plan_id=plan.pk)
