"""A plan's life: create, share drafts, questions, meeting, finalize, sign, amend, end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samepage.core.audit import record_audit
from samepage.core.dates import district_today
from samepage.core.events import Event, publish
from samepage.plans.content import build_content
from samepage.plans.models import (
    Accommodation,
    Goal,
    LineageDecision,
    Objective,
    Plan,
    PlanQuestion,
    PlanReply,
    PlanSection,
    PlanSignature,
    PlanVersion,
    Service,
    SharedDraft,
    StoredDocument,
)
from samepage.plans.sections import items_for, sections_for
from samepage.plans.validation import Finding, check_plan
from samepage.schools.models import Student
from samepage.teams.permissions import Part, check_access_for

if TYPE_CHECKING:
    # For the annotation only: the permissions module reads the editing actions.
    from samepage.plans.permissions import PlanAccess


# Run after the commit when a version becomes final (both PDFs) or takes effect (the
# glance, which says so): (version id, which documents). PlansConfig.ready adds the task
# that stores the PDFs (plans/tasks.py); these actions cannot import it, because it
# reads the permission layer, which reads them.
AFTER_FINAL: list[Callable[[int, tuple[str, ...]], None]] = []


def _after_commit(version: PlanVersion, kinds: tuple[str, ...]) -> None:
    for hook in AFTER_FINAL:
        transaction.on_commit(partial(hook, version.pk, kinds))


def _one_year_later(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def require_draft(version: PlanVersion) -> None:
    """Final plans never change: editing one is refused with the amendment path."""
    if version.status != PlanVersion.Status.DRAFT:
        raise PermissionDenied(
            _(
                "This plan is final and cannot be changed. To change a plan in effect, "
                "start an amendment."
            )
        )


def _new_version(plan: Plan, *, number: int, **fields: Any) -> PlanVersion:
    version = PlanVersion.objects.create(plan=plan, number=number, **fields)
    PlanSection.objects.bulk_create(
        [PlanSection(version=version, key=s.key, data={}) for s in sections_for(plan.plan_type)]
    )
    return version


def do_create_plan(
    student: Student,
    *,
    actor: Any,
    plan_type: str | None = None,
    is_initial: bool | None = None,
    proposed_start: date | None = None,
    proposed_end: date | None = None,
) -> Plan:
    """Start a new plan for ``student`` with an empty draft (version 1).

    When the student had a plan before, its goals, services and accommodations are
    carried forward with the same lineage ids, each decision recorded.
    """
    plan_type = plan_type or student.plan_type
    if plan_type not in Plan.PlanType.values:
        raise ValidationError({"plan_type": [_("Choose IEP or 504 plan.")]})
    with transaction.atomic():
        previous = (
            Plan.objects.filter(student=student, plan_type=plan_type)
            .order_by("-created_at")
            .first()
        )
        if previous is not None and previous.versions.filter(status="draft").exists():
            raise ValidationError(
                _("This student already has a plan in draft. Finish or end it first.")
            )
        plan = Plan.objects.create(
            student=student,
            plan_type=plan_type,
            is_initial=(previous is None) if is_initial is None else is_initial,
            previous_plan=previous,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        start = proposed_start or district_today(student.district)
        version = _new_version(
            plan,
            number=1,
            proposed_start=start,
            proposed_end=proposed_end or (_one_year_later(start) - timedelta(days=1)),
        )
        if previous is not None:
            source = current_version(previous)
            if source is not None:
                copy_items(source, version, actor=actor, decision="carried_forward")
        record_audit(
            actor=actor,
            action="plan.created",
            target=plan,
            changes={"student": student.pk, "plan_type": plan_type, "version": version.pk},
        )
    return plan


def current_version(plan: Plan) -> PlanVersion | None:
    """The version in effect, else the newest final, else the draft."""
    return current_of(list(plan.versions.order_by("-number")))


def current_of(versions: list[PlanVersion]) -> PlanVersion | None:
    """``current_version`` among versions already read, newest first."""
    for status in ("in_effect", "final", "draft", "superseded", "ended"):
        for version in versions:
            if version.status == status:
                return version
    return None


def copy_items(
    source: PlanVersion, target: PlanVersion, *, actor: Any, decision: str | None
) -> None:
    """Copy live goals (with objectives), services and accommodations, keeping lineage."""
    for goal in Goal.objects.filter(version=source, removed_at__isnull=True).prefetch_related(
        "objectives"
    ):
        objectives = list(goal.objectives.all())
        goal.pk = None
        goal.version = target
        goal.revision = 1
        goal.save()
        Objective.objects.bulk_create(
            [
                Objective(
                    goal=goal,
                    lineage_id=o.lineage_id,
                    position=o.position,
                    statement=o.statement,
                    criterion=o.criterion,
                )
                for o in objectives
            ]
        )
        _decide(target, "goal", goal.lineage_id, decision, actor)
    for model, kind in ((Service, "service"), (Accommodation, "accommodation")):
        for item in model.objects.filter(version=source, removed_at__isnull=True):
            item.pk = None
            item.version = target
            item.revision = 1
            item.save()
            _decide(target, kind, item.lineage_id, decision, actor)


def _decide(
    version: PlanVersion, kind: str, lineage_id: Any, decision: str | None, actor: Any
) -> None:
    if decision is None:
        return
    LineageDecision.objects.update_or_create(
        version=version,
        item_kind=kind,
        lineage_id=lineage_id,
        defaults={
            "decision": decision,
            "decided_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )


MAX_TEXT = 5000


def _clean_text(value: str, *, field: str, required_message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [required_message]})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {field: [_("Please keep this under %(n)s characters.") % {"n": MAX_TEXT}]}
        )
    return text


def do_share_draft(version: PlanVersion, *, actor: Any, message: str = "") -> SharedDraft:
    """Publish a frozen copy of the draft to the family; later edits stay private."""
    with transaction.atomic():
        version = (
            PlanVersion.objects.select_for_update()
            .select_related("plan__student")
            .get(pk=version.pk)
        )
        require_draft(version)
        # Numbered across the whole plan, so "shared draft 3" means one thing even after
        # an amendment is shared.
        last = (
            SharedDraft.objects.filter(version__plan_id=version.plan_id)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        number = (last or 0) + 1
        shared = SharedDraft.objects.create(
            version=version,
            number=number,
            shared_by=actor,
            message=(message or "").strip()[:MAX_TEXT],
            content=build_content(version),
        )
        record_audit(
            actor=actor,
            action="plan.draft_shared",
            target=shared,
            changes={"version": version.pk, "number": number},
        )
        publish(Event("plan.draft_shared", actor, version.plan.student, Part.PLANS, shared))
    return shared


def anchors_of(content: dict[str, Any]) -> set[str]:
    """Every part of a plan's content someone can ask about."""
    anchors = {"plan"} | {f"section:{key}" for key in content["sections"]}
    for kind, prefix in (
        ("goals", "goal"),
        ("services", "service"),
        ("accommodations", "accommodation"),
    ):
        anchors |= {f"{prefix}:{item['lineage_id']}" for item in content.get(kind, [])}
    return anchors


