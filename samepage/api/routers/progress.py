"""Progress data: goals' measurements, data points (record, void, correct), phase lines,
what a goal's data says, and decision-rule alerts.

Thin, like the pages in samepage/progress/views.py: ``progress.permissions`` decides
(student missing or not visible, or a measurement or point of another student → 404;
progress not shared, or the write not allowed → 403), the actions validate, write and
audit, the selectors and the analysis read. Every read leaves one AccessEvent with part
"progress". A point sent again with the same ``client_key`` answers the point it
stored (200), not a second one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from samepage.api.auth import api_user
from samepage.api.pagination import Keyset, PageIn, body, page_of
from samepage.api.schemas import ErrorOut, RecordId, ValidationErrorOut
from samepage.api.schemas_progress import (
    AlertOut,
    AnalysisOut,
    CorrectionIn,
    MeasurementConflictOut,
    MeasurementIn,
    MeasurementOut,
    PhaseIn,
    PhaseOut,
    PointIn,
    PointOut,
    VoidIn,
)
from samepage.core.access_log import record_access
from samepage.core.conflicts import EditConflict
from samepage.core.models import AccessEvent
from samepage.progress import actions, analysis, chart, selectors
from samepage.progress.alerts import alert_words, analyse_goal
from samepage.progress.models import DataPoint, GoalMeasurement, ProgressAlert
from samepage.progress.permissions import (
    ProgressAccess,
    access_goal,
    access_measurement,
    access_point,
    access_progress,
)
from samepage.progress.trends import Line
from samepage.teams.permissions import Part

router = Router(tags=["progress"])

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {400: ValidationErrorOut, **READ}

MEASUREMENTS = Keyset("measurements", ("pk",))
# Newest day first, from the (measurement, day) index.
POINTS = Keyset("points", ("-day", "-pk"))
ALERTS = Keyset("alerts", ("-fired_at", "-pk"))
MeasurementPage = page_of(MeasurementOut)
PointPage = page_of(PointOut)
AlertPage = page_of(AlertOut)


def _note_view(user: Any, access: ProgressAccess) -> None:
    record_access(user=user, access=access.record, part=Part.PROGRESS, via=AccessEvent.Via.API)


def _measurement(measurement: GoalMeasurement, goal: str) -> dict[str, Any]:
    return {
        "id": measurement.pk,
        "student_id": measurement.student_id,
        "goal_lineage": measurement.goal_lineage,
        "goal": goal,
        "kind": measurement.kind,
        "unit": measurement.unit,
        "direction": measurement.direction,
        "baseline_value": measurement.baseline_value,
        "baseline_date": measurement.baseline_date,
        "target_value": measurement.target_value,
        "target_date": measurement.target_date,
        "mastery_value": measurement.mastery_value,
        "mastery_sessions": measurement.mastery_sessions,
        "scale_max": measurement.scale_max,
        "needs_review": measurement.needs_review,
        "review_reasons": measurement.review_reason_lines(),
        "revision": measurement.revision,
    }


def _point(point: DataPoint) -> dict[str, Any]:
    return {
        "id": point.pk,
        "measurement_id": point.measurement_id,
        "day": point.day,
        "value": point.value,
        "numerator": point.numerator,
        "denominator": point.denominator,
        "series": point.series,
        "counts": point.counts,
        "entered_by": point.entered_by,
        "entered_at": point.entered_at,
        "voided_at": point.voided_at,
        "voided_by": point.voided_by,
        "void_reason": point.void_reason,
        "corrects_id": point.corrects_id,
    }


def _alert(alert: ProgressAlert, measurement: GoalMeasurement) -> dict[str, Any]:
    alert.measurement = measurement
    return {
        "id": alert.pk,
        "measurement_id": measurement.pk,
        "goal_lineage": measurement.goal_lineage,
        "rule": alert.rule,
        "advice": alert.advice,
        "text": alert_words(alert),
        "fired_on": alert.fired_on,
        "cleared_at": alert.cleared_at,
    }


def _line(line: Line | None) -> dict[str, Any] | None:
    if line is None:
        return None
    return {"origin": line.origin, "start": line.start, "slope": line.slope}


@router.get(
    "/students/{student_id}/measurements",
    response={200: MeasurementPage, **WRITE},
    summary="How each of a child's goals is measured, every year's goals included",
)
def list_measurements(
    request: HttpRequest, student_id: RecordId, page: Query[PageIn]
) -> dict[str, Any]:
    user = api_user(request)
    access = access_progress(user, student_id)
    MEASUREMENTS.check(page)
    _note_view(user, access)
    found = MEASUREMENTS.page(GoalMeasurement.objects.filter(student=access.student), page)
    words = selectors.goal_words(access.student, [m.goal_lineage for m in found.items])
    return body(found, [_measurement(m, words.get(m.goal_lineage, "")) for m in found.items])


@router.post(
    "/students/{student_id}/measurements",
    response={200: MeasurementOut, 409: MeasurementConflictOut, **WRITE},
    summary="Set or change how a goal is measured (staff on the team who enter progress)",
)
def set_measurement(request: HttpRequest, student_id: RecordId, payload: MeasurementIn) -> Any:
    user = api_user(request)
    fields = payload.dict()
    lineage = fields.pop("goal_lineage")
    revision = fields.pop("revision")
    access, goal, _ = access_goal(user, student_id, lineage, action="set_measurement")
    try:
        measurement = actions.check_set_measurement(
            access.student,
            goal.lineage_id,
            actor=user,
            access=access,
            revision=revision,
            **fields,
        )
    except EditConflict as conflict:
        return Status(
            409,
            {
                "detail": str(conflict.message),
                "revision": conflict.revision,
                "theirs": {k: None if v is None else str(v) for k, v in conflict.theirs.items()},
                "yours": {k: None if v is None else str(v) for k, v in conflict.yours.items()},
            },
        )
    return _measurement(measurement, selectors.short(goal.statement))


@router.get(
    "/students/{student_id}/measurements/{measurement_id}/analysis",
    response={200: AnalysisOut, **WRITE},
    summary="What a goal's data says: aim and trend lines, verdicts, projection, the chart",
)
def measurement_analysis(
    request: HttpRequest, student_id: RecordId, measurement_id: RecordId
) -> dict[str, Any]:
    user = api_user(request)
    access, measurement = access_measurement(user, student_id, measurement_id)
    _note_view(user, access)
    found = analyse_goal(measurement, access.student)
    goal = selectors.goal_label(measurement)
    title = _("Progress on the goal: %(goal)s") % {"goal": goal}
    phases = list(measurement.phase_changes.select_related("by"))
    open_alerts = list(measurement.alerts.filter(cleared_at__isnull=True))
    return {
        "measurement": _measurement(measurement, goal),
        "aim": _line(found.aim),
        "trend": _line(found.trend),
        "four_point": found.four_point,
        "trend_verdict": found.trend_verdict,
        "mastered": found.mastered,
        "projected": found.projected,
        "projection": analysis.projection_words(found),
        "alerts": [_alert(a, measurement) for a in open_alerts],
        "phases": phases,
        "chart_svg": str(chart.render_svg(analysis.chart_of(found, title))),
    }


@router.get(
    "/students/{student_id}/measurements/{measurement_id}/points",
    response={200: PointPage, **WRITE},
    summary="A goal's data points, newest day first, voided ones included",
)
def list_points(
    request: HttpRequest, student_id: RecordId, measurement_id: RecordId, page: Query[PageIn]
) -> dict[str, Any]:
    user = api_user(request)
    access, measurement = access_measurement(user, student_id, measurement_id)
    POINTS.check(page)
    _note_view(user, access)
    found = POINTS.page(selectors.points_for(measurement, with_void=True), page)
    return body(found, [_point(p) for p in found.items])


@router.post(
    "/students/{student_id}/measurements/{measurement_id}/points",
    response={201: PointOut, 200: PointOut, **WRITE},
    summary="Record a score (staff who enter progress) or a home observation (the family)",
)
def record_point(
    request: HttpRequest, student_id: RecordId, measurement_id: RecordId, payload: PointIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    access, measurement = access_measurement(user, student_id, measurement_id, action="enter")
    known = DataPoint.objects.filter(client_key=payload.client_key).exists()
    point = actions.check_record_point(
        measurement,
        actor=user,
        access=access,
        day=payload.day,
        value=payload.value,
        numerator=payload.numerator,
        denominator=payload.denominator,
        series=payload.series,
        client_key=payload.client_key,
    )
    fresh = selectors.points_for(measurement, with_void=True).get(pk=point.pk)
    return Status(200 if known else 201, _point(fresh))


@router.post(
    "/students/{student_id}/points/{point_id}/void",
    response={200: PointOut, **WRITE},
    summary="Void a point with the reason (kept, shown as voided, out of every count)",
)
def void_point(
    request: HttpRequest, student_id: RecordId, point_id: RecordId, payload: VoidIn
) -> dict[str, Any]:
    user = api_user(request)
    access, point = access_point(user, student_id, point_id, action="change")
    actions.check_void_point(point, actor=user, access=access, reason=payload.reason)
    return _point(selectors.points_for(point.measurement, with_void=True).get(pk=point.pk))


@router.post(
    "/students/{student_id}/points/{point_id}/correct",
    response={201: PointOut, **WRITE},
    summary="Correct a point: it is voided with the reason and a new point names it",
)
def correct_point(
    request: HttpRequest, student_id: RecordId, point_id: RecordId, payload: CorrectionIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    access, point = access_point(user, student_id, point_id, action="change")
    correction = actions.check_correct_point(
        point,
        actor=user,
        access=access,
        reason=payload.reason,
        day=payload.day,
        value=payload.value,
        numerator=payload.numerator,
        denominator=payload.denominator,
        client_key=payload.client_key,
    )
    fresh = selectors.points_for(point.measurement, with_void=True).get(pk=correction.pk)
    return Status(201, _point(fresh))


@router.post(
    "/students/{student_id}/measurements/{measurement_id}/phase-changes",
    response={201: PhaseOut, **WRITE},
    summary="Mark the day instruction changed for a goal, with what changed",
)
def add_phase_change(
    request: HttpRequest, student_id: RecordId, measurement_id: RecordId, payload: PhaseIn
) -> Status[Any]:
    user = api_user(request)
    access, measurement = access_measurement(
        user, student_id, measurement_id, action="phase_change"
    )
    phase = actions.check_add_phase_change(
        measurement, actor=user, access=access, day=payload.day, change=payload.change
    )
    return Status(201, phase)


@router.get(
    "/students/{student_id}/alerts",
    response={200: AlertPage, **WRITE},
    summary="Decision-rule alerts on a child's goals, newest first, cleared ones included",
)
def list_alerts(request: HttpRequest, student_id: RecordId, page: Query[PageIn]) -> dict[str, Any]:
    user = api_user(request)
    access = access_progress(user, student_id)
    ALERTS.check(page)
    _note_view(user, access)
    rows = ProgressAlert.objects.filter(measurement__student=access.student).select_related(
        "measurement"
    )
    found = ALERTS.page(rows, page)
    return body(found, [_alert(a, a.measurement) for a in found.items])
