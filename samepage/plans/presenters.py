"""Turn a version's content into what a page shows: titles, labels, readable values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samepage.concerns.presenters import shown_from_content
from samepage.plans.models import Accommodation, Service
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


def _show(f: Field, value: Any) -> str:
    if value is None or value == "":
        return ""
    if f.kind == "bool":
        return str(_("Yes")) if value else ""
    if f.kind == "choice":
        return str(dict(f.choices).get(value, value))
    if f.kind == "date":
        day = parse_date(str(value))
        return date_format(day, "DATE_FORMAT") if day else str(value)
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
            value = _show(f, data.get(f.name))
            if value:
                shown.fields.append(ShownField(f.label, value))
        if sec.key == "parent_concerns":
            shown.concerns = shown_from_content(content.get("concerns", []), plan_type)
        sections.append(shown)
    return sections


_CHOICES = {
    "category": dict(Service.Category.choices),
    "frequency_unit": dict(Service.Unit.choices),
    "delivery": dict(Service.Delivery.choices),
    "grouping": dict(Service.Grouping.choices),
    "kind": dict(Accommodation.Kind.choices),
    "applies_to": dict(Accommodation.AppliesTo.choices),
    "area": dict(AREAS),
}


def _label(name: str, value: Any) -> Any:
    if name in _CHOICES:
        return _CHOICES[name].get(value, value)
    return value


def shown_items(plan_type: str, content: dict[str, Any]) -> list[dict[str, Any]]:
    """Goals, services and accommodations with readable choice labels, per kind."""
    groups = []
    for kind in items_for(plan_type):
        prefix = {"goals": "goal", "services": "service", "accommodations": "accommodation"}[kind]
        items = []
        for item in content.get(kind, []):
            readable = {k: _label(k, v) for k, v in item.items()}
            for name in ("start_date", "end_date"):
                if item.get(name):
                    day = parse_date(item[name])
                    readable[name] = date_format(day, "DATE_FORMAT") if day else item[name]
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
