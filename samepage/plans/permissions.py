"""Who may see and do what with plans, versions and shared drafts.

Built on the student permission layer: a plan of a student someone may not see answers
404. Families (and advocates with the plans scope) see shared drafts and non-draft
versions only, never the live draft; staff who may view the record see drafts; only
staff who may edit the plan change it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from samepage.plans.actions.editing import ITEM_KINDS, editable_draft
from samepage.plans.models import Plan, PlanQuestion, PlanVersion, SharedDraft
from samepage.plans.sections import items_for
from samepage.teams.models import (
    Capability,
    TeamMembership,
)
from samepage.teams.permissions import (
    Part,
    StudentAccess,
    reaches,
    student_access,
    students_reached,
)


@dataclass
class PlanAccess:
    """What one person may do with one student's plans (templates ask these)."""

    student: StudentAccess

    @property
    def can_view_plans(self) -> bool:
        return Part.PLANS in self.student.parts

    @property
    def can_view_glance(self) -> bool:
        return Part.GLANCE in self.student.parts or self.can_view_plans

    @property
    def can_see_drafts(self) -> bool:
        return self.student.is_staff and Part.DRAFTS in self.student.parts

    @property
    def can_edit(self) -> bool:
        return self.student.is_staff and Capability.EDIT_PLAN in self.student.capabilities

    @property
    def can_ask(self) -> bool:
        return self.can_view_plans

    @property
    def can_answer(self) -> bool:
        return self.student.is_staff and self.can_view_plans

    @property
    def can_sign(self) -> bool:
        return self.student.can_consent

    @property
    def can_acknowledge(self) -> bool:
        return (
            self.student.is_staff
            and TeamMembership.TeamRole.GENERAL_ED_TEACHER in self.student.team_roles
        )

    def can_see_version(self, version: PlanVersion) -> bool:
        if version.status == PlanVersion.Status.DRAFT:
            return self.can_see_drafts
        return self.can_view_plans


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("Your role does not allow this."))


def _check(access: PlanAccess, action: str) -> None:
    if action in ("glance", "acknowledge"):
        # A general-education teacher works from the plan at a glance, without the
        # full plans part; acknowledging is theirs.
        _require(access.can_view_glance, _("This part of the record is not shared with you."))
        if action == "acknowledge":
            _require(
                access.can_acknowledge,
                _("Only general-education teachers on the team confirm they read the plan."),
            )
        return
    _require(access.can_view_plans, _("This part of the record is not shared with you."))
    if action == "view":
        return
    if action == "edit":
        _require(access.can_edit, _("Only staff who may edit this plan can change it."))
    elif action == "see_drafts":
        _require(access.can_see_drafts)
    elif action == "answer":
        _require(access.can_answer)
    elif action == "ask":
        _require(access.can_ask)
    elif action == "sign":
        _require(
            access.can_sign,
            _("Only a parent holding educational rights, or an adult student, can sign."),
        )
    else:
        raise PermissionDenied


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def plan_access(user: Any, plan: Plan) -> PlanAccess | None:
    access = student_access(user, plan.student)
    return PlanAccess(access) if access is not None else None


def access_plan(user: Any, plan_id: Any, *, action: str = "view") -> Plan:
    """The plan if ``user`` may do ``action``; 404 if they may not see the student."""
    plan = (
        Plan.objects.select_related("student", "student__district", "student__school")
        .filter(pk=_pk(plan_id))
        .first()
    )
    if plan is None:
        raise Http404
    return _grant(user, plan, action=action)


def _grant(user: Any, plan: Plan, *, action: str, shown: bool = False) -> Plan:
    """``plan`` with its ``access`` if ``user`` may do ``action``. ``shown``: the caller
    holds a version of it past draft, so it is known to have been shown to readers."""
    access = plan_access(user, plan)
    if access is None:
        raise Http404
    unshown = (
        not access.can_see_drafts
        and not shown
        and not Plan.objects.filter(_shown_to_readers(), pk=plan.pk).exists()
    )
    if unshown:
        # Nothing of it was shared yet: to the family it does not exist.
        raise Http404
    _check(access, action)
    plan.access = access  # type: ignore[attr-defined]
    return plan


def _keys(plan_id: Any, number: Any) -> tuple[int, int] | None:
    """A plan id and a number within it as ints (None when either is not a number)."""
    try:
        return int(plan_id), int(number)
    except (TypeError, ValueError):
        return None


def access_version(user: Any, plan_id: Any, number: Any, *, action: str = "view") -> PlanVersion:
    """A version ``user`` may see (a draft only if they may see drafts, else 404)."""
    key = _keys(plan_id, number)
    # The version with its plan and student in one query; a version past draft shows
    # the plan was shown to readers, so that check needs no query of its own. No such
    # version (or a malformed number) takes the plan's own lookup first, so it answers
    # as the plan does (404 or 403) before its 404.
    version = (
        PlanVersion.objects.select_related(
            "plan", "plan__student", "plan__student__district", "plan__student__school"
        )
        .filter(plan_id=key[0], number=key[1])
        .first()
        if key is not None
        else None
    )
    if version is not None:
        shown = version.status != PlanVersion.Status.DRAFT
        plan = _grant(user, version.plan, action=action, shown=shown)
    else:
        plan = access_plan(user, plan_id, action=action)
        version = PlanVersion.objects.filter(plan=plan, number=_pk(number)).first()
    if version is None or not plan.access.can_see_version(version):  # type: ignore[attr-defined]
        raise Http404
    version.plan = plan
    return version


