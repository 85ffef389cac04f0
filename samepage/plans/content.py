"""A version's whole content as plain data: for snapshots, frozen finals, diff, PDF and
the API. One shape everywhere, so a shared draft and a final read the same way."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from samepage.plans.contributions import contributions
from samepage.plans.models import Accommodation, Goal, Objective, PlanVersion, Service
from samepage.plans.sections import items_for, sections_for

GOAL_FIELDS = (
    "area",
    "statement",
    "baseline",
    "target",
    "measurement_method",
    "schedule",
    "mastery_criterion",
)
SERVICE_FIELDS = (
    "category",
    "description",
    "provider_role",
    "minutes",
    "frequency_unit",
    "start_date",
    "end_date",
    "setting",
    "delivery",
    "grouping",
)
ACCOMMODATION_FIELDS = ("description", "kind", "applies_to")
ITEM_FIELDS = {
    "goals": GOAL_FIELDS,
    "services": SERVICE_FIELDS,
    "accommodations": ACCOMMODATION_FIELDS,
}


def _value(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _item(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    data = {"lineage_id": str(obj.lineage_id), "id": obj.pk, "revision": obj.revision}
    data.update({name: _value(getattr(obj, name)) for name in fields})
    return data


def build_content(version: PlanVersion) -> dict[str, Any]:
    """Read a version's rows into the content shape (a few queries, none per item)."""
    plan = version.plan
    student = plan.student
    stored = {s.key: s.data for s in version.sections.all()}
    content: dict[str, Any] = {
        "plan_type": plan.plan_type,
        "student": {
            "id": student.pk,
            "name": student.display_name,
            "legal_name": student.legal_name,
            "date_of_birth": student.date_of_birth.isoformat(),
            "grade": student.grade,
            "district_student_id": student.district_student_id,
        },
        "version": version.number,
        "kind": version.kind,
        "proposed_start": _value(version.proposed_start),
        "proposed_end": _value(version.proposed_end),
        "meeting_date": _value(version.meeting_date),
        "amendment": {
            "reason": version.amendment_reason,
            "parts": list(version.amendment_parts),
            "effective_date": _value(version.amendment_effective_date),
        },
        "sections": {s.key: dict(stored.get(s.key, {})) for s in sections_for(plan.plan_type)},
    }
    kinds = items_for(plan.plan_type)
    if "goals" in kinds:
        goals = Goal.objects.filter(version=version, removed_at__isnull=True).prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.order_by("position", "id"))
        )
        content["goals"] = [
            {
                **_item(goal, GOAL_FIELDS),
                "objectives": [
                    {
                        "lineage_id": str(o.lineage_id),
                        "statement": o.statement,
                        "criterion": o.criterion,
                    }
                    for o in goal.objectives.all()
                ],
            }
            for goal in goals
        ]
    if "services" in kinds:
        content["services"] = [
            _item(s, SERVICE_FIELDS)
            for s in Service.objects.filter(version=version, removed_at__isnull=True)
        ]
    if "accommodations" in kinds:
        content["accommodations"] = [
            _item(a, ACCOMMODATION_FIELDS)
            for a in Accommodation.objects.filter(version=version, removed_at__isnull=True)
        ]
    # Parts other apps add (the family's concerns, verbatim, with where each landed):
    # frozen with the version, so a shared draft or a final plan shows them as they
    # stood then.
    for contribution in contributions():
        content[contribution.key] = contribution.build(version)
    return content


def content_of(version: PlanVersion) -> dict[str, Any]:
    """The frozen content of a final version, or the live content of a draft."""
    if version.content is not None:
        return version.content
    return build_content(version)
