from typing import Any

from django import template

from samepage.teams import labels

register = template.Library()


@register.filter
def part_label(part: str) -> Any:
    return labels.part_label(part)


@register.filter
def role_label(role: str) -> Any:
    return labels.role_label(role)
