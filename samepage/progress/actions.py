"""Every write about progress data: a goal's measurement, data points (record, void,
correct) and phase changes.

Each takes a keyword-only ``actor`` and the ``ProgressAccess`` the permission layer
worked out for them, checks it again (no caller can skip the rule), validates with
messages in the user's language, runs in one transaction and writes its audit row.
Nothing is deleted: a void keeps the point, a correction voids it and records a new
point that names it.

Every change to what the decision rules read (the school's points, the measurement)
works the goal's alerts out again in the same transaction (``alerts.refresh_alerts``):
a rule that newly fires tells the team and the family.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from samepage.core.audit import diff, record_audit, snapshot
from samepage.core.conflicts import EditConflict
from samepage.core.dates import district_today
from samepage.progress.alerts import refresh_alerts
from samepage.progress.models import (
    MAX_CHANGE_TEXT,
    MAX_REASON_TEXT,
    VALUE_DIGITS,
    VALUE_PLACES,
    DataPoint,
    Direction,
    GoalMeasurement,
    MeasurementKind,
    PhaseChange,
    ProgressSettings,
    Series,
)
from samepage.progress.parsing import percent_of
from samepage.progress.permissions import (
    RULES_ONLY,
    ProgressAccess,
    access_rules,
    check_entry,
    check_progress_action,
)
from samepage.progress.selectors import lineage_began, lineage_goals
from samepage.progress.trends import TREND_NEEDS
from samepage.schools.models import Student
from samepage.teams.permissions import check_access_for

Errors = dict[str, list[Any]]
# The largest number a value column holds (12 digits, 3 after the point).
_LIMIT = Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES)
_NON_NEGATIVE = {
    MeasurementKind.FREQUENCY,
    MeasurementKind.RATE,
    MeasurementKind.DURATION,
    MeasurementKind.LATENCY,
    MeasurementKind.RUBRIC,
    MeasurementKind.PROMPT,
}
_PERCENTS = {MeasurementKind.PERCENT, MeasurementKind.INTERVAL, MeasurementKind.TRIALS}
MEASUREMENT_FIELDS = [
    "kind",
    "unit",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "mastery_value",
    "mastery_sessions",
    "scale_max",
]


def _check(access: ProgressAccess | None, *, actor: Any, student: Student) -> ProgressAccess:
    check_access_for(access.record if access is not None else None, actor=actor, student=student)
    assert access is not None
    return access


def _own(access: ProgressAccess | None, *, actor: Any) -> ProgressAccess:
    """The access handed in, if it was worked out for ``actor`` (403 otherwise); what it
    is about is checked against the record by each action."""
    if access is None:
        raise PermissionDenied(_("Your role does not allow this."))
    return _check(access, actor=actor, student=access.student)


def _number(value: Any, name: str, errors: Errors, *, required: bool = False) -> Decimal | None:
    """A number from a form or the API (text, int, float or Decimal); None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[name] = [_("Enter a number.")]
        return None
    if isinstance(value, bool):
        errors[name] = [_("Enter a number.")]
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors[name] = [_("Enter a number, like 45 or 12.5.")]
        return None
    if not number.is_finite() or abs(number) >= _LIMIT:
        errors[name] = [_("Enter a number, like 45 or 12.5.")]
        return None
    if number != number.quantize(Decimal("0.001")):
        errors[name] = [_("Use at most three digits after the decimal point.")]
        return None
    return number


def _whole(value: Any, name: str, errors: Errors) -> int | None:
    number = _number(value, name, errors)
    if number is None:
        return None
    if number != number.to_integral_value():
        errors[name] = [_("Enter a whole number.")]
        return None
    return int(number)


def _date(value: Any, name: str, errors: Errors, *, required: bool = False) -> date | None:
    if value is None or value == "":
        if required:
            errors[name] = [_("Choose a day.")]
        return None
    if isinstance(value, datetime):
        # A moment is not a day: which day depends on the zone (STYLE: dates).
        errors[name] = [_("Choose a day.")]
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors[name] = [_("Enter a day like 2026-12-03.")]
        return None


