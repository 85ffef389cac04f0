"""Turn a version's content into what people read: titles, labels, readable values.

One place for pages, PDFs and the diff, so a value reads the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samepage.concerns.presenters import shown_from_content
from samepage.plans.content import ITEM_FIELDS
from samepage.plans.models import Accommodation, Goal, Service
from samepage.plans.sections import AREAS, ITEM_HELP, ITEM_TITLES, Field, items_for, sections_for


@dataclass
class ShownField:
    label: Any
    value: str


@dataclass
class ShownSection:
    key: str
    anchor: str
    title: Any
    help: Any
    fields: list[ShownField] = field(default_factory=list)
    empty_reason: Any = ""
    # The parent-concerns section also lists each concern, verbatim, with its outcome.
    concerns: list[Any] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.fields and not self.concerns


ITEM_MODELS: dict[str, type[models.Model]] = {
    "goals": Goal,
    "services": Service,
    "accommodations": Accommodation,
}
AREA_LABELS = dict(AREAS)


def is_blank(value: Any) -> bool:
    return (
        value is None
        or value == []
        or value == {}
        or (isinstance(value, str) and not value.strip())
    )


def readable_date(value: Any) -> str:
    """An ISO date from stored content in the reader's language ("3 de marzo de 2026")."""
    if is_blank(value):
        return ""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return date_format(day, "DATE_FORMAT")


def readable_value(spec: Field, value: Any) -> str:
    """One section field's stored value as the reader sees it."""
    if is_blank(value):
        return ""
    if spec.kind == "bool":
        return _("Yes") if value else _("No")
    if spec.kind == "choice":
        return str(dict(spec.choices).get(value, value))
    if spec.kind == "date":
        return readable_date(value)
    return str(value)


def _model_field(kind: str, name: str) -> models.Field[Any, Any]:
    model_field = ITEM_MODELS[kind]._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    return model_field


def item_label(kind: str, name: str) -> str:
    """The label of a goal, service or accommodation field (the model's own wording)."""
    if name == "objectives":
        return _("Short-term objectives")
    return str(_model_field(kind, name).verbose_name)


def item_value(kind: str, name: str, value: Any) -> str:
    """One item field's stored value as the reader sees it."""
    if is_blank(value):
        return ""
    if name == "objectives":
        return "; ".join(
            f"{o['statement']} ({o['criterion']})" if o.get("criterion") else o["statement"]
            for o in value
        )
    if kind == "goals" and name == "area":
        return str(AREA_LABELS.get(value, value))
    model_field = _model_field(kind, name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.DateField):
        return readable_date(value)
    return str(value)


def shown_sections(plan_type: str, content: dict[str, Any]) -> list[ShownSection]:
    sections = []
    for sec in sections_for(plan_type):
        data = content["sections"].get(sec.key, {})
        shown = ShownSection(
            key=sec.key,
            anchor=f"section:{sec.key}",
            title=sec.title,
            help=sec.help,
            empty_reason=sec.empty_reason or _("The team did not fill in this part."),
        )
        for f in sec.fields:
            value = readable_value(f, data.get(f.name))
            if value:
                shown.fields.append(ShownField(f.label, value))
        if sec.key == "parent_concerns":
            shown.concerns = shown_from_content(content.get("concerns", []), plan_type)
        sections.append(shown)
    return sections


def shown_items(plan_type: str, content: dict[str, Any]) -> list[dict[str, Any]]:
    """Goals, services and accommodations with readable choice labels, per kind."""
    groups = []
    for kind in items_for(plan_type):
        prefix = {"goals": "goal", "services": "service", "accommodations": "accommodation"}[kind]
        items = []
        for item in content.get(kind, []):
            readable = dict(item)
            readable.update(
                {name: item_value(kind, name, item.get(name)) for name in ITEM_FIELDS[kind]}
            )
            readable["anchor"] = f"{prefix}:{item['lineage_id']}"
            items.append(readable)
        groups.append(
            {"kind": kind, "title": ITEM_TITLES[kind], "help": ITEM_HELP[kind], "items": items}
        )
    return groups


def anchor_choices(plan_type: str, content: dict[str, Any]) -> list[tuple[str, str]]:
    """(anchor, label) for every part of the plan a question can be about."""
    choices: list[tuple[str, str]] = [("plan", str(_("The plan as a whole")))]
    for sec in shown_sections(plan_type, content):
        choices.append((sec.anchor, str(sec.title)))
    for group in shown_items(plan_type, content):
        for item in group["items"]:
            text = item.get("statement") or item.get("description") or ""
            choices.append((item["anchor"], f"{group['title']}: {str(text)[:60]}"))
    return choices
