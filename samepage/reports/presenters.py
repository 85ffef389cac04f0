"""A report as people read it: each goal's rating in the district's words, the data
summary and the "insufficient data" wording in the reader's language, and the chart.
The same shape feeds the page, the PDF and the API, so paper says what the screen says."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from samepage.progress.chart import chart_context
from samepage.reports import selectors
from samepage.reports.models import GoalReportEntry, ProgressReport, Rating, ReportSettings
from samepage.reports.summary import (
    chart_of_entry,
    insufficient_data_words,
    summary_lines,
    too_little_data,
)


@dataclass
class ShownEntry:
    entry: GoalReportEntry
    rating_label: str
    suggested_label: str
    lines: list[str]
    too_little_data: bool
    insufficient_words: str
    chart: dict[str, Any]

    @property
    def pk(self) -> int:
        return self.entry.pk


def _suggested(entry: GoalReportEntry, settings: ReportSettings) -> str:
    if entry.suggested == "insufficient_data":
        return _("Insufficient data")
    return selectors.rating_label(entry.suggested, settings)


def shown_entries(
    report: ProgressReport, entries: list[GoalReportEntry], settings: ReportSettings
) -> list[ShownEntry]:
    shown = []
    for entry in entries:
        little = too_little_data(entry, report.minimum_points)
        chart = chart_of_entry(entry, _("Progress on: %(goal)s") % {"goal": entry.goal_text[:80]})
        shown.append(
            ShownEntry(
                entry=entry,
                rating_label=selectors.rating_label(entry.rating, settings),
                suggested_label=_suggested(entry, settings),
                lines=summary_lines(entry),
                too_little_data=little,
                insufficient_words=insufficient_data_words(entry, report.minimum_points)
                if little
                else "",
                chart=chart_context(chart, name=f"goal-{entry.pk}"),
            )
        )
    return shown


def rating_choices(settings: ReportSettings) -> list[tuple[str, str]]:
    """The ratings in the district's words, for the entry form."""
    return [(value, selectors.rating_label(value, settings)) for value in Rating.values]


def report_says_insufficient(shown: list[ShownEntry]) -> bool:
    return any(e.too_little_data for e in shown)
