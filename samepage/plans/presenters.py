"""Turn a version's content into what people read: titles, labels, readable values.

One place for pages, PDFs and the diff, so a value reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from samepage.core.dates import district_date
from samepage.plans.content import ITEM_FIELDS
from samepage.plans.contributions import shown_part
from samepage.plans.models import Accommodation, Goal, Plan, Service
from samepage.plans.sections import AREAS, ITEM_HELP, ITEM_TITLES, Field, items_for, sections_for
from samepage.plans.selectors import review_overdue_since, summarize


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


# --- telling plans apart ------------------------------------------------------------

# A school year runs from July to June: a plan starting in August 2025 is "2025–26".
SCHOOL_YEAR_STARTS_IN_MONTH = 7


def school_year(day: date) -> str:
    first = day.year if day.month >= SCHOOL_YEAR_STARTS_IN_MONTH else day.year - 1
    return f"{first}–{(first + 1) % 100:02d}"


def plan_state(plan: Plan) -> str:
    """One word for where a plan is: "ended", "in_effect", "final", "draft_shared",
    "draft", "replaced". Needs the ``selectors.with_summary`` annotations."""
    summarize(plan)
    if plan.ended_at is not None:
        return "ended"
    if getattr(plan, "summary_in_effect", False):
        return "in_effect"
    if getattr(plan, "summary_final", False):
        return "final"
    if getattr(plan, "summary_draft", False):
        return "draft_shared" if getattr(plan, "summary_shared", False) else "draft"
    if getattr(plan, "summary_replaced", False):
        return "replaced"
    return "ended"


# Lazy, so a label translates only its own state (a list labels 50 plans, one each).
PLAN_STATE_LABELS = {
    "ended": pgettext_lazy("plan state", "ended"),
    "in_effect": pgettext_lazy("plan state", "in effect"),
    "final": pgettext_lazy("plan state", "waiting for signature"),
    "draft_shared": pgettext_lazy("plan state", "draft shared"),
    "draft": pgettext_lazy("plan state", "draft, not shared yet"),
    "replaced": pgettext_lazy("plan state", "replaced by a newer plan"),
}


def plan_state_label(state: str) -> str:
    return str(PLAN_STATE_LABELS[state])


def plan_school_year(plan: Plan) -> str:
    start = summarize(plan).summary_start  # type: ignore[attr-defined]
    return school_year(start or district_date(plan.created_at, plan.student.district))


def plan_label(plan: Plan, state: str | None = None) -> str:
    """How every link names a plan: "IEP 2025–26, in effect", "504 plan 2024–25, ended".

    Give it plans from ``selectors.with_summary`` (plan lists do) to stay at constant
    queries; a bare plan costs one query. ``state``: its ``plan_state``, if known.
    """
    return _("%(kind)s %(year)s, %(state)s") % {
        "kind": plan.get_plan_type_display(),
        "year": plan_school_year(plan),
        "state": plan_state_label(state or plan_state(plan)),
    }


@dataclass
class PlanRow:
    """One plan in a list: its label, when it took effect, its annual review."""

    plan: Plan
    label: str
    state: str
    took_effect: date | None
    review_due: date | None
    overdue_since: date | None


def plan_rows(plans: Iterable[Plan]) -> list[PlanRow]:
    """Rows for plans from ``selectors.plan_list`` (annotated: no query per plan)."""
    rows = []
    for plan in plans:
        state = plan_state(plan)
        rows.append(
            PlanRow(
                plan=plan,
                label=plan_label(plan, state),
                state=state,
                took_effect=plan.summary_took_effect,  # type: ignore[attr-defined]
                review_due=plan.summary_review_due,  # type: ignore[attr-defined]
                overdue_since=review_overdue_since(plan),
            )
        )
    return rows


def overdue_notice(since: date | None) -> str:
    """ "Annual review overdue since 3 Oct 2026" (empty when not overdue)."""
    if since is None:
        return ""
    return _("Annual review overdue since %(day)s") % {"day": date_format(since, "DATE_FORMAT")}


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
            shown.concerns = shown_part("concerns", content, plan_type)
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


def anchor_id(anchor: str) -> str:
    """The element id of a plan part: "goal:<lineage>" → "goal-<lineage>".

    The draft editor, the plan pages, their contents lists and the concerns that link to
    plan items all use these ids, so a link always finds its part.
    """
    return str(anchor).replace(":", "-")


def content_contents(
    sections: list[ShownSection], items: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    """(element id, title) of each part ``plans/_partials/content.html`` renders, for
    the page's contents list."""
    contents = [(anchor_id(sec.anchor), str(sec.title)) for sec in sections]
    contents += [(f"items-{group['kind']}", str(group["title"])) for group in items]
    return contents


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
