"""Concerns as pages show them: readable labels, who said it, where it landed.

Works both on rows (the concerns pages) and on the plain data frozen into a plan
version's content (the plan's parent-concerns section), so both read the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samepage.concerns.models import ConcernStatus, ParentConcern
from samepage.concerns.permissions import ConcernAccess
from samepage.concerns.selectors import ItemWording, item_wording, target_text
from samepage.plans.permissions import PlanAccess


@dataclass
class ShownLanding:
    text: str
    note: str
    anchor: str  # "goal:<lineage>"…, the plan page's anchor for it


@dataclass
class ShownConcern:
    pk: int
    text: str
    category: Any
    importance: Any
    status: str
    status_label: Any
    attribution: str
    created_at: datetime | None
    landed: list[ShownLanding] = field(default_factory=list)
    decline_reason: str = ""
    deferred_until: Any = None
    note: str = ""


def attribution(
    *,
    author: str | None,
    on_behalf_of: str | None,
    heard_from: str | None,
    recorded_by_phone: bool,
) -> str:
    """Whose words these are, and who wrote them down."""
    if recorded_by_phone and heard_from:
        return _("%(guardian)s, by phone (written down by %(staff)s)") % {
            "guardian": heard_from,
            "staff": author,
        }
    if on_behalf_of:
        return _("%(advocate)s, on behalf of %(guardian)s") % {
            "advocate": author,
            "guardian": on_behalf_of,
        }
    return author or ""


def _label(choices: Any, value: str) -> Any:
    return dict(choices).get(value, value)


def shown_from_content(data: list[dict[str, Any]], plan_type: str) -> list[ShownConcern]:
    """The concerns frozen in a version's content, for the plan's parent-concerns section."""
    shown = []
    for item in data:
        deferred = parse_date(item["deferred_until"]) if item.get("deferred_until") else None
        shown.append(
            ShownConcern(
                pk=item["id"],
                text=item["text"],
                category=_label(ParentConcern.Category.choices, item["category"]),
                importance=_label(ParentConcern.Importance.choices, item["importance"]),
                status=item["status"],
                status_label=_label(ConcernStatus.choices, item["status"]),
                attribution=attribution(
                    author=item.get("author"),
                    on_behalf_of=item.get("on_behalf_of"),
                    heard_from=item.get("heard_from"),
                    recorded_by_phone=bool(item.get("recorded_by_phone")),
                ),
                created_at=parse_datetime(item["created_at"]),
                landed=[
                    ShownLanding(
                        text=target_text(landing["target"], landing["target_label"], plan_type),
                        note=landing["note"],
                        anchor=landing["target"],
                    )
                    for landing in item.get("landed", [])
                ],
                decline_reason=item.get("decline_reason", ""),
                deferred_until=deferred,
                note=item.get("note", ""),
            )
        )
    return shown


def wording_for(access: ConcernAccess) -> ItemWording:
    """How this reader reads the items concerns landed in: the live draft's words only for
    those who may see drafts (the plans' own rule), the shared words for everyone else."""
    return item_wording(access.student, sees_drafts=PlanAccess(access.record).can_see_drafts)


def shown_concern(concern: ParentConcern, wording: ItemWording) -> ShownConcern:
    """One concern row (outcomes prefetched) as this reader may read it."""
    state = concern.state
    latest = state.latest
    return ShownConcern(
        pk=concern.pk,
        text=concern.text,
        category=concern.get_category_display(),
        importance=concern.get_importance_display(),
        status=state.status,
        status_label=concern.status_label,
        attribution=attribution(
            author=concern.author.display_name,
            on_behalf_of=concern.on_behalf_of.display_name if concern.on_behalf_of else None,
            heard_from=concern.heard_from.display_name if concern.heard_from else None,
            recorded_by_phone=concern.recorded_by_phone,
        ),
        created_at=concern.created_at,
        landed=[
            ShownLanding(
                text=wording.text(
                    o.plan_id, o.target, o.target_label, o.plan.plan_type if o.plan else "iep"
                ),
                note=o.note,
                anchor=o.target,
            )
            for o in state.landed
        ],
        decline_reason=latest.decline_reason if latest is not None else "",
        deferred_until=latest.deferred_until if latest is not None else None,
        note=latest.note if latest is not None else "",
    )


@dataclass
class ShownOutcome:
    created_at: datetime
    decided_by: Any
    label: str
    detail: str
    note: str


def history_of(concern: ParentConcern, wording: ItemWording) -> list[ShownOutcome]:
    """Every answer the concern has had, oldest first (outcomes prefetched)."""
    shown = []
    for o in concern.outcomes.all():
        if o.kind == "addressed":
            plan_type = o.plan.plan_type if o.plan else "iep"
            label = _("Linked to %(what)s") % {
                "what": wording.text(o.plan_id, o.target, o.target_label, plan_type)
            }
            detail = ""
        elif o.kind == "declined":
            label, detail = _("Declined"), o.decline_reason
        else:
            day = date_format(o.deferred_until, "DATE_FORMAT") if o.deferred_until else ""
            label, detail = _("Deferred until %(day)s") % {"day": day}, ""
        shown.append(ShownOutcome(o.created_at, o.decided_by, label, detail, o.note))
    return shown
