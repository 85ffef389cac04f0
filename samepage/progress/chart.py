"""A goal's progress chart as server-rendered SVG: the same drawing on the page, in an
email and in the PDF (no script, no web font, presentation attributes inline).

It draws the school's points (filled circles) and the family's home observations
(hollow squares, a series of their own), the baseline, the aim line to the target
(dashed), the trend line (solid), the target (a diamond) and a dotted phase line where
instruction changed, with what changed. Shapes and dash patterns tell the series apart,
never colour alone; ``<title>`` and ``<desc>`` name and describe it, and ``data_table``
gives the rows of the table the page shows beside it. It scales with its box (viewBox),
so it reads at 360 px.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from samepage.progress.trends import Line, Point, in_order

# Drawn for a phone's width (it grows with a wider box): 13-unit text stays readable at
# 360 px, where the drawing is a little narrower than this.
WIDTH, HEIGHT = 400, 330
LEFT, RIGHT, TOP, BOTTOM = 48, 14, 30, 104  # the bottom holds the dates and the legend
INK = "#1b1b1b"
SCHOOL = "#0b5394"
HOME = "#7a3e00"
AIM = "#2e6b30"
TREND = "#5b2a86"
PHASE = "#555555"
PHASE_LABEL_CHARS = 24


@dataclass(frozen=True)
class Phase:
    """Where instruction changed, and what changed."""

    day: date
    what: str


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    points: Sequence[Point] = ()
    home: Sequence[Point] = ()
    baseline: Point | None = None
    target: Point | None = None
    aim: Line | None = None
    trend: Line | None = None
    phases: Sequence[Phase] = field(default_factory=tuple)


@dataclass(frozen=True)
class TableRow:
    day: date
    value: float
    series: str  # "school" or "home"
    series_label: str

    @property
    def day_text(self) -> str:
        return day_text(self.day)

    @property
    def value_text(self) -> str:
        return number(self.value)


def number(value: float) -> str:
    """A value as the reader's language writes numbers, without needless decimals."""
    return _number(get_language(), round(float(value), 1))


# Years of scores repeat the same few values and name each day once a page: formatting
# each once per language (a few microseconds a lookup, not a tenth of a millisecond)
# keeps a five-year chart and its table cheap. Languages' formats never change while
# the process runs, so the cached text is always right.
@lru_cache(maxsize=20_000)
def _number(language: str | None, rounded: float) -> str:
    if rounded == int(rounded):
        return number_format(int(rounded))
    return number_format(rounded, decimal_pos=1)


