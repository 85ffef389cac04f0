"""Shared set-up for concern tests: a plan with a goal, concerns made by the real actions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from samepage import factories as f
from samepage.concerns import actions
from samepage.concerns.models import ConcernOutcome, ParentConcern
from samepage.concerns.permissions import concern_access_for
from samepage.core.models import AuditEvent
from samepage.plans.models import Goal, PlanVersion
from samepage.teams.actions import check_grant_consent
from samepage.teams.models import ConsentGrant
from samepage.teams.permissions import student_access


def draft_with_goal(world: Any) -> PlanVersion:
    plan = f.make_plan(world.child, world.case_manager)
    return f.fill_plan(plan)


def goal_target(version: PlanVersion) -> str:
    goal = Goal.objects.get(version=version)
    return f"goal:{goal.lineage_id}"


def add(world: Any, text: str = "Reading at home is hard.", **extra: Any) -> ParentConcern:
    values: dict[str, Any] = {"category": "reading", "importance": "high", "text": text}
    values.update(extra)
    return actions.check_add_concern(
        world.child,
        actor=world.parent,
        access=concern_access_for(world.parent, world.child),
        **values,
    )


def link(world: Any, concern: ParentConcern, version: PlanVersion, **extra: Any) -> Any:
    return actions.check_link_concern(
        concern,
        actor=world.case_manager,
        access=concern_access_for(world.case_manager, concern.student),
        plan_id=extra.pop("plan_id", version.plan_id),
        target=extra.pop("target", goal_target(version)),
        note=extra.pop("note", "The reading goal answers this."),
    )


def decline(world: Any, concern: ParentConcern, reason: str = "Not needed yet.") -> Any:
    return actions.check_decline_concern(
        concern,
        actor=world.case_manager,
        access=concern_access_for(world.case_manager, concern.student),
        reason=reason,
    )


def defer(world: Any, concern: ParentConcern, days: int = 30) -> Any:
    return actions.check_defer_concern(
        concern,
        actor=world.case_manager,
        access=concern_access_for(world.case_manager, concern.student),
        until=world.today + timedelta(days=days),
    )


def consent(world: Any, scopes: list[str]) -> ConsentGrant:
    today = world.today
    return check_grant_consent(
        actor=world.parent,
        student=world.child,
        access=student_access(world.parent, world.child),
        grantee_email=world.advocate.email,
        scopes=scopes,
        purpose="Help at the annual IEP meeting",
        starts_on=today,
        expires_on=today + timedelta(days=60),
        signature_name=world.parent.full_name,
        consent_confirmed=True,
    )


def rows() -> dict[str, int]:
    """What a refused write must leave alone."""
    return {
        "concerns": ParentConcern.objects.count(),
        "outcomes": ConcernOutcome.objects.count(),
        "audit": AuditEvent.objects.count(),
    }
