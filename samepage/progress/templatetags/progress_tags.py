from __future__ import annotations

from typing import Any

from django import template

from samepage.progress.chart import number, table_body

register = template.Library()


@register.filter
def chart_number(value: Any) -> str:
    """A value as the reader's language writes numbers ("82,5" in Spanish)."""
    return number(float(value))


@register.filter
def records_progress(memberships: Any) -> bool:
    """Whether any of these team places may enter progress data (a group session)."""
    return any("enter_progress" in (m.capabilities or []) for m in memberships or [])


register.filter("table_body", table_body)