def do_ask_question(shared: SharedDraft, *, actor: Any, anchor: str, text: str) -> PlanQuestion:
    if shared.version.status != PlanVersion.Status.DRAFT:
        raise ValidationError(_("This draft is closed for questions: the plan has been finalized."))
    if anchor not in anchors_of(shared.content):
        raise ValidationError({"anchor": [_("Choose a part of the plan from the list.")]})
    text = _clean_text(text, field="text", required_message=_("Write your question."))
    with transaction.atomic():
        question = PlanQuestion.objects.create(
            shared_draft=shared, anchor=anchor, author=actor, text=text
        )
        record_audit(
            actor=actor,
            action="plan.question_asked",
            target=question,
            changes={"shared_draft": shared.pk, "anchor": anchor},
        )
        publish(
            Event("plan.question_asked", actor, shared.version.plan.student, Part.PLANS, question)
        )
    return question


def do_reply(question: PlanQuestion, *, actor: Any, text: str, by_staff: bool) -> PlanReply:
    """Answer (staff) or follow up (anyone who may ask). A staff answer marks it answered;
    a family follow-up reopens it."""
    text = _clean_text(text, field="text", required_message=_("Write your answer."))
    with transaction.atomic():
        question = PlanQuestion.objects.select_for_update().get(pk=question.pk)
        if question.status == PlanQuestion.Status.RESOLVED:
            raise ValidationError(_("This question is resolved. Ask a new one instead."))
        reply = PlanReply.objects.create(question=question, author=actor, text=text)
        status = PlanQuestion.Status.ANSWERED if by_staff else PlanQuestion.Status.OPEN
        if question.status != status:
            question.status = status
            question.save(update_fields=["status", "updated_at"])
        record_audit(
            actor=actor,
            action="plan.question_replied",
            target=question,
            changes={"reply": reply.pk, "status": status},
        )
        kind = "plan.question_answered" if by_staff else "plan.question_replied"
        publish(Event(kind, actor, question.shared_draft.version.plan.student, Part.PLANS, reply))
    return reply


