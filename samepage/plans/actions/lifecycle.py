"""A plan's life: create, share drafts, questions, meeting, finalize, sign, amend, end."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samepage.core.audit import record_audit
from samepage.plans.models import (
    Accommodation,
    Goal,
    LineageDecision,
    Objective,
    Plan,
    PlanSection,
    PlanVersion,
    Service,
)
from samepage.plans.sections import sections_for
from samepage.schools.models import Student


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
        start = proposed_start or timezone.localdate()
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
    versions = list(plan.versions.order_by("-number"))
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