def access_shared_draft(
    user: Any, plan_id: Any, number: Any, *, action: str = "view"
) -> SharedDraft:
    """A shared draft of the plan's current draft version (or an earlier one)."""
    key = _keys(plan_id, number)
    # The shared draft with its version, plan and student in one query; that it exists
    # shows the plan was shown to readers (as in access_version). None found takes the
    # plan's own lookup first, so it answers as the plan does (404 or 403), then 404.
    shared = (
        # Its page says who shared it.
        SharedDraft.objects.select_related(
            "version",
            "shared_by",
            "version__plan",
            "version__plan__student",
            "version__plan__student__district",
            "version__plan__student__school",
        )
        .filter(version__plan_id=key[0], number=key[1])
        .first()
        if key is not None
        else None
    )
    if shared is not None:
        plan = _grant(user, shared.version.plan, action=action, shown=True)
    else:
        access_plan(user, plan_id, action=action)
        raise Http404
    shared.version.plan = plan
    return shared


def _shown_to_readers() -> Q:
    """A plan someone who may not see drafts may know of: a version past draft, or a
    draft the team shared. Until then the family does not see the plan at all."""
    past_draft = PlanVersion.objects.filter(plan=OuterRef("pk")).exclude(
        status=PlanVersion.Status.DRAFT
    )
    shared = SharedDraft.objects.filter(version__plan=OuterRef("pk"))
    return Q(Exists(past_draft)) | Q(Exists(shared))


def visible_plans(user: Any) -> QuerySet[Plan]:
    """Plans ``user`` may open, as one query (agrees with ``access_plan``).

    The students come from the one access definition: with the drafts part, every plan;
    with only the plans part, the plans something of which was shared
    (``_shown_to_readers``). A general-education teacher without "view record" sees
    plans only at a glance, not here.
    """
    found = reaches(user)
    # The district administrator's blanket reach (every student, drafts and all) stays
    # a plain condition on the plan's student, as in visible_students: the
    # list then walks the plans in its order and stops at the page. In the UNION it
    # made PostgreSQL gather every plan id of the district on each request (seconds at
    # 100,000 students).
    blanket = [r for r in found if r.where is not None and Part.DRAFTS in r.gives(None)]
    others = [r for r in found if not any(r is b for b in blanket)]
    every = Plan.objects.filter(student__in=students_reached(others, Part.DRAFTS))
    readable = students_reached(others, Part.PLANS)
    shared = Plan.objects.filter(_shown_to_readers(), student__in=readable)
    ids = every.order_by().values("pk").union(shared.order_by().values("pk"))
    condition = Q(pk__in=ids)
    for reach in blanket:
        condition |= _through_student(reach.where)  # type: ignore[arg-type]
    return Plan.objects.filter(condition)


def _through_student(condition: Q) -> Q:
    """``condition`` on a student, as the same condition on a plan's student."""
    rewritten = Q()
    rewritten.connector = condition.connector
    rewritten.negated = condition.negated
    children: list[Any] = list(condition.children)
    rewritten.children = [
        _through_student(child) if isinstance(child, Q) else (f"student__{child[0]}", child[1])
        for child in children
    ]
    return rewritten


def may_resolve(access: PlanAccess, question: Any, user: Any) -> bool:
    """The person who asked, or staff who answer, may mark a question resolved."""
    return question.author_id == user.pk or access.can_answer


def access_question(user: Any, plan_id: Any, question_id: Any, *, action: str = "view") -> Any:
    """A question on one of this plan's shared drafts; another plan's question → 404.

    ``action="resolve"``: only the person who asked, or staff who answer, may close it.
    """
    plan = access_plan(user, plan_id, action="ask" if action == "resolve" else action)
    question = (
        PlanQuestion.objects.select_related("shared_draft", "shared_draft__version")
        .filter(pk=_pk(question_id), shared_draft__version__plan=plan)
        .first()
    )
    if question is None:
        raise Http404
    if action == "resolve":
        access: PlanAccess = plan.access  # type: ignore[attr-defined]
        _require(
            may_resolve(access, question, user),
            _("Only the person who asked, or the team, can mark a question resolved."),
        )
    question.shared_draft.version.plan = plan
    return question


def access_draft_item(user: Any, plan_id: Any, kind: str, item_id: Any) -> Any:
    """A goal, service or accommodation of the plan's draft, for someone who may edit it.

    Ids are looked up only within that draft: another plan's item, an earlier version's,
    or one taken out of the draft answers 404 like a missing one. A plan with no draft
    answers 403 with the amendment path.
    """
    plan = access_plan(user, plan_id, action="edit")
    if kind not in ITEM_KINDS or kind not in items_for(plan.plan_type):
        raise Http404
    version = editable_draft(plan)
    model: Any = ITEM_KINDS[kind].model
    item = model.objects.filter(version=version, pk=_pk(item_id), removed_at__isnull=True).first()
    if item is None:
        raise Http404
    item.version = version
    return item