def _in_range(
    kind: str, scale_max: Decimal | None, value: Decimal, name: str, errors: Errors
) -> None:
    """The measurement's own range: percents 0–100, counts and times not negative,
    rubric and prompt levels from 0 to the scale's top."""
    if kind in _PERCENTS and not Decimal(0) <= value <= Decimal(100):
        errors[name] = [_("Enter a percent from 0 to 100.")]
    elif kind in (MeasurementKind.DURATION, MeasurementKind.LATENCY) and value < 0:
        errors[name] = [_("A time cannot be negative.")]
    elif kind in (MeasurementKind.FREQUENCY, MeasurementKind.RATE) and value < 0:
        errors[name] = [_("A count or rate cannot be negative.")]
    elif kind in _NON_NEGATIVE and value < 0:
        errors[name] = [_("A level cannot be negative.")]
    elif (
        kind in (MeasurementKind.RUBRIC, MeasurementKind.PROMPT)
        and scale_max is not None
        and value > scale_max
    ):
        errors[name] = [
            _("Enter a level from 0 to %(top)s.") % {"top": number_format(scale_max.normalize())}
        ]


def _day_in_plan(
    day: date, name: str, errors: Errors, *, student: Student, began: date | None
) -> None:
    """A data day is not after the district's today nor before the plan began."""
    if day > district_today(student.district):
        errors[name] = [_("That day has not come yet. Choose today or an earlier day.")]
    elif began is not None and day < began:
        errors[name] = [
            _("Choose a day on or after %(day)s, when the plan began.")
            % {"day": date_format(began, "DATE_FORMAT")}
        ]


# ----- measurements -------------------------------------------------------------------