def do_resolve_question(question: PlanQuestion, *, actor: Any) -> PlanQuestion:
    with transaction.atomic():
        question = PlanQuestion.objects.select_for_update().get(pk=question.pk)
        if question.status == PlanQuestion.Status.RESOLVED:
            raise ValidationError(_("This question is already resolved."))
        question.status = PlanQuestion.Status.RESOLVED
        question.resolved_at = timezone.now()
        question.resolved_by = actor
        question.save(update_fields=["status", "resolved_at", "resolved_by", "updated_at"])
        record_audit(actor=actor, action="plan.question_resolved", target=question)
    return question


def do_record_meeting(version: PlanVersion, *, actor: Any, meeting_date: date) -> PlanVersion:
    """Record that the team met about this draft (a plan is final only after a meeting)."""
    # "The future" is after today in the child's district, wherever the server is.
    if meeting_date > district_today(version.plan.student.district):
        raise ValidationError({"meeting_date": [_("The meeting date cannot be in the future.")]})
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().get(pk=version.pk)
        require_draft(version)
        before = version.meeting_date
        version.meeting_date = meeting_date
        version.revision += 1
        version.save(update_fields=["meeting_date", "revision", "updated_at"])
        record_audit(
            actor=actor,
            action="plan.meeting_recorded",
            target=version,
            changes={"meeting_date": [before and before.isoformat(), meeting_date.isoformat()]},
        )
    return version


class FinalizeBlocked(Exception):
    """The plan cannot be finalized yet: errors to fix, or warnings without a reason."""

    def __init__(self, errors: list[Finding], warnings: list[Finding]) -> None:
        super().__init__("finalize blocked")
        self.errors = errors
        self.warnings = warnings


def finalize_findings(version: PlanVersion) -> tuple[list[Finding], list[Finding]]:
    """What blocks finalizing (errors) and what needs a reason (warnings), as of now."""
    content = build_content(version)
    errors, warnings = check_plan(version, content)
    if version.kind == PlanVersion.Kind.ORIGINAL and version.meeting_date is None:
        errors.insert(
            0,
            Finding(
                "no_meeting",
                _("Record the meeting first: a plan is final only after the team has met."),
                "plan",
            ),
        )
    if version.kind == PlanVersion.Kind.AMENDMENT and not version.amendment_reason.strip():
        errors.insert(0, Finding("amendment_reason", _("Say why the plan is amended."), "plan"))
    return errors, warnings