@lru_cache(maxsize=50_000)
def _day_in(language: str | None, day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def day_text(day: date) -> str:
    """A day as the reader's language writes it ("10 de diciembre de 2026")."""
    return _day_in(get_language(), day)


def data_table(chart: Chart) -> list[TableRow]:
    """Every point of both series, oldest first: the table beside the chart."""
    rows = [TableRow(p.day, p.value, "school", _("School data")) for p in chart.points]
    rows += [TableRow(p.day, p.value, "home", _("Home observation")) for p in chart.home]
    return sorted(rows, key=lambda r: (r.day, r.series))


def description(chart: Chart) -> str:
    """The chart in words, for its ``<desc>`` (and for anyone who cannot see it)."""
    parts = []
    points = in_order(chart.points)
    if points:
        low = min(p.value for p in points)
        high = max(p.value for p in points)
        parts.append(
            ngettext(
                "%(count)s score from %(first)s to %(last)s, "
                "between %(low)s and %(high)s %(unit)s.",
                "%(count)s scores from %(first)s to %(last)s, "
                "between %(low)s and %(high)s %(unit)s.",
                len(points),
            )
            % {
                "count": len(points),
                "first": _day(points[0].day),
                "last": _day(points[-1].day),
                "low": number(low),
                "high": number(high),
                "unit": chart.unit,
            }
        )
    else:
        parts.append(_("No scores yet."))
    if chart.baseline is not None and chart.target is not None:
        parts.append(
            _(
                "The line to the goal runs from %(start)s on %(start_day)s "
                "to %(end)s on %(end_day)s."
            )
            % {
                "start": number(chart.baseline.value),
                "start_day": _day(chart.baseline.day),
                "end": number(chart.target.value),
                "end_day": _day(chart.target.day),
            }
        )
    if chart.trend is not None:
        parts.append(
            _("The trend changes by %(slope)s a week.") % {"slope": number(chart.trend.slope)}
        )
    if chart.home:
        parts.append(
            ngettext(
                "%(count)s home observation from the family, shown apart.",
                "%(count)s home observations from the family, shown apart.",
                len(chart.home),
            )
            % {"count": len(chart.home)}
        )
    for phase in chart.phases:
        parts.append(
            _("On %(day)s instruction changed: %(what)s.")
            % {"day": _day(phase.day), "what": phase.what}
        )
    return " ".join(parts)


def _day(day: date) -> str:
    return day_text(day)


class _Scale:
    def __init__(self, chart: Chart, width: int, height: int) -> None:
        days = [p.day for p in [*chart.points, *chart.home]]
        days += [p.day for p in (chart.baseline, chart.target) if p is not None]
        days += [phase.day for phase in chart.phases]
        self.first = min(days) if days else date(2000, 1, 1)
        self.last = max(days) if days else self.first
        if self.last <= self.first:
            self.last = self.first + timedelta(days=7)
        values = [p.value for p in [*chart.points, *chart.home]]
        values += [p.value for p in (chart.baseline, chart.target) if p is not None]
        if chart.aim is not None:
            values += [chart.aim.at(self.first), chart.aim.at(self.last)]
        self.trend_span = _trend_span(chart)
        if chart.trend is not None and self.trend_span is not None:
            values += [chart.trend.at(day) for day in self.trend_span]
        low = min(values) if values else 0.0
        high = max(values) if values else 1.0
        if high <= low:
            low, high = low - 1, high + 1
        ticks = _ticks(low, high)
        self.ticks = ticks
        self.low, self.high = ticks[0], ticks[-1]
        self.x0, self.x1 = LEFT, width - RIGHT
        self.y0, self.y1 = height - BOTTOM, TOP

    def x(self, day: date) -> float:
        span = (self.last - self.first).days
        return self.x0 + (self.x1 - self.x0) * (day - self.first).days / span

    def y(self, value: float) -> float:
        return self.y0 + (self.y1 - self.y0) * (value - self.low) / (self.high - self.low)

    def clamp_y(self, value: float) -> float:
        return min(max(self.y(value), self.y1), self.y0)


def _f(value: float) -> str:
    return f"{value:.1f}"


def _nice_step(span: float, count: int) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about ``count`` ticks."""
    raw = span / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values from at or below ``low`` to at or above ``high``."""
    step = _nice_step(high - low, count)
    first = math.floor(low / step) * step
    ticks = [first]
    while ticks[-1] < high - 1e-9:
        ticks.append(ticks[-1] + step)
    return ticks


def _trend_span(chart: Chart) -> tuple[date, date] | None:
    """The days the trend is drawn over: those of the scores it was fitted to. Drawn
    further (back to a baseline a year before, on to a target), a steep trend of a few
    weeks would run off the chart and squash everything else."""
    days = [p.day for p in chart.points]
    if not days:
        return None
    return min(days), max(days)


def _line(
    scale: _Scale,
    line: Line,
    span: tuple[date, date] | None = None,
    **attrs: str,
) -> str:
    extra = " ".join(f'{k.rstrip("_").replace("_", "-")}="{v}"' for k, v in attrs.items())
    start, end = span or (scale.first, scale.last)
    return (
        f'<line x1="{_f(scale.x(start))}" y1="{_f(scale.clamp_y(line.at(start)))}" '
        f'x2="{_f(scale.x(end))}" y2="{_f(scale.clamp_y(line.at(end)))}" {extra}/>'
    )


def _point_title(point: Point, unit: str) -> str:
    return escape(f"{_day(point.day)}: {number(point.value)} {unit}".strip())


def render_svg(chart: Chart, *, name: str = "progress-chart") -> SafeString:
    """The chart as an ``<svg>`` element; ``name`` makes its ids unique on the page."""
    width, height = WIDTH, HEIGHT
    scale = _Scale(chart, width, height)
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{name}-title {name}-desc" '
        f'class="progress-chart" font-family="sans-serif" font-size="13" fill="{INK}">',
        f'<title id="{name}-title">{escape(chart.title)}</title>',
        f'<desc id="{name}-desc">{escape(description(chart))}</desc>',
    ]
    # Axes, with the values on the left and the first and last days below.
    out.append(
        f'<g class="axes" stroke="{INK}" stroke-width="1">'
        f'<line x1="{scale.x0}" y1="{scale.y0}" x2="{scale.x1}" y2="{scale.y0}"/>'
        f'<line x1="{scale.x0}" y1="{scale.y0}" x2="{scale.x0}" y2="{scale.y1}"/></g>'
    )
    for tick in scale.ticks:
        tick_y = _f(scale.y(tick))
        out.append(
            f'<line x1="{scale.x0}" y1="{tick_y}" x2="{scale.x1}" y2="{tick_y}" stroke="#dddddd"/>'
            f'<text x="{scale.x0 - 6}" y="{tick_y}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(number(tick))}</text>'
        )
    date_y = scale.y0 + 16
    out.append(
        f'<text x="{scale.x0}" y="{date_y}" text-anchor="start">{escape(_day(scale.first))}</text>'
        f'<text x="{scale.x1}" y="{date_y}" text-anchor="end">{escape(_day(scale.last))}</text>'
    )
    if chart.unit:
        out.append(f'<text x="4" y="{TOP - 12}">{escape(chart.unit)}</text>')
    changed = _("Instruction changed: %(what)s")
    for i, phase in enumerate(chart.phases):
        at = _f(scale.x(phase.day))
        # The words go on the side of the line with room for them.
        late = scale.x(phase.day) > (scale.x0 + scale.x1) / 2
        side = 'dx="-4" text-anchor="end"' if late else 'dx="4"'
        label = (
            phase.what
            if len(phase.what) <= PHASE_LABEL_CHARS
            else phase.what[: PHASE_LABEL_CHARS - 1] + "…"
        )
        out.append(
            f'<g class="phase"><line x1="{at}" y1="{scale.y0}" x2="{at}" y2="{scale.y1}" '
            f'stroke="{PHASE}" stroke-width="1.5" stroke-dasharray="2 3"/>'
            f'<text x="{at}" y="{scale.y1 + 12 + 14 * (i % 2)}" {side}>{escape(label)}</text>'
            f"<title>{escape(changed % {'what': phase.what})}</title></g>"
        )
    if chart.aim is not None:
        out.append(
            _line(
                scale,
                chart.aim,
                class_="aim",
                stroke=AIM,
                stroke_width="2",
                stroke_dasharray="8 5",
            )
        )
    if chart.trend is not None:
        out.append(
            _line(
                scale,
                chart.trend,
                scale.trend_span,
                class_="trend",
                stroke=TREND,
                stroke_width="2",
            )
        )
    if chart.baseline is not None:
        b = chart.baseline
        out.append(
            f'<circle class="baseline" cx="{_f(scale.x(b.day))}" cy="{_f(scale.y(b.value))}" '
            f'r="5" fill="white" stroke="{AIM}" stroke-width="2">'
            f"<title>{escape(_('Baseline'))} — {_point_title(b, chart.unit)}</title></circle>"
        )
    if chart.target is not None:
        t = chart.target
        x, y = scale.x(t.day), scale.y(t.value)
        out.append(
            f'<polygon class="target" points="{_f(x)},{_f(y - 7)} {_f(x + 7)},{_f(y)} '
            f'{_f(x)},{_f(y + 7)} {_f(x - 7)},{_f(y)}" fill="{AIM}">'
            f"<title>{escape(_('Target'))} — {_point_title(t, chart.unit)}</title></polygon>"
        )
    for p in in_order(chart.home):
        x, y = scale.x(p.day), scale.y(p.value)
        out.append(
            f'<rect class="home-point" x="{_f(x - 4)}" y="{_f(y - 4)}" width="8" height="8" '
            f'fill="white" stroke="{HOME}" stroke-width="2">'
            f"<title>{escape(_('Home observation'))} — {_point_title(p, chart.unit)}</title></rect>"
        )
    for p in in_order(chart.points):
        out.append(
            f'<circle class="point" cx="{_f(scale.x(p.day))}" cy="{_f(scale.y(p.value))}" '
            f'r="4" fill="{SCHOOL}"><title>{_point_title(p, chart.unit)}</title></circle>'
        )
    if not chart.points and not chart.home:
        out.append(
            f'<text x="{(scale.x0 + scale.x1) / 2:.1f}" y="{(scale.y0 + scale.y1) / 2:.1f}" '
            f'text-anchor="middle">{escape(_("No scores yet."))}</text>'
        )
    out.append(_legend(chart, scale.y0 + 42))
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above went through escape()