def check_set_measurement(
    student: Student,
    goal_lineage: Any,
    *,
    actor: Any,
    access: ProgressAccess | None,
    kind: str,
    direction: str,
    unit: str = "",
    baseline_value: Any = None,
    baseline_date: Any = None,
    target_value: Any = None,
    target_date: Any = None,
    mastery_value: Any = None,
    mastery_sessions: Any = None,
    scale_max: Any = None,
    revision: int | None = None,
) -> GoalMeasurement:
    """Say how a goal is measured (or change it). A person setting it has reviewed it, so
    ``needs_review`` clears. ``revision``: the one the form was opened at (a stale form
    gets ``EditConflict``). The kind stays once the goal has data, whose values were
    checked against it."""
    access = _check(access, actor=actor, student=student)
    check_progress_action(access, "set_measurement")
    errors: Errors = {}
    try:
        lineage = uuid.UUID(str(goal_lineage))
    except ValueError:
        lineage = None
    if lineage is None or not lineage_goals(student, lineage).exists():
        raise ValidationError({"goal": [_("Choose a goal from this student's plan.")]})
    if kind not in MeasurementKind.values:
        errors["kind"] = [_("Choose how the goal is measured.")]
    if direction not in Direction.values:
        errors["direction"] = [_("Choose whether higher or lower is better.")]
    unit = " ".join((unit or "").split())
    if len(unit) > 60:
        errors["unit"] = [_("Please keep the unit short (60 characters at most).")]
    top = _number(scale_max, "scale_max", errors)
    if top is not None and top <= 0:
        errors["scale_max"] = [_("The highest level must be above 0.")]
        top = None
    values = {
        name: _number(raw, name, errors)
        for name, raw in (
            ("baseline_value", baseline_value),
            ("target_value", target_value),
            ("mastery_value", mastery_value),
        )
    }
    if kind in MeasurementKind.values:
        for name, number in values.items():
            if number is not None:
                _in_range(kind, top, number, name, errors)
    sessions = _whole(mastery_sessions, "mastery_sessions", errors)
    if sessions is not None and not 1 <= sessions <= 100:
        errors["mastery_sessions"] = [_("Enter how many sessions in a row, from 1 to 100.")]
    days = {
        "baseline_date": _date(baseline_date, "baseline_date", errors),
        "target_date": _date(target_date, "target_date", errors),
    }
    first, last = days["baseline_date"], days["target_date"]
    if first is not None and last is not None and last <= first:
        errors["target_date"] = [_("The target date must come after the baseline date.")]
    b, t = values["baseline_value"], values["target_value"]
    if b is not None and t is not None:
        if direction == Direction.INCREASE and t <= b:
            errors["target_value"] = [
                _("For a goal to increase, the target must be above the baseline.")
            ]
        elif direction == Direction.DECREASE and t >= b:
            errors["target_value"] = [
                _("For a goal to decrease, the target must be below the baseline.")
            ]
    if errors:
        raise ValidationError(errors)
    wanted: dict[str, Any] = {
        "kind": kind,
        "unit": unit,
        "direction": direction,
        **values,
        **days,
        "mastery_sessions": sessions,
        "scale_max": top,
    }
    with transaction.atomic():
        measurement = (
            GoalMeasurement.objects.select_for_update()
            .filter(student=student, goal_lineage=lineage)
            .first()
        )
        if measurement is None:
            measurement = GoalMeasurement.objects.create(
                student=student, goal_lineage=lineage, created_by=actor, **wanted
            )
            record_audit(
                actor=actor,
                action="progress.measurement_set",
                target=measurement,
                changes={"student": student.pk, **snapshot(measurement, MEASUREMENT_FIELDS)},
            )
            return measurement
        if revision is not None and revision != measurement.revision:
            raise EditConflict(
                theirs=snapshot(measurement, MEASUREMENT_FIELDS),
                yours={k: str(v) if v is not None else None for k, v in wanted.items()},
                revision=measurement.revision,
            )
        if kind != measurement.kind and measurement.points.standing().exists():
            raise ValidationError(
                {
                    "kind": [
                        _(
                            "This goal already has data measured this way. Void its "
                            "points first, or keep how it is measured."
                        )
                    ]
                }
            )
        before = snapshot(measurement, [*MEASUREMENT_FIELDS, "needs_review"])
        for name, value in wanted.items():
            setattr(measurement, name, value)
        measurement.needs_review = False
        measurement.review_reasons = []
        measurement.revision += 1
        measurement.save(
            update_fields=[
                *MEASUREMENT_FIELDS,
                "needs_review",
                "review_reasons",
                "revision",
                "updated_at",
            ]
        )
        record_audit(
            actor=actor,
            action="progress.measurement_set",
            target=measurement,
            changes={
                "student": student.pk,
                **diff(before, snapshot(measurement, [*MEASUREMENT_FIELDS, "needs_review"])),
            },
        )
        refresh_alerts(measurement, student, actor=actor)
    return measurement


# ----- data points --------------------------------------------------------------------


def _point_values(
    measurement: GoalMeasurement,
    *,
    day: Any,
    value: Any,
    numerator: Any,
    denominator: Any,
    student: Student,
) -> tuple[date, Decimal, int | None, int | None]:
    """A point's day and value checked against its measurement (ValidationError)."""
    if not measurement.kind or not measurement.direction:
        raise ValidationError(_("Say how this goal is measured before recording data for it."))
    errors: Errors = {}
    when = _date(day, "day", errors, required=True)
    if when is not None:
        _day_in_plan(
            when,
            "day",
            errors,
            student=student,
            began=lineage_began(student, measurement.goal_lineage),
        )
    x: int | None = None
    y: int | None = None
    number: Decimal | None = None
    if measurement.kind == MeasurementKind.TRIALS:
        x = _whole(numerator, "numerator", errors)
        y = _whole(denominator, "denominator", errors)
        if x is None and "numerator" not in errors:
            errors["numerator"] = [_("Enter how many were correct.")]
        if y is None and "denominator" not in errors:
            errors["denominator"] = [_("Enter how many trials there were.")]
        if x is not None and x < 0:
            errors["numerator"] = [_("A count cannot be negative.")]
        if y is not None and y < 1:
            errors["denominator"] = [_("There must be at least one trial.")]
        if x is not None and y is not None and "numerator" not in errors and y >= 1 and x > y:
            errors["numerator"] = [
                _("%(x)s correct of %(y)s trials is more than there were.") % {"x": x, "y": y}
            ]
        if not errors:
            assert x is not None and y is not None
            number = percent_of(x, y)
    else:
        if numerator not in (None, "") or denominator not in (None, ""):
            errors["value"] = [_("This goal is not measured in trials: enter one number.")]
        number = _number(value, "value", errors, required=True)
        if number is not None:
            _in_range(measurement.kind, measurement.scale_max, number, "value", errors)
    if errors:
        raise ValidationError(errors)
    assert when is not None and number is not None
    return when, number, x, y