def check_finalize(
    version: PlanVersion, *, actor: Any, overrides: dict[str, str] | None = None
) -> PlanVersion:
    """Finalize a draft: validate, freeze its content, and wait for signatures."""
    overrides = {k: v.strip() for k, v in (overrides or {}).items() if v and v.strip()}
    with transaction.atomic():
        version = (
            PlanVersion.objects.select_for_update()
            .select_related("plan__student__district")
            .get(pk=version.pk)
        )
        require_draft(version)
        errors, warnings = finalize_findings(version)
        unexplained = [w for w in warnings if w.code not in overrides]
        if errors or unexplained:
            raise FinalizeBlocked(errors, warnings)
        version.content = build_content(version)
        version.status = PlanVersion.Status.FINAL
        version.finalized_at = timezone.now()
        version.finalized_by = actor
        version.finalize_overrides = [
            {"code": w.code, "message": w.message, "reason": overrides[w.code]} for w in warnings
        ]
        version.save(
            update_fields=[
                "content",
                "status",
                "finalized_at",
                "finalized_by",
                "finalize_overrides",
                "updated_at",
            ]
        )
        record_audit(
            actor=actor,
            action="plan.finalized",
            target=version,
            changes={"status": ["draft", "final"], "overrides": version.finalize_overrides},
        )
        _after_commit(version, (StoredDocument.Kind.PLAN, StoredDocument.Kind.GLANCE))
        publish(Event("plan.finalized", actor, version.plan.student, Part.PLANS, version))
    return version


