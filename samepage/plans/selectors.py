"""Read queries for plans, with the joins pages and the API need."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from samepage.plans.models import (
    Plan,
    PlanAcknowledgement,
    PlanQuestion,
    PlanReply,
    PlanSignature,
    PlanVersion,
    SharedDraft,
)
from samepage.plans.permissions import PlanAccess, visible_plans
from samepage.schools.models import Student
from samepage.teams.models import TeamMembership


def plan_list(user: Any, *, student: Student | None = None) -> QuerySet[Plan]:
    """Plans ``user`` may see, newest first, with their versions (constant queries)."""
    plans = visible_plans(user)
    if student is not None:
        plans = plans.filter(student=student)
    return (
        plans.select_related("student", "student__school")
        .prefetch_related(Prefetch("versions", queryset=PlanVersion.objects.order_by("number")))
        .order_by("student__legal_last_name", "student__legal_first_name", "-created_at", "pk")
    )


def versions_for(plan: Plan, access: PlanAccess) -> list[PlanVersion]:
    """The versions this person may see: drafts only for staff who may see drafts."""
    versions = PlanVersion.objects.filter(plan=plan).order_by("number")
    if not access.can_see_drafts:
        versions = versions.exclude(status=PlanVersion.Status.DRAFT)
    return list(versions)


def shared_drafts(plan: Plan) -> list[SharedDraft]:
    return list(
        SharedDraft.objects.filter(version__plan=plan)
        .select_related("version", "shared_by")
        .annotate(
            open_questions=Count("questions", filter=Q(questions__status=PlanQuestion.Status.OPEN))
        )
        .order_by("-version__number", "-number")
    )


def questions_for(shared: SharedDraft) -> list[PlanQuestion]:
    return list(
        PlanQuestion.objects.filter(shared_draft=shared)
        .select_related("author", "resolved_by")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=PlanReply.objects.select_related("author").order_by("created_at", "id"),
            )
        )
        .order_by("created_at", "id")
    )


def signatures_for(version: PlanVersion) -> list[PlanSignature]:
    return list(
        PlanSignature.objects.filter(version=version).select_related("signer").order_by("signed_at")
    )


def teachers_to_acknowledge(version: PlanVersion) -> list[dict[str, Any]]:
    """General-education teachers on the team and whether they acknowledged ``version``."""
    student = version.plan.student
    teachers = (
        TeamMembership.objects.current()
        .filter(student=student, team_role=TeamMembership.TeamRole.GENERAL_ED_TEACHER)
        .select_related("user")
        .order_by("user__full_name")
    )
    acknowledged = {
        a.user_id: a.acknowledged_at for a in PlanAcknowledgement.objects.filter(version=version)
    }
    return [{"user": m.user, "acknowledged_at": acknowledged.get(m.user_id)} for m in teachers]


def glance_version(plan: Plan) -> PlanVersion | None:
    """The version a teacher works from: the one in effect, else the newest final one."""
    versions = list(
        PlanVersion.objects.filter(
            plan=plan, status__in=[PlanVersion.Status.IN_EFFECT, PlanVersion.Status.FINAL]
        ).order_by("-number")
    )
    chosen = next((v for v in versions if v.status == PlanVersion.Status.IN_EFFECT), None)
    chosen = chosen or (versions[0] if versions else None)
    if chosen is not None:
        chosen.plan = plan
    return chosen


def acknowledged_at(version: PlanVersion, user: Any) -> datetime | None:
    """When ``user`` acknowledged ``version``, if they did (one query)."""
    return (
        PlanAcknowledgement.objects.filter(version=version, user=user)
        .order_by()
        .values_list("acknowledged_at", flat=True)
        .first()
    )
