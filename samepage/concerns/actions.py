"""Every write about parent concerns: add, record one heard by phone, link, decline,
defer. Each takes a keyword-only ``actor``, runs in one transaction and writes its audit
row. Outcomes are only ever added, so the history of answers stays whole.

The ``can_*`` arguments come from ``concerns.permissions`` (the caller looked the
student up there); the actions refuse again if they are false, so no caller can skip
the rule.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from samepage.concerns.models import MAX_CONCERN_TEXT, ConcernOutcome, ParentConcern
from samepage.concerns.permissions import ConcernAccess
from samepage.concerns.selectors import guardians_to_hear_from, link_targets
from samepage.core.audit import record_audit
from samepage.core.dates import district_today
from samepage.core.events import Event, publish
from samepage.plans.models import Plan, PlanVersion
from samepage.schools.models import Student
from samepage.teams.permissions import Part, check_access_for


def _text(value: str | None, *, field: str, required: str, optional: bool = False) -> str:
    text = (value or "").strip()
    if not text and not optional:
        raise ValidationError({field: [required]})
    if len(text) > MAX_CONCERN_TEXT:
        limit = number_format(MAX_CONCERN_TEXT, force_grouping=True)
        raise ValidationError(
            {field: [_("Please keep this under %(n)s characters.") % {"n": limit}]}
        )
    return text


def _concern_fields(category: str, text: str, importance: str) -> dict[str, str]:
    errors: dict[str, list[Any]] = {}
    if category not in ParentConcern.Category.values:
        errors["category"] = [_("Choose what the concern is about.")]
    if importance not in ParentConcern.Importance.values:
        errors["importance"] = [_("Choose how important it is.")]
    try:
        cleaned = _text(text, field="text", required=_("Write the concern in your own words."))
    except ValidationError as e:
        errors.update(e.message_dict)
        cleaned = ""
    if errors:
        raise ValidationError(errors)
    return {"category": category, "text": cleaned, "importance": importance}


def check_add_concern(
    student: Student,
    *,
    actor: Any,
    access: ConcernAccess | None,
    category: str,
    text: str,
    importance: str,
) -> ParentConcern:
    """A guardian, the adult student, or an advocate (on behalf of the guardian who gave
    consent) adds a concern, verbatim. ``access`` is what the permission layer worked out
    for ``actor`` on ``student``; an advocate writes on behalf of the person it names."""
    _check(access, actor=actor, student=student)
    assert access is not None
    if not access.can_add:
        raise PermissionDenied(_("Your role does not allow adding a concern."))
    on_behalf_of = access.on_behalf_of
    fields = _concern_fields(category, text, importance)
    with transaction.atomic():
        concern = ParentConcern.objects.create(
            student=student, author=actor, on_behalf_of=on_behalf_of, **fields
        )
        record_audit(
            actor=actor,
            action="concern.added",
            target=concern,
            changes={
                "student": student.pk,
                "category": concern.category,
                "importance": concern.importance,
                "on_behalf_of": on_behalf_of,
            },
        )
        publish(Event("concern.added", actor, student, Part.PLANS, concern))
    return concern


def check_record_heard_concern(
    student: Student,
    *,
    actor: Any,
    access: ConcernAccess | None,
    heard_from_id: Any,
    category: str,
    text: str,
    importance: str,
) -> ParentConcern:
    """Staff write down a concern a guardian told them (by phone), attributed to both."""
    _check(access, actor=actor, student=student)
    assert access is not None
    if not access.can_respond:
        raise PermissionDenied(_("Only staff who may edit the plan can record a concern."))
    guardians = {g.pk: g for g in guardians_to_hear_from(student)}
    try:
        guardian = guardians.get(int(heard_from_id))
    except (TypeError, ValueError):
        guardian = None
    errors: dict[str, list[Any]] = {}
    if guardian is None:
        errors["heard_from"] = [_("Choose the family member who told you.")]
    try:
        fields = _concern_fields(category, text, importance)
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        concern = ParentConcern.objects.create(
            student=student,
            author=actor,
            recorded_by_phone=True,
            heard_from=guardian,
            **fields,
        )
        record_audit(
            actor=actor,
            action="concern.heard",
            target=concern,
            changes={
                "student": student.pk,
                "heard_from": guardian,
                "category": concern.category,
                "importance": concern.importance,
            },
        )
        publish(Event("concern.heard", actor, student, Part.PLANS, concern))
    return concern


def _working_plan(student: Student) -> Plan | None:
    """The plan the team is working on: the one with a draft, else the one in effect."""
    versions = (
        PlanVersion.objects.filter(
            plan__student=student,
            status__in=[PlanVersion.Status.DRAFT, PlanVersion.Status.IN_EFFECT],
        )
        .select_related("plan")
        .order_by("-created_at")
    )
    ordered = sorted(versions, key=lambda v: v.status != PlanVersion.Status.DRAFT)
    return ordered[0].plan if ordered else None


def _locked(concern: ParentConcern) -> ParentConcern:
    return ParentConcern.objects.select_for_update().prefetch_related("outcomes").get(pk=concern.pk)


def _check(access: ConcernAccess | None, *, actor: Any, student: Student) -> None:
    check_access_for(access.record if access is not None else None, actor=actor, student=student)


def _respond(access: ConcernAccess | None, *, actor: Any, concern: ParentConcern) -> None:
    _check(access, actor=actor, student=concern.student)
    assert access is not None
    if not access.can_respond:
        raise PermissionDenied(_("Only staff who may edit the plan can answer concerns."))


def check_link_concern(
    concern: ParentConcern,
    *,
    actor: Any,
    access: ConcernAccess | None,
    plan_id: Any,
    target: str,
    note: str = "",
) -> ConcernOutcome:
    """Link a concern to what answers it in this student's draft or in-effect plan."""
    _respond(access, actor=actor, concern=concern)
    note = _text(note, field="note", required="", optional=True)
    try:
        plan_pk = int(plan_id)
    except (TypeError, ValueError):
        plan_pk = None
    targets = {(t.plan_id, t.target): t for t in link_targets(concern.student)}
    if plan_pk is None or plan_pk not in {plan for plan, _target in targets}:
        raise ValidationError(
            {"plan_id": [_("Choose a plan of this student that is in draft or in effect.")]}
        )
    found = targets.get((plan_pk, (target or "").strip()))
    if found is None:
        raise ValidationError(
            {
                "target": [
                    _(
                        "Choose a goal, service, accommodation or section of this student's "
                        "current plan."
                    )
                ]
            }
        )
    with transaction.atomic():
        concern = _locked(concern)
        state = concern.state
        if any((o.plan_id, o.target) == (plan_pk, found.target) for o in state.landed):
            raise ValidationError({"target": [_("This concern is already linked to that.")]})
        outcome = ConcernOutcome.objects.create(
            concern=concern,
            kind=ConcernOutcome.Kind.ADDRESSED,
            plan_id=plan_pk,
            target=found.target,
            target_label=found.label,
            note=note,
            decided_by=actor,
        )
        record_audit(
            actor=actor,
            action="concern.linked",
            target=concern,
            changes={
                "outcome": outcome.pk,
                "plan": plan_pk,
                "target": found.target,
                "status": [state.status, "addressed"],
            },
        )
        publish(Event("concern.decided", actor, concern.student, Part.PLANS, outcome))
    return outcome


