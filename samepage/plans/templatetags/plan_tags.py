from datetime import date
from typing import Any

from django import template

from samepage.plans import permissions, presenters
from samepage.plans.models import Plan
from samepage.plans.permissions import PlanAccess

register = template.Library()


@register.filter
def plan_label(plan: Plan) -> str:
    """``{{ plan|plan_label }}``: "IEP 2025–26, in effect" (see presenters.plan_label)."""
    return presenters.plan_label(plan)


@register.filter
def plan_rows(plans: list[Plan]) -> list[presenters.PlanRow]:
    """``{% for row in plans|plan_rows %}``: label, dates and overdue notice per plan
    (give it plans from ``selectors.plan_list``, annotated: no query per plan)."""
    return presenters.plan_rows(plans)


@register.filter
def overdue_notice(since: date | None) -> str:
    """``{{ day|overdue_notice }}``: "Annual review overdue since 3 Oct 2026"."""
    return presenters.overdue_notice(since)


@register.filter
def get_item(mapping: dict[str, Any] | None, key: str) -> Any:
    """``{{ mapping|get_item:key }}`` for dictionaries keyed by strings."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def anchor_id(anchor: str) -> str:
    """``{{ anchor|anchor_id }}``: the element id of a plan part (presenters.anchor_id)."""
    return presenters.anchor_id(anchor)


@register.simple_tag(takes_context=True)
def may_resolve(context: dict[str, Any], access: PlanAccess, question: Any) -> bool:
    """Whether the signed-in person may mark ``question`` resolved (permissions.may_resolve)."""
    return permissions.may_resolve(access, question, context["request"].user)
