"""A goal's data for one reporting period, frozen into a report entry, and drawn again.

``summarise`` turns what the selectors read for one goal (its measurement, its points up
to the period's last day, its phase changes) into the entry's data summary and chart
inputs: numbers and days only, so each reader later reads them in their own language.
``chart_of_entry`` draws the frozen inputs with the progress app's own chart (the same
drawing as the goal's page, the email and the PDF). No query here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samepage.progress.analysis import analyse
from samepage.progress.chart import Chart, Phase, number
from samepage.progress.models import DataPoint, GoalMeasurement, PhaseChange
from samepage.progress.trends import Line, Point, Verdict, aim_line, ols_trend
from samepage.reports.models import GoalReportEntry, ReportingPeriod, Suggestion


@dataclass(frozen=True)
class Summary:
    points_in_period: int
    last_value: Decimal | None
    last_day: date | None
    trend_per_week: float | None
    projection: str  # "", "date" or "never"
    projected_on: date | None
    unit: str
    suggested: str
    chart: dict[str, Any]


def _pair(point: Point | None) -> list[Any] | None:
    return [point.day.isoformat(), point.value] if point is not None else None


def _suggest(analysis: Any, in_period: int, minimum: int) -> str:
    if in_period < minimum:
        return Suggestion.INSUFFICIENT_DATA
    if analysis.mastered:
        return Suggestion.MET
    verdicts = (analysis.four_point, analysis.trend_verdict)
    if Verdict.CHANGE_INSTRUCTION in verdicts:
        return Suggestion.INSUFFICIENT
    if analysis.trend_verdict in (Verdict.CONTINUE, Verdict.RAISE_GOAL):
        return Suggestion.SUFFICIENT
    return Suggestion.NONE


def summarise(
    measurement: GoalMeasurement | None,
    points: Iterable[DataPoint],
    phases: Iterable[PhaseChange],
    *,
    period: ReportingPeriod,
    today: date,
    minimum: int,
) -> Summary:
    """The period's summary of one goal. ``points``: its standing points up to the
    period's last day (both series); only the school's count, as everywhere."""
    if measurement is None:
        return Summary(0, None, None, None, "", None, "", Suggestion.INSUFFICIENT_DATA, {})
    as_of = min(today, period.ends)
    analysis = analyse(measurement, points, phases, today=as_of)
    in_period = [p for p in analysis.school if period.starts <= p.day <= period.ends]
    last = in_period[-1] if in_period else None
    projection = ""
    if analysis.can_project:
        projection = "date" if analysis.projected is not None else "never"
    unit = measurement.unit or (measurement.get_kind_display() if measurement.kind else "")
    chart = {
        "school": [_pair(p) for p in analysis.school],
        "home": [_pair(p) for p in analysis.home],
        "baseline": _pair(analysis.baseline),
        "target": _pair(analysis.target),
        "phases": [[p.day.isoformat(), p.what] for p in analysis.phases],
    }
    return Summary(
        points_in_period=len(in_period),
        last_value=Decimal(str(last.value)) if last is not None else None,
        last_day=last.day if last is not None else None,
        trend_per_week=analysis.trend.slope if analysis.trend is not None else None,
        projection=projection,
        projected_on=analysis.projected,
        unit=str(unit),
        suggested=_suggest(analysis, len(in_period), minimum),
        chart=chart,
    )


def _point(pair: Any) -> Point | None:
    if not pair:
        return None
    return Point(date.fromisoformat(pair[0]), float(pair[1]))


def _points(pairs: Any) -> list[Point]:
    return [p for p in (_point(pair) for pair in pairs or []) if p is not None]


def chart_of_entry(entry: GoalReportEntry, title: str) -> Chart:
    """The entry's chart from its frozen inputs (aim and trend drawn again from them)."""
    frozen = entry.chart or {}
    school = _points(frozen.get("school"))
    baseline = _point(frozen.get("baseline"))
    target = _point(frozen.get("target"))
    aim: Line | None = None
    if baseline is not None and target is not None and target.day > baseline.day:
        aim = aim_line(baseline, target)
    return Chart(
        title=title,
        unit=entry.unit,
        points=school,
        home=_points(frozen.get("home")),
        baseline=baseline,
        target=target,
        aim=aim,
        trend=ols_trend(school, aim.origin if aim else None),
        phases=[Phase(date.fromisoformat(d), what) for d, what in frozen.get("phases") or []],
    )


def too_little_data(entry: GoalReportEntry, minimum: int) -> bool:
    return entry.points_in_period < minimum


def insufficient_data_words(entry: GoalReportEntry, minimum: int) -> str:
    """The plain words a report shows for a goal with too little data to judge."""
    if entry.points_in_period == 0:
        return _(
            "Insufficient data: no scores were recorded for this goal in this period, so "
            "progress cannot be judged from data."
        )
    return ngettext(
        "Insufficient data: only %(count)s score was recorded for this goal in this period "
        "(at least %(minimum)s are needed to judge progress).",
        "Insufficient data: only %(count)s scores were recorded for this goal in this period "
        "(at least %(minimum)s are needed to judge progress).",
        entry.points_in_period,
    ) % {"count": entry.points_in_period, "minimum": minimum}


def summary_lines(entry: GoalReportEntry) -> list[str]:
    """The data summary in the reader's language."""
    lines = [
        ngettext(
            "%(count)s score recorded in this period.",
            "%(count)s scores recorded in this period.",
            entry.points_in_period,
        )
        % {"count": entry.points_in_period}
    ]
    if entry.last_value is not None and entry.last_day is not None:
        lines.append(
            _("Last score: %(value)s %(unit)s on %(day)s.")
            % {
                "value": number(float(entry.last_value)),
                "unit": entry.unit,
                "day": date_format(entry.last_day, "DATE_FORMAT"),
            }
        )
    if entry.trend_per_week is not None:
        lines.append(
            _("Trend: %(slope)s %(unit)s a week.")
            % {"slope": number(entry.trend_per_week), "unit": entry.unit}
        )
    if entry.projection == "date" and entry.projected_on is not None:
        lines.append(
            _("At this rate the goal would be reached on %(day)s.")
            % {"day": date_format(entry.projected_on, "DATE_FORMAT")}
        )
    elif entry.projection == "never":
        lines.append(_("At this rate the goal would not be reached."))
    return lines
