"""What changed between two versions of a plan (or this year's plan and last year's).

Works on content dicts (plans/content.py), so a final version, a live draft and a shared
draft compare the same way. Sections are compared field by field in registry order;
goals, services and accommodations are matched by ``lineage_id``, so an edited goal is
"changed", never "removed" plus "added". Text is compared word by word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from django.utils.translation import gettext_lazy as _

from samepage.plans.content import ITEM_FIELDS
from samepage.plans.pdf import (
    item_label,
    item_value,
    readable_accommodation,
    readable_goal,
    readable_service,
    readable_value,
)
from samepage.plans.sections import ITEM_TITLES, items_for, sections_for

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
Words = list[tuple[str, str]]

# Free-text fields of items, compared word by word; the rest are values (old → new).
TEXT_ITEM_FIELDS = {
    "goals": {
        "statement",
        "baseline",
        "target",
        "measurement_method",
        "schedule",
        "mastery_criterion",
        "objectives",
    },
    "services": {"description", "provider_role", "setting"},
    "accommodations": {"description"},
}
TEXT_SECTION_KINDS = {"text", "line"}

# Plain headings for families, per kind of item.
HEADINGS = {
    "goals": {
        "added": _("New goals"),
        "changed": _("Goals that changed"),
        "removed": _("Goals no longer in the plan"),
    },
    "services": {
        "added": _("New services"),
        "changed": _("Services that changed"),
        "removed": _("Services no longer in the plan"),
    },
    "accommodations": {
        "added": _("New accommodations"),
        "changed": _("Accommodations that changed"),
        "removed": _("Accommodations no longer in the plan"),
    },
}


def word_diff(old: Any, new: Any) -> Words:
    """Whitespace-split tokens of ``old`` and ``new`` as (op, text) runs, op being
    equal, insert or delete (a replacement is a delete followed by an insert)."""
    a = str(old or "").split()
    b = str(new or "").split()
    ops: Words = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append((EQUAL, " ".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            ops.append((DELETE, " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            ops.append((INSERT, " ".join(b[j1:j2])))
    return ops


@dataclass
class FieldDiff:
    """One field: its readable old and new values, and the word diff for text."""

    name: str
    label: str
    old: str
    new: str
    words: Words | None = None

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def status(self) -> str:
        return "changed" if self.changed else "unchanged"


@dataclass
class SectionDiff:
    key: str
    title: Any
    fields: list[FieldDiff] = field(default_factory=list)

    @property
    def changed_fields(self) -> list[FieldDiff]:
        return [f for f in self.fields if f.changed]

    @property
    def changed(self) -> bool:
        return bool(self.changed_fields)


@dataclass
class ItemChange:
    """An item present on both sides, with the fields that differ."""

    lineage_id: str
    old: dict[str, Any]
    new: dict[str, Any]
    fields: list[FieldDiff]


@dataclass
class ItemsDiff:
    kind: str
    title: Any
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    @property
    def headings(self) -> dict[str, Any]:
        return HEADINGS[self.kind]


@dataclass
class PlanDiff:
    sections: list[SectionDiff]
    items: list[ItemsDiff]

    @property
    def changed_sections(self) -> list[SectionDiff]:
        return [s for s in self.sections if s.changed]

    @property
    def has_changes(self) -> bool:
        return bool(self.changed_sections) or any(i.has_changes for i in self.items)

    def of(self, kind: str) -> ItemsDiff | None:
        return next((i for i in self.items if i.kind == kind), None)


def _section_diff(spec: Any, old: dict[str, Any], new: dict[str, Any]) -> SectionDiff:
    result = SectionDiff(key=spec.key, title=spec.title)
    for f in spec.fields:
        before = readable_value(f, old.get(f.name))
        after = readable_value(f, new.get(f.name))
        words = (
            word_diff(before, after) if f.kind in TEXT_SECTION_KINDS and before != after else None
        )
        result.fields.append(FieldDiff(f.name, str(f.label), before, after, words))
    return result


def _readable_item(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    if kind == "goals":
        return readable_goal(item)
    if kind == "services":
        return readable_service(item)
    return readable_accommodation(item)


def _item_fields(kind: str) -> tuple[str, ...]:
    return (*ITEM_FIELDS[kind], "objectives") if kind == "goals" else ITEM_FIELDS[kind]


def _items_diff(kind: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> ItemsDiff:
    result = ItemsDiff(kind=kind, title=ITEM_TITLES[kind])
    before = {item["lineage_id"]: item for item in old}
    after_ids = {item["lineage_id"] for item in new}
    for item in new:
        previous = before.get(item["lineage_id"])
        if previous is None:
            result.added.append(_readable_item(kind, item))
            continue
        changes = []
        for name in _item_fields(kind):
            was = item_value(kind, name, previous.get(name))
            now = item_value(kind, name, item.get(name))
            if was == now:
                continue
            words = word_diff(was, now) if name in TEXT_ITEM_FIELDS[kind] else None
            changes.append(FieldDiff(name, item_label(kind, name), was, now, words))
        if changes:
            result.changed.append(
                ItemChange(
                    lineage_id=item["lineage_id"],
                    old=_readable_item(kind, previous),
                    new=_readable_item(kind, item),
                    fields=changes,
                )
            )
        else:
            result.unchanged += 1
    result.removed = [_readable_item(kind, i) for i in old if i["lineage_id"] not in after_ids]
    return result


def diff_contents(old: dict[str, Any], new: dict[str, Any]) -> PlanDiff:
    """Compare two contents: every section of the newer plan type in registry order
    (then any the older type had besides), and each kind of item by lineage."""
    new_type = new.get("plan_type", "iep")
    old_type = old.get("plan_type", new_type)
    specs = list(sections_for(new_type))
    specs += [s for s in sections_for(old_type) if s.key not in {x.key for x in specs}]
    old_sections = old.get("sections", {})
    new_sections = new.get("sections", {})
    sections = [
        _section_diff(spec, old_sections.get(spec.key) or {}, new_sections.get(spec.key) or {})
        for spec in specs
    ]
    kinds = list(items_for(new_type))
    kinds += [k for k in items_for(old_type) if k not in kinds]
    items = [_items_diff(k, old.get(k, []), new.get(k, [])) for k in kinds]
    return PlanDiff(sections=sections, items=items)