def do_sign(
    version: PlanVersion,
    *,
    actor: Any,
    access: PlanAccess | None,
    decision: str,
    typed_name: str,
    exceptions: str = "",
    statement: str = "",
    consent_to_initial_services: bool = False,
    ip: str | None = None,
    user_agent: str = "",
) -> PlanSignature:
    """A guardian's or adult student's signed response. Signatures never change.

    Agreement (with consent to initial services for a first plan) puts the version in
    effect and replaces the one before it. ``access`` is what the permission layer worked
    out for ``actor`` on this plan (``access_plan``/``plan_access``).
    """
    check_access_for(
        access.student if access is not None else None, actor=actor, student=version.plan.student
    )
    assert access is not None
    if not access.can_sign:
        raise PermissionDenied(
            _("Only a parent holding educational rights, or an adult student, can sign.")
        )
    errors: dict[str, list[Any]] = {}
    if decision not in PlanSignature.Decision.values:
        errors["decision"] = [_("Choose whether you agree.")]
    if decision == PlanSignature.Decision.AGREE_EXCEPT and not exceptions.strip():
        errors["exceptions"] = [_("List the parts you do not agree with.")]
    if decision == PlanSignature.Decision.DISAGREE and not statement.strip():
        errors["statement"] = [_("Say what you disagree with, in your own words.")]
    if not typed_name.strip():
        errors["typed_name"] = [_("Type your full name to sign.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().select_related("plan").get(pk=version.pk)
        if version.status not in (PlanVersion.Status.FINAL, PlanVersion.Status.IN_EFFECT):
            raise ValidationError(_("Only a final plan can be signed."))
        if PlanSignature.objects.filter(version=version, signer=actor).exists():
            raise ValidationError(
                _("You have already signed this plan. A signature cannot be changed.")
            )
        signature = PlanSignature.objects.create(
            version=version,
            signer=actor,
            decision=decision,
            exceptions=exceptions.strip()[:MAX_TEXT],
            statement=statement.strip()[:MAX_TEXT],
            consent_to_initial_services=consent_to_initial_services,
            typed_name=typed_name.strip()[:200],
            signed_at=timezone.now(),
            ip=ip or None,
            user_agent=(user_agent or "")[:400],
        )
        record_audit(
            actor=actor,
            action="plan.signed",
            target=signature,
            changes={
                "version": version.pk,
                "decision": decision,
                "consent_to_initial_services": consent_to_initial_services,
            },
        )
        agrees = decision in (PlanSignature.Decision.AGREE, PlanSignature.Decision.AGREE_EXCEPT)
        # Consent to initial services is given once, on the first plan's first version.
        first_ever = version.plan.is_initial and version.kind == PlanVersion.Kind.ORIGINAL
        consent_ok = not first_ever or consent_to_initial_services
        if version.status == PlanVersion.Status.FINAL and agrees and consent_ok:
            _put_in_effect(version, actor=actor)
    return signature


def _put_in_effect(version: PlanVersion, *, actor: Any) -> None:
    today = district_today(version.plan.student.district)
    content = version.content or {}
    start_text = content.get("proposed_start")
    if version.kind == PlanVersion.Kind.AMENDMENT and version.amendment_effective_date:
        start = version.amendment_effective_date
    elif start_text:
        start = date.fromisoformat(start_text)
    else:
        start = today
    now = timezone.now()
    replaced = list(
        PlanVersion.objects.select_for_update()
        .filter(plan__student=version.plan.student, status=PlanVersion.Status.IN_EFFECT)
        .exclude(pk=version.pk)
    )
    for old in replaced:
        old.status = PlanVersion.Status.SUPERSEDED
        old.superseded_at = now
        old.save(update_fields=["status", "superseded_at", "updated_at"])
        record_audit(
            actor=actor,
            action="plan.superseded",
            target=old,
            changes={"status": ["in_effect", "superseded"], "by": version.pk},
        )
    previous_review = next(
        (v.annual_review_due for v in replaced if v.plan_id == version.plan_id), None
    )
    version.status = PlanVersion.Status.IN_EFFECT
    version.effective_from = start
    # An amendment never replaces the annual review: it keeps the original's due date.
    version.annual_review_due = previous_review or (_one_year_later(version.meeting_date or start))
    version.save(update_fields=["status", "effective_from", "annual_review_due", "updated_at"])
    record_audit(
        actor=actor,
        action="plan.in_effect",
        target=version,
        changes={
            "status": ["final", "in_effect"],
            "effective_from": start.isoformat(),
            "annual_review_due": version.annual_review_due.isoformat(),
        },
    )
    _after_commit(version, (StoredDocument.Kind.GLANCE,))
    publish(Event("plan.in_effect", actor, version.plan.student, Part.PLANS, version))


def do_start_amendment(
    plan: Plan,
    *,
    actor: Any,
    reason: str,
    parts: list[str],
    effective_date: date | None,
) -> PlanVersion:
    """Change a plan in effect by agreement, without a meeting: a new draft version."""
    errors: dict[str, list[Any]] = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the plan is amended.")]
    valid_parts = {s.key for s in sections_for(plan.plan_type)} | set(items_for(plan.plan_type))
    if not parts or set(parts) - valid_parts:
        errors["parts"] = [_("Choose the parts of the plan that change.")]
    if effective_date is None:
        errors["effective_date"] = [_("Enter the date the amendment takes effect.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        versions = list(PlanVersion.objects.select_for_update().filter(plan=plan))
        if any(v.status == PlanVersion.Status.DRAFT for v in versions):
            raise ValidationError(_("This plan already has a draft. Finish it first."))
        source = next((v for v in versions if v.status == PlanVersion.Status.IN_EFFECT), None)
        if source is None:
            raise ValidationError(_("Only a plan in effect can be amended."))
        version = PlanVersion.objects.create(
            plan=plan,
            number=max(v.number for v in versions) + 1,
            kind=PlanVersion.Kind.AMENDMENT,
            proposed_start=source.proposed_start,
            proposed_end=source.proposed_end,
            meeting_date=source.meeting_date,
            amendment_reason=reason.strip(),
            amendment_parts=[p for p in parts if p in valid_parts],
            amendment_effective_date=effective_date,
        )
        PlanSection.objects.bulk_create(
            [
                PlanSection(version=version, key=s.key, data=dict(s.data))
                for s in source.sections.all()
            ]
        )
        copy_items(source, version, actor=actor, decision=None)
        record_audit(
            actor=actor,
            action="plan.amendment_started",
            target=version,
            changes={
                "from": source.pk,
                "reason": version.amendment_reason,
                "parts": version.amendment_parts,
            },
        )
    return version


def do_end_plan(plan: Plan, *, actor: Any, reason: str) -> Plan:
    """End a plan (the student exited or moved): its version in effect becomes ended."""
    reason = _clean_text(reason, field="reason", required_message=_("Say why the plan ends."))
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.ended_at is not None:
            raise ValidationError(_("This plan has already ended."))
        now = timezone.now()
        for version in plan.versions.filter(status=PlanVersion.Status.IN_EFFECT):
            version.status = PlanVersion.Status.ENDED
            version.save(update_fields=["status", "updated_at"])
        plan.ended_at = now
        plan.save(update_fields=["ended_at", "updated_at"])
        record_audit(actor=actor, action="plan.ended", target=plan, changes={"reason": reason})
    return plan