def _key(client_key: Any) -> uuid.UUID:
    if client_key in (None, ""):
        return uuid.uuid4()
    try:
        return uuid.UUID(str(client_key))
    except ValueError:
        raise ValidationError(
            {"client_key": [_("This form is out of date. Open it again and resend.")]}
        ) from None


def _resent(key: uuid.UUID, *, actor: Any, measurement: GoalMeasurement) -> DataPoint | None:
    """The point a form with this key already stored (a resend), or None.

    A key is the form's, so only the same person on the same goal can resend it; any
    other use of a stored key is refused, never answered with someone else's point.
    """
    point = DataPoint.objects.filter(client_key=key).first()
    if point is None:
        return None
    if point.entered_by_id != actor.pk or point.measurement_id != measurement.pk:
        raise ValidationError(
            {"client_key": [_("This form is out of date. Open it again and resend.")]}
        )
    return point


def _same_student(measurement: GoalMeasurement, access: ProgressAccess) -> None:
    if measurement.student_id != access.student.pk:
        raise ValidationError({"goal": [_("This goal belongs to another student.")]})


def _insert(
    point: DataPoint, *, actor: Any, measurement: GoalMeasurement
) -> tuple[DataPoint, bool]:
    """Insert ``point`` (True); a resend that raced this one to the unique key gets the
    row the other stored (False)."""
    try:
        with transaction.atomic():
            point.save(force_insert=True)
    except IntegrityError:
        existing = _resent(point.client_key, actor=actor, measurement=measurement)
        if existing is None:
            raise
        return existing, False
    return point, True


def check_record_point(
    measurement: GoalMeasurement,
    *,
    actor: Any,
    access: ProgressAccess | None,
    day: Any,
    value: Any = None,
    numerator: Any = None,
    denominator: Any = None,
    series: str = Series.SCHOOL,
    client_key: Any = None,
) -> DataPoint:
    """Record one value for a goal. ``client_key``: the key the form was opened with; the
    same form sent again returns the point it stored, without a second row. Trials goals
    take ``numerator`` of ``denominator`` (the value is their percent); others ``value``."""
    access = _own(access, actor=actor)
    _same_student(measurement, access)
    if series not in Series.values:
        raise ValidationError({"series": [_("Choose school data or a home observation.")]})
    check_entry(access, series)
    key = _key(client_key)
    existing = _resent(key, actor=actor, measurement=measurement)
    if existing is not None:
        return existing
    when, number, x, y = _point_values(
        measurement,
        day=day,
        value=value,
        numerator=numerator,
        denominator=denominator,
        student=access.student,
    )
    with transaction.atomic():
        point, created = _insert(
            DataPoint(
                measurement=measurement,
                day=when,
                value=number,
                numerator=x,
                denominator=y,
                series=series,
                entered_by=actor,
                entered_at=timezone.now(),
                client_key=key,
            ),
            actor=actor,
            measurement=measurement,
        )
        if created:
            record_audit(
                actor=actor,
                action="progress.point_recorded",
                target=point,
                changes={
                    "student": access.student.pk,
                    "measurement": measurement.pk,
                    "day": when.isoformat(),
                    "value": str(number),
                    "trials": [x, y] if x is not None else None,
                    "series": series,
                },
            )
            if series == Series.SCHOOL:
                refresh_alerts(measurement, access.student, actor=actor)
    return point


