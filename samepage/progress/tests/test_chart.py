"""The progress chart parses as SVG, draws each point once in its own series' shape,
describes itself in words, and its data table equals the points."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import translation

from samepage.progress.chart import Chart, Phase, data_table, render_svg
from samepage.progress.trends import Point, aim_line, ols_trend

SVG = "{http://www.w3.org/2000/svg}"
MONDAY = date(2026, 9, 7)


def weekly(*values: float) -> list[Point]:
    return [Point(MONDAY + timedelta(weeks=i), v) for i, v in enumerate(values)]


def _chart(**changes: Any) -> Chart:
    points = weekly(41, 44, 43, 47, 50, 49)
    baseline = Point(MONDAY, 40)
    target = Point(MONDAY + timedelta(weeks=12), 64)
    options: dict[str, Any] = {
        "title": "Reading fluency: words correct per minute",
        "unit": "wcpm",
        "points": points,
        "home": [Point(MONDAY + timedelta(days=10), 46), Point(MONDAY + timedelta(days=24), 48)],
        "baseline": baseline,
        "target": target,
        "aim": aim_line(baseline, target),
        "trend": ols_trend(points, MONDAY),
        "phases": [Phase(MONDAY + timedelta(weeks=3), "Small-group reading added")],
    }
    options.update(changes)
    return Chart(**options)


def _parse(chart: Chart) -> ET.Element:
    return ET.fromstring(str(render_svg(chart, name="goal-7")))  # noqa: S314  # our own output


def _child(element: ET.Element, tag: str) -> ET.Element:
    found = element.find(SVG + tag)
    assert found is not None, tag
    return found


def _text(element: ET.Element, tag: str) -> str:
    return _child(element, tag).text or ""


def _of_class(svg: ET.Element, tag: str, name: str) -> list[ET.Element]:
    return [e for e in svg.iter(SVG + tag) if e.get("class") == name]


def test_each_point_is_drawn_once_in_its_series_shape():
    chart = _chart()
    svg = _parse(chart)
    assert len(_of_class(svg, "circle", "point")) == len(chart.points)
    assert len(_of_class(svg, "rect", "home-point")) == len(chart.home)
    assert len(_of_class(svg, "circle", "baseline")) == 1
    assert len(_of_class(svg, "polygon", "target")) == 1


def test_the_aim_trend_and_phase_lines_differ_by_dash_not_only_colour():
    svg = _parse(_chart())
    [aim] = _of_class(svg, "line", "aim")
    [trend] = _of_class(svg, "line", "trend")
    assert aim.get("stroke-dasharray") and not trend.get("stroke-dasharray")
    [phase] = _of_class(svg, "g", "phase")
    assert _child(phase, "line").get("stroke-dasharray") == "2 3"
    assert "Small-group reading added" in "".join(phase.itertext())


def test_it_is_named_and_described_for_screen_readers():
    svg = _parse(_chart())
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "goal-7-title goal-7-desc"
    assert _text(svg, "title") == "Reading fluency: words correct per minute"
    desc = _text(svg, "desc")
    assert "6 scores from Sept. 7, 2026 to Oct. 12, 2026" in desc
    assert "between 41 and 50 wcpm" in desc
    assert "from 40 on Sept. 7, 2026 to 64 on Nov. 30, 2026" in desc
    assert "2 home observations" in desc
    assert "instruction changed: Small-group reading added" in desc


def test_the_data_table_equals_the_points():
    chart = _chart()
    rows = data_table(chart)
    assert [(r.day, r.value) for r in rows if r.series == "school"] == [
        (p.day, p.value) for p in chart.points
    ]
    assert [(r.day, r.value) for r in rows if r.series == "home"] == [
        (p.day, p.value) for p in chart.home
    ]
    assert [r.day for r in rows] == sorted(r.day for r in rows)
    # The drawing's point titles say the same days and values as the table.
    svg = _parse(chart)
    titles = [_text(c, "title") for c in _of_class(svg, "circle", "point")]
    assert titles[0] == "Sept. 7, 2026: 41 wcpm"
    assert len(titles) == len([r for r in rows if r.series == "school"])


def test_points_are_placed_by_day_and_value():
    svg = _parse(_chart())
    circles = _of_class(svg, "circle", "point")
    xs = [float(c.get("cx", "nan")) for c in circles]
    ys = [float(c.get("cy", "nan")) for c in circles]
    assert xs == sorted(xs)  # later days to the right
    # 50 (the fifth) is drawn higher (a smaller y) than 41 (the first).
    assert ys[4] < ys[0]


def test_words_a_person_wrote_cannot_break_out_of_the_drawing():
    chart = _chart(
        title="<script>alert(1)</script>",
        phases=[Phase(MONDAY + timedelta(weeks=2), '"/><script>alert(2)</script>')],
    )
    markup = str(render_svg(chart))
    assert "<script" not in markup
    svg = ET.fromstring(markup)  # noqa: S314  # our own output
    assert _text(svg, "title") == "<script>alert(1)</script>"


def test_a_goal_without_data_says_so():
    svg = _parse(_chart(points=[], home=[], trend=None, phases=[]))
    assert "No scores yet." in "".join(svg.itertext())
    assert not _of_class(svg, "circle", "point")


def test_a_single_point_or_one_day_still_draws():
    svg = _parse(Chart(title="Trials", unit="", points=[Point(MONDAY, 3)]))
    assert len(_of_class(svg, "circle", "point")) == 1


def test_the_chart_speaks_the_readers_language():
    with translation.override("es"):
        svg = _parse(_chart())
    desc = _text(svg, "desc")
    assert "6 puntuaciones del 7 de septiembre de 2026 al 12 de octubre de 2026" in desc
    legend = "".join(next(e for e in svg.iter(SVG + "g") if e.get("class") == "legend").itertext())
    assert "Línea hacia la meta" in legend
    assert "Observaciones en casa" in legend


def test_a_steep_trend_of_a_few_recent_scores_is_drawn_over_those_scores_only():
    # A baseline a year back, four scores in the last three weeks rising fast: drawn to
    # the baseline, the trend would reach far below zero and squash every point.
    baseline = Point(MONDAY - timedelta(days=365), 20)
    target = Point(MONDAY + timedelta(weeks=10), 80)
    points = [
        Point(MONDAY + timedelta(days=d), v) for d, v in ((0, 60), (5, 80), (9, 80), (13, 90))
    ]
    chart = _chart(
        points=points,
        home=[],
        baseline=baseline,
        target=target,
        aim=aim_line(baseline, target),
        trend=ols_trend(points, baseline.day),
        phases=[],
    )
    svg = _parse(chart)
    (trend,) = _of_class(svg, "line", "trend")
    xs = {float(trend.get("x1", "0")), float(trend.get("x2", "0"))}
    circles = [float(c.get("cx", "0")) for c in _of_class(svg, "circle", "point")]
    assert min(xs) == pytest.approx(min(circles), abs=0.2)
    assert max(xs) == pytest.approx(max(circles), abs=0.2)
    ticks = [t.text for t in svg.iter(SVG + "text") if t.text and t.text.lstrip("-").isdigit()]
    assert min(int(t) for t in ticks) >= 0
