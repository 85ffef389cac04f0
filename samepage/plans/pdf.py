"""Plans on paper and at a glance.

A version's content (plans/content.py) turned into what people read: labels instead of
codes, dates in the reader's language, "not applicable" for empty sections. The same
readable shape feeds the pages and the PDFs, so the paper copy says what the screen says.

PDFs are rendered by WeasyPrint from the page templates plus the print stylesheet, which
is inlined from disk: WeasyPrint is given a fetcher that refuses every URL, so a PDF
never reaches the network (or the file system) whatever ends up in the HTML.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samepage.concerns.presenters import shown_from_content
from samepage.plans import selectors
from samepage.plans.content import content_of
from samepage.plans.models import Accommodation, Plan, PlanVersion
from samepage.plans.presenters import (
    is_blank,
    item_label,
    item_value,
    readable_date,
    readable_value,
)
from samepage.plans.sections import ITEM_TITLES, items_for, sections_for
from samepage.schools.models import Student

logger = logging.getLogger(__name__)

PRINT_CSS = Path(__file__).resolve().parent / "static" / "plans" / "print.css"


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
        "concerns": shown_from_content(
            content.get("concerns", []), content.get("plan_type", "iep")
        ),
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
            }
            for g in content.get("goals", [])
        ],
        "strengths": strengths,
        "services": [readable_service(s) for s in content.get("services", [])],
    }


# --- rendering ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _print_css_text() -> str:
    return PRINT_CSS.read_text(encoding="utf-8")


def print_css() -> SafeString:
    # Our own file, read from disk: safe to place inside <style> as it is.
    return mark_safe(_print_css_text())


def css_string(text: str) -> str:
    """``text`` as a CSS string literal that cannot break out of the rule or <style>."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\a ")
        .replace("<", "\\3c ")
        .replace(">", "\\3e ")
    )
    return f'"{escaped}"'


def page_counter_css() -> SafeString:
    """A CSS ``content`` value saying "Page N of M" in the reader's language."""
    counters = {"page": "\x00page\x00", "pages": "\x00pages\x00"}
    try:
        text = _("Page %(page)s of %(pages)s") % counters
    except (KeyError, TypeError, ValueError):  # a broken translation: fall back
        text = f"Page {counters['page']} of {counters['pages']}"
    parts = text.split("\x00")
    # Odd positions are the counter names, even ones the words around them.
    pieces = [
        f"counter({part})" if i % 2 else css_string(part)
        for i, part in enumerate(parts)
        if i % 2 or part
    ]
    return mark_safe(" ".join(pieces))


# Set by the test suite (samepage/conftest.py): a PDF that asks for any resource fails
# the test that rendered it, instead of quietly leaving the resource out.
FAIL_ON_EXTERNAL_RESOURCES = False


def _offline_fetcher(*, strict: bool) -> Any:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class ExternalResourceRefused(FatalURLFetchingError):  # type: ignore[misc]
        """Raised in strict mode; WeasyPrint lets only these through its own error handling."""

    class RefuseEverything(URLFetcher):  # type: ignore[misc]
        """Every resource a PDF needs is inline; anything else is refused, unopened, and
        noted in ``refused`` (WeasyPrint swallows ordinary errors raised by a fetcher)."""

        def __init__(self) -> None:
            super().__init__()
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            self.refused.append(url[:200])
            if strict:
                raise ExternalResourceRefused(f"A PDF asked for an external resource: {url[:80]}")
            raise ValueError(f"PDFs load no external resources: {url[:80]}")

    return RefuseEverything()


def html_to_pdf(html: str, *, strict: bool | None = None) -> bytes:
    """PDF bytes from HTML, offline: no URL is ever opened. A refused resource is logged;
    with ``strict`` (the test suite) it stops the rendering."""
    from weasyprint import HTML

    fetcher = _offline_fetcher(strict=FAIL_ON_EXTERNAL_RESOURCES if strict is None else strict)
    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
    if fetcher.refused:
        logger.error("PDF referred to resources that were not loaded: %s", fetcher.refused)
    return pdf


def render_pdf(template_name: str, context: dict[str, Any], request: HttpRequest) -> bytes:
    """Render a template with the print stylesheet into PDF bytes, offline."""
    html = render_to_string(
        template_name,
        {**context, "print_css": print_css(), "page_counter": page_counter_css()},
        request=request,
    )
    return html_to_pdf(html)


def pdf_filename(student_name: str, what: str, version: Any) -> str:
    """An ASCII file name that cannot smuggle quotes, slashes or headers."""
    name = slugify(student_name) or "student"
    return f"{name}-{slugify(what) or 'plan'}-v{int(version)}.pdf"


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(False, filename) or f'inline; filename="{filename}"'
    )
    # A child's record: never kept in shared caches or the browser's cache.
    add_never_cache_headers(response)
    return response
