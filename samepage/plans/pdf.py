"""Plans on paper and at a glance.

A version's content (plans/content.py) turned into what people read: labels instead of
codes, dates in the reader's language, "not applicable" for empty sections. The same
readable shape feeds the pages and the PDFs, so the paper copy says what the screen says.

PDFs are rendered offline by ``samepage.core.pdf`` (shared with the profile's one-page
PDF). ``plan_html`` and ``glance_html`` are the HTML each PDF is laid out from, the same
for a request and for the task that renders a final version ahead of time
(plans/tasks.py): no request goes into them, so nothing of the reader's session can
slip into a stored file. A final version's paper copy says when it was finalized, not
when it was printed, so it is one document whoever prints it and whenever.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from samepage.core import pdf as paper
from samepage.core.dates import district_date
from samepage.plans import selectors
from samepage.plans.content import content_of
from samepage.plans.contributions import shown_part
from samepage.plans.models import Accommodation, Plan, PlanVersion
from samepage.plans.presenters import (
    is_blank,
    item_label,
    item_value,
    readable_date,
    readable_value,
)
from samepage.plans.sections import ITEM_TITLES, items_for, sections_for
from samepage.profiles.permissions import ProfileAccess
from samepage.profiles.selectors import ShownSection, glance_sections
from samepage.schools.models import Student
from samepage.teams.permissions import Part, StudentAccess


@dataclass
class ReadableSection:
    key: str
    title: Any
    help: Any
    fields: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    empty_reason: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.fields


def readable_sections(content: dict[str, Any]) -> list[ReadableSection]:
    """Sections in registry order; an empty one carries why it is not applicable."""
    stored = content.get("sections", {})
    result = []
    for spec in sections_for(content.get("plan_type", "iep")):
        data = stored.get(spec.key) or {}
        readable = ReadableSection(key=spec.key, title=spec.title, help=spec.help)
        for f in spec.fields:
            shown = readable_value(f, data.get(f.name))
            if shown:
                readable.fields.append((str(f.label), shown))
        if readable.is_empty:
            readable.empty_reason = str(
                spec.empty_reason or _("The team did not record anything for this part.")
            )
        result.append(readable)
    return result


def readable_amount(service: dict[str, Any]) -> str:
    minutes = service.get("minutes")
    if minutes in (None, ""):
        return ""
    unit = item_value("services", "frequency_unit", service.get("frequency_unit"))
    text = _("%(minutes)s minutes") % {"minutes": minutes}
    return f"{text} {unit}" if unit else text


def readable_goal(goal: dict[str, Any]) -> dict[str, Any]:
    return {
        "lineage_id": goal["lineage_id"],
        "area": item_value("goals", "area", goal.get("area")),
        "statement": goal.get("statement", ""),
        "details": [
            (item_label("goals", name), goal.get(name))
            for name in (
                "baseline",
                "target",
                "measurement_method",
                "schedule",
                "mastery_criterion",
            )
            if not is_blank(goal.get(name))
        ],
        "objectives": goal.get("objectives", []),
    }


def readable_service(service: dict[str, Any]) -> dict[str, Any]:
    start = readable_date(service.get("start_date"))
    end = readable_date(service.get("end_date"))
    return {
        "lineage_id": service["lineage_id"],
        "description": service.get("description", ""),
        "category": item_value("services", "category", service.get("category")),
        "amount": readable_amount(service),
        "provider_role": service.get("provider_role", ""),
        "setting": service.get("setting", ""),
        "delivery": item_value("services", "delivery", service.get("delivery")),
        "grouping": item_value("services", "grouping", service.get("grouping")),
        "dates": _("%(start)s to %(end)s") % {"start": start, "end": end}
        if start and end
        else start or end,
    }


def readable_accommodation(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "lineage_id": item["lineage_id"],
        "description": item.get("description", ""),
        "kind": item_value("accommodations", "kind", item.get("kind")),
        "is_modification": item.get("kind") == Accommodation.Kind.MODIFICATION,
        "applies_to": item_value("accommodations", "applies_to", item.get("applies_to")),
    }


def readable_plan(content: dict[str, Any]) -> dict[str, Any]:
    """Everything the full plan shows, in the reader's language."""
    kinds = items_for(content.get("plan_type", "iep"))
    amendment = content.get("amendment") or {}
    return {
        "student": content.get("student", {}),
        "student_date_of_birth": readable_date(content.get("student", {}).get("date_of_birth")),
        "version": content.get("version"),
        "is_amendment": content.get("kind") == PlanVersion.Kind.AMENDMENT,
        "amendment_reason": amendment.get("reason", ""),
        "amendment_effective": readable_date(amendment.get("effective_date")),
        "plan_type": str(dict(Plan.PlanType.choices).get(content.get("plan_type", ""), "")),
        "proposed_start": readable_date(content.get("proposed_start")),
        "proposed_end": readable_date(content.get("proposed_end")),
        "meeting_date": readable_date(content.get("meeting_date")),
        "sections": readable_sections(content),
        "has_goals": "goals" in kinds,
        "goals_title": ITEM_TITLES["goals"],
        "goals": [readable_goal(g) for g in content.get("goals", [])],
        "services_title": ITEM_TITLES["services"],
        "services": [readable_service(s) for s in content.get("services", [])],
        "accommodations_title": ITEM_TITLES["accommodations"],
        "accommodations": [readable_accommodation(a) for a in content.get("accommodations", [])],
        "concerns": shown_part("concerns", content, content.get("plan_type", "iep")),
    }