def _legend(chart: Chart, y: float) -> str:
    items: list[tuple[str, str]] = []
    if chart.points:
        items.append((f'<circle cx="6" cy="0" r="4" fill="{SCHOOL}"/>', _("School data")))
    if chart.home:
        items.append(
            (
                f'<rect x="2" y="-4" width="8" height="8" fill="white" stroke="{HOME}" '
                'stroke-width="2"/>',
                _("Home observations"),
            )
        )
    if chart.aim is not None:
        items.append(
            (
                f'<line x1="0" y1="0" x2="14" y2="0" stroke="{AIM}" stroke-width="2" '
                'stroke-dasharray="8 5"/>',
                _("Line to the goal"),
            )
        )
    if chart.trend is not None:
        items.append(
            (f'<line x1="0" y1="0" x2="14" y2="0" stroke="{TREND}" stroke-width="2"/>', _("Trend"))
        )
    if chart.phases:
        items.append(
            (
                f'<line x1="7" y1="-6" x2="7" y2="6" stroke="{PHASE}" stroke-width="1.5" '
                'stroke-dasharray="2 3"/>',
                _("Instruction changed"),
            )
        )
    out = ['<g class="legend">']
    # Two to a row, so the words fit a phone's width.
    for i, (mark, label) in enumerate(items):
        x = 8 + (i % 2) * 196
        row_y = y + (i // 2) * 20
        out.append(
            f'<g transform="translate({x},{row_y:.1f})">{mark}'
            f'<text x="20" y="0" dominant-baseline="middle">{escape(label)}</text></g>'
        )
    out.append("</g>")
    return "".join(out)


def table_body(rows: Sequence[TableRow]) -> SafeString:
    """The table's rows as HTML (day, value, whose), built here in one pass: a five-year
    goal has hundreds of rows, and a template loop would cost more than the chart."""
    return mark_safe(  # every value is escaped here
        "".join(
            f"<tr><td>{escape(row.day_text)}</td><td>{escape(row.value_text)}</td>"
            f"<td>{escape(row.series_label)}</td></tr>"
            for row in rows
        )
    )


def chart_context(chart: Chart, name: str = "progress-chart") -> dict[str, Any]:
    """What a template needs to show the chart and its table beside it."""
    return {"svg": render_svg(chart, name=name), "rows": data_table(chart), "chart": chart}