def _reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise ValidationError({"reason": [_("Say why, so the team knows what happened.")]})
    if len(text) > MAX_REASON_TEXT:
        raise ValidationError(
            {
                "reason": [
                    _("Please keep this under %(n)s characters.")
                    % {"n": number_format(MAX_REASON_TEXT, force_grouping=True)}
                ]
            }
        )
    return text


def _may_change(point: DataPoint, access: ProgressAccess) -> None:
    if point.measurement.student_id != access.student.pk:
        raise ValidationError({"goal": [_("This goal belongs to another student.")]})
    check_entry(access, point.series)
    if not access.may_change(point):
        raise PermissionDenied(_("You may change only the entries you made."))


def _void(locked: DataPoint, *, actor: Any, reason: str) -> None:
    if locked.voided_at is not None:
        raise ValidationError(_("This point was already voided or corrected."))
    locked.voided_at = timezone.now()
    locked.voided_by = actor
    locked.void_reason = reason
    locked.save(update_fields=["voided_at", "voided_by", "void_reason"])


def check_void_point(
    point: DataPoint, *, actor: Any, access: ProgressAccess | None, reason: str
) -> DataPoint:
    """Take a point off the chart and out of every count, with the reason. The row stays
    (shown as voided, with who and why)."""
    access = _own(access, actor=actor)
    _may_change(point, access)
    why = _reason(reason)
    with transaction.atomic():
        locked = DataPoint.objects.select_for_update().get(pk=point.pk)
        _void(locked, actor=actor, reason=why)
        record_audit(
            actor=actor,
            action="progress.point_voided",
            target=locked,
            changes={"student": access.student.pk, "reason": why},
        )
        if locked.series == Series.SCHOOL:
            refresh_alerts(point.measurement, access.student, actor=actor)
    point.voided_at, point.voided_by, point.void_reason = locked.voided_at, actor, why
    return locked


def check_correct_point(
    point: DataPoint,
    *,
    actor: Any,
    access: ProgressAccess | None,
    reason: str,
    day: Any = None,
    value: Any = None,
    numerator: Any = None,
    denominator: Any = None,
    client_key: Any = None,
) -> DataPoint:
    """Replace a wrong point: the old one is voided with ``reason`` and a new one, in the
    same series, names it (``corrects``). ``day`` defaults to the old point's. A resent
    correction form returns the correction it made."""
    access = _own(access, actor=actor)
    _may_change(point, access)
    measurement = point.measurement
    key = _key(client_key)
    existing = _resent(key, actor=actor, measurement=measurement)
    if existing is not None:
        return existing
    why = _reason(reason)
    when, number, x, y = _point_values(
        measurement,
        day=point.day if day in (None, "") else day,
        value=value,
        numerator=numerator,
        denominator=denominator,
        student=access.student,
    )
    with transaction.atomic():
        locked = DataPoint.objects.select_for_update().get(pk=point.pk)
        _void(locked, actor=actor, reason=why)
        correction = DataPoint.objects.create(
            measurement=measurement,
            day=when,
            value=number,
            numerator=x,
            denominator=y,
            series=locked.series,
            entered_by=actor,
            client_key=key,
            corrects=locked,
        )
        record_audit(
            actor=actor,
            action="progress.point_corrected",
            target=locked,
            changes={
                "student": access.student.pk,
                "reason": why,
                "correction": correction.pk,
                "day": [locked.day.isoformat(), when.isoformat()],
                "value": [str(locked.value), str(number)],
            },
        )
        if locked.series == Series.SCHOOL:
            refresh_alerts(measurement, access.student, actor=actor)
    point.voided_at, point.voided_by, point.void_reason = locked.voided_at, actor, why
    return correction


# ----- phase changes ------------------------------------------------------------------


