from functools import cache
from typing import Any

from django import template
from django.db.models import Field, Model

from samepage.teams import labels

register = template.Library()


@register.filter
def part_label(part: str) -> Any:
    return labels.part_label(part)


@register.filter
def role_label(role: str) -> Any:
    return labels.role_label(role)


@cache
def _choice_labels(model: type[Model], field_name: str) -> dict[Any, Any]:
    # The (lazy) labels themselves: each renders in the reader's language.
    field = model._meta.get_field(field_name)
    assert isinstance(field, Field)
    return dict(field.flatchoices)


@register.filter
def choice_label(obj: Model, field_name: str) -> Any:
    """``{{ m|choice_label:"team_role" }}``: what ``m.get_team_role_display`` says, from
    the field's choices read once per process. Django's method rebuilds the choices'
    dict on every call, some 60 µs a row; a page of fifty students asked it twice a row."""
    value = getattr(obj, field_name)
    return _choice_labels(type(obj), field_name).get(value, value)