def accommodations_by_place(content: dict[str, Any]) -> list[dict[str, Any]]:
    """A version's accommodations grouped by where they apply (in class, on tests, both),
    empty groups left out: the glance and the teacher's home read them the same way."""
    accommodations = [readable_accommodation(a) for a in content.get("accommodations", [])]
    by_place = []
    for value, label in Accommodation.AppliesTo.choices:
        entries = [
            a
            for a, raw in zip(accommodations, content.get("accommodations", []), strict=True)
            if raw.get("applies_to") == value
        ]
        if entries:
            by_place.append({"key": value, "label": label, "entries": entries})
    return by_place


@dataclass
class TaughtPlan:
    """One row of the teacher's home: a student, the plan in effect, what he owes."""

    version: PlanVersion
    accommodations_by_place: list[dict[str, Any]]
    acknowledged_at: datetime | None

    @property
    def plan(self) -> Plan:
        return self.version.plan

    @property
    def student(self) -> Student:
        return self.version.plan.student


def taught_rows(versions: Any) -> list[TaughtPlan]:
    """Rows for a page of ``selectors.taught_plans``: accommodations grouped by where they apply
    (in class, on tests, both), read from each version's frozen content, and the plans'
    label summaries: one query for the whole page."""
    versions = list(versions)
    # What each plan's label needs ("IEP 2025–26, in effect"), for the whole page at once.
    plans = Plan.objects.filter(pk__in={v.plan_id for v in versions})
    summaries = {
        row["pk"]: row
        for row in selectors.with_summary(plans).values("pk", *selectors.SUMMARY_FIELDS)
    }
    for version in versions:
        for name in selectors.SUMMARY_FIELDS:
            setattr(version.plan, name, summaries.get(version.plan_id, {}).get(name))
    return [
        TaughtPlan(
            version=version,
            accommodations_by_place=accommodations_by_place(content_of(version)),
            acknowledged_at=getattr(version, "acknowledged_at", None),
        )
        for version in versions
    ]


def glance_of(content: dict[str, Any]) -> dict[str, Any]:
    """The one page a teacher needs: accommodations by where they apply, goals in a
    line each, key notes, and the services."""
    by_place = accommodations_by_place(content)
    strengths = (content.get("sections", {}).get("strengths") or {}).get("strengths", "")
    return {
        "student": content.get("student", {}),
        "version": content.get("version"),
        "accommodations_by_place": by_place,
        "has_goals": "goals" in items_for(content.get("plan_type", "iep")),
        "goals": [
            {
                "area": item_value("goals", "area", g.get("area")),
                "statement": g.get("statement", ""),
                "lineage_id": g.get("lineage_id", ""),
            }
            for g in content.get("goals", [])
        ],
        "strengths": strengths,
        "services": [readable_service(s) for s in content.get("services", [])],
    }


# --- the HTML each PDF is laid out from ------------------------------------------------


def finalized_on(version: PlanVersion) -> str:
    """The day a version was finalized, in the district's zone and the reader's language
    ("" for a draft): the paper copy's date, the same for every reader."""
    if version.finalized_at is None:
        return ""
    return readable_date(district_date(version.finalized_at, version.plan.student.district))


def plan_html(version: PlanVersion) -> str:
    """The whole plan's PDF as HTML, in the active language."""
    readable = readable_plan(content_of(version))
    context = {
        "plan": version.plan,
        "version": version,
        "readable": readable,
        "finalized_on": finalized_on(version),
    }
    return paper.render_html("plans/pdf/plan.html", context)


def glance_html(version: PlanVersion, profile_sections: list[ShownSection]) -> str:
    """The plan at a glance's PDF as HTML, with the profile part ``profile_sections``
    (what the reader may see of it) in the active language and time zone."""
    context = {
        "plan": version.plan,
        "version": version,
        "glance": glance_of(content_of(version)),
        "profile_sections": profile_sections,
        "finalized_on": finalized_on(version),
    }
    return paper.render_html("plans/pdf/glance.html", context)


def glance_profile_as_the_team_sees_it(student: Student) -> list[ShownSection]:
    """The glance's profile part as every reader who may see the profile sees it.

    ``glance_sections`` reads nothing else of its reader: team-visible entries of three
    sections, never a private draft (not even the reader's own) and never health notes.
    Only for rendering a final version's glance before anyone asks for it; a reader is
    handed that file only when their own rendering is the same HTML.
    """
    anyone_with_the_profile = StudentAccess(student=student, role="", parts={Part.PROFILE})
    return glance_sections(student, ProfileAccess(anyone_with_the_profile, user_id=0))