def check_decline_concern(
    concern: ParentConcern,
    *,
    actor: Any,
    access: ConcernAccess | None,
    reason: str,
    note: str = "",
) -> ConcernOutcome:
    """The team will not act on the concern; the reason goes into prior written notice."""
    _respond(access, actor=actor, concern=concern)
    reason = _text(
        reason, field="reason", required=_("Explain why the team declines, for the family.")
    )
    note = _text(note, field="note", required="", optional=True)
    with transaction.atomic():
        concern = _locked(concern)
        before = concern.state.status
        outcome = ConcernOutcome.objects.create(
            concern=concern,
            kind=ConcernOutcome.Kind.DECLINED,
            plan=_working_plan(concern.student),
            decline_reason=reason,
            note=note,
            decided_by=actor,
        )
        record_audit(
            actor=actor,
            action="concern.declined",
            target=concern,
            changes={"outcome": outcome.pk, "reason": reason, "status": [before, "declined"]},
        )
        publish(Event("concern.decided", actor, concern.student, Part.PLANS, outcome))
    return outcome


def check_defer_concern(
    concern: ParentConcern,
    *,
    actor: Any,
    access: ConcernAccess | None,
    until: date | None,
    note: str = "",
) -> ConcernOutcome:
    """The team will come back to the concern by ``until``."""
    _respond(access, actor=actor, concern=concern)
    if until is None:
        raise ValidationError({"until": [_("Enter the date the team will come back to it.")]})
    if until <= district_today(concern.student.district):
        raise ValidationError({"until": [_("Choose a date after today.")]})
    note = _text(note, field="note", required="", optional=True)
    with transaction.atomic():
        concern = _locked(concern)
        before = concern.state.status
        outcome = ConcernOutcome.objects.create(
            concern=concern,
            kind=ConcernOutcome.Kind.DEFERRED,
            plan=_working_plan(concern.student),
            deferred_until=until,
            note=note,
            decided_by=actor,
        )
        record_audit(
            actor=actor,
            action="concern.deferred",
            target=concern,
            changes={
                "outcome": outcome.pk,
                "until": until.isoformat(),
                "status": [before, "deferred"],
            },
        )
        publish(Event("concern.decided", actor, concern.student, Part.PLANS, outcome))
    return outcome