def check_add_phase_change(
    measurement: GoalMeasurement,
    *,
    actor: Any,
    access: ProgressAccess | None,
    day: Any,
    change: str,
) -> PhaseChange:
    """Mark the day instruction changed for a goal, with what changed (a phase line)."""
    access = _own(access, actor=actor)
    _same_student(measurement, access)
    check_progress_action(access, "phase_change")
    errors: Errors = {}
    when = _date(day, "day", errors, required=True)
    if when is not None:
        _day_in_plan(
            when,
            "day",
            errors,
            student=access.student,
            began=lineage_began(access.student, measurement.goal_lineage),
        )
    text = (change or "").strip()
    if not text:
        errors["change"] = [_("Write what changed in how the goal is taught.")]
    elif len(text) > MAX_CHANGE_TEXT:
        errors["change"] = [
            _("Please keep this under %(n)s characters.")
            % {"n": number_format(MAX_CHANGE_TEXT, force_grouping=True)}
        ]
    if errors:
        raise ValidationError(errors)
    assert when is not None
    with transaction.atomic():
        phase = PhaseChange.objects.create(measurement=measurement, day=when, change=text, by=actor)
        record_audit(
            actor=actor,
            action="progress.phase_changed",
            target=phase,
            changes={
                "student": access.student.pk,
                "measurement": measurement.pk,
                "day": when.isoformat(),
            },
        )
    return phase


# ----- the district's rules -----------------------------------------------------------

RULE_FIELDS = ["four_point_needs", "four_point_run", "trend_needs", "trend_tolerance"]


def check_set_rules(district: Any, *, actor: Any, **values: Any) -> ProgressSettings:
    """Set the district's thresholds for the decision rules (its administrators only).
    Alerts already open stay until their goal's data next changes."""
    if access_rules(actor).pk != district.pk:
        raise PermissionDenied(str(RULES_ONLY))
    errors: Errors = {}
    counts = {}
    for name in ("four_point_needs", "four_point_run", "trend_needs"):
        counts[name] = _whole(values.get(name), name, errors)
        if counts[name] is None and name not in errors:
            errors[name] = [_("Enter a whole number.")]
        elif counts[name] is not None and not 0 <= counts[name] <= 100:  # type: ignore[operator]
            errors[name] = [_("Enter a whole number from 0 to 100.")]
    needs, run, trend = counts["four_point_needs"], counts["four_point_run"], counts["trend_needs"]
    tolerance = _number(values.get("trend_tolerance"), "trend_tolerance", errors, required=True)
    if tolerance is not None and tolerance != tolerance.quantize(Decimal("0.01")):
        errors["trend_tolerance"] = [_("Enter a share from 0 to 1, like 0.1.")]
    if not errors:
        assert needs is not None and run is not None and trend is not None
        if run < 1:
            errors["four_point_run"] = [_("The rule looks at one score or more.")]
        elif needs < run:
            errors["four_point_needs"] = [
                _("The rule needs at least as many points as the scores it looks at.")
            ]
        if trend < TREND_NEEDS:
            errors["trend_needs"] = [_("A trend needs at least %(n)s points.") % {"n": TREND_NEEDS}]
        if tolerance is not None and not Decimal(0) <= tolerance <= Decimal(1):
            errors["trend_tolerance"] = [_("Enter a share from 0 to 1, like 0.1.")]
    if errors:
        raise ValidationError(errors)
    assert needs is not None and run is not None and trend is not None and tolerance is not None
    with transaction.atomic():
        row, _created = ProgressSettings.objects.select_for_update().get_or_create(
            district=district
        )
        before = snapshot(row, RULE_FIELDS)
        row.four_point_needs, row.four_point_run, row.trend_needs = needs, run, trend
        row.trend_tolerance = tolerance
        row.save()
        record_audit(
            actor=actor,
            action="progress.rules_set",
            target=row,
            changes={"district": district.pk, **diff(before, snapshot(row, RULE_FIELDS))},
        )
    return row
