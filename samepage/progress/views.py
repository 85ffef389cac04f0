"""The progress tab, a goal's page (chart, table, alerts, entries), recording a point or
a home observation, voiding or correcting one, a phase line, and how a goal is measured.
Thin: permissions decide, actions write, selectors and the analysis read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samepage.core.access_log import record_access
from samepage.core.bounds import is_record_id, paginate
from samepage.core.conflicts import EditConflict
from samepage.core.dates import district_today
from samepage.core.forms import add_validation_errors
from samepage.core.htmx import see_other
from samepage.plans.models import Goal
from samepage.progress import actions, analysis, chart, group, parsing, selectors
from samepage.progress.actions import MEASUREMENT_FIELDS
from samepage.progress.alerts import alert_words, analyse_goal, rules_for
from samepage.progress.forms import (
    CorrectionForm,
    MeasurementForm,
    PhaseForm,
    PointForm,
    ReasonForm,
    RulesForm,
)
from samepage.progress.models import (
    DataPoint,
    GoalMeasurement,
    MeasurementKind,
    Series,
)
from samepage.progress.permissions import (
    ProgressAccess,
    access_goal,
    access_point,
    access_progress,
    access_rules,
    check_records_groups,
)
from samepage.teams.permissions import Part

# Entries listed on a goal's page at a time, newest first.
ENTRIES_PER_PAGE = 20


def _record(request: HttpRequest, access: ProgressAccess) -> None:
    record_access(user=request.user, access=access.record, part=Part.PROGRESS, via="page")


def _goal_url(access: ProgressAccess, lineage: Any, anchor: str = "") -> str:
    url = reverse("progress:goal", args=[access.student.pk, lineage])
    return f"{url}#{anchor}" if anchor else url


def _base(access: ProgressAccess, **extra: Any) -> dict[str, Any]:
    return {"student": access.student, "access": access, "record": access.record, **extra}


@require_GET
@login_required
def overview(request: HttpRequest, student_id: int) -> HttpResponse:
    access = access_progress(request.user, student_id)
    goals = selectors.current_goals(access.student)
    measured = selectors.measurements_by_lineage(access.student, [g.lineage_id for g in goals])
    measurements = list(measured.values())
    open_alerts = selectors.open_alerts(measurements)
    last = selectors.last_points(measurements)
    rows = []
    for goal in goals:
        measurement = measured.get(goal.lineage_id)
        alerts = open_alerts.get(measurement.pk, []) if measurement else []
        for alert in alerts:
            alert.measurement = measurement  # type: ignore[assignment]
        rows.append(
            {
                "goal": goal,
                "measurement": measurement,
                "last": last.get(measurement.pk) if measurement else None,
                "alerts": [alert_words(a) for a in alerts],
            }
        )
    _record(request, access)
    return render(request, "progress/overview.html", _base(access, rows=rows))


def _entries_page(request: HttpRequest, measurement: GoalMeasurement | None) -> Any:
    rows = (
        selectors.points_for(measurement, with_void=True).order_by("-day", "-entered_at", "-id")
        if measurement is not None
        else DataPoint.objects.none()
    )
    return paginate(rows, request.GET.get("page"), ENTRIES_PER_PAGE)


def _point_form(
    access: ProgressAccess, measurement: GoalMeasurement | None, data: Any = None
) -> PointForm | None:
    if measurement is None or not measurement.kind:
        return None
    if not (access.can_enter_school_data or access.can_enter_home_data):
        return None
    today = district_today(access.student.district)
    return PointForm(
        data,
        trials=measurement.kind == MeasurementKind.TRIALS,
        unit=measurement.unit,
        initial={"day": today.isoformat()},
    )


def _goal_context(
    request: HttpRequest,
    access: ProgressAccess,
    goal: Goal,
    measurement: GoalMeasurement | None,
) -> dict[str, Any]:
    context = _base(access, goal=goal, measurement=measurement)
    context["form"] = _point_form(access, measurement)
    context["series"] = Series.SCHOOL if access.can_enter_school_data else Series.HOME
    # Whoever may record without reading the progress part (a general-education teacher
    # records what they see in class) gets the form alone: no chart, no entries.
    if measurement is None or not access.can_view:
        return context
    context["entries"] = _entries_page(request, measurement)
    phases = list(measurement.phase_changes.select_related("by"))
    found = analyse_goal(measurement, access.student, phases=phases)
    title = _("Progress on the goal: %(goal)s") % {"goal": selectors.short(goal.statement)}
    context.update(
        chart.chart_context(analysis.chart_of(found, title), name=f"goal-{measurement.pk}")
    )
    open_alerts = list(measurement.alerts.filter(cleared_at__isnull=True))
    for alert in open_alerts:
        alert.measurement = measurement
    context["alerts"] = [alert_words(a) for a in open_alerts]
    context["projection"] = analysis.projection_words(found)
    context["analysis"] = found
    context["phases"] = phases
    return context


@require_GET
@login_required
def goal_page(request: HttpRequest, student_id: int, lineage: Any) -> HttpResponse:
    access, goal, measurement = access_goal(request.user, student_id, lineage)
    context = _goal_context(request, access, goal, measurement)
    _record(request, access)
    return render(request, "progress/goal.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def record_point(request: HttpRequest, student_id: int, lineage: Any) -> HttpResponse:
    """The entry form on its own page (GET) and its submission (POST): school data from
    staff who may enter it, a home observation from the family."""
    access, goal, measurement = access_goal(request.user, student_id, lineage, action="enter")
    series = Series.SCHOOL if access.can_enter_school_data else Series.HOME
    if measurement is None or not measurement.kind:
        messages.error(request, _("Set how this goal is measured before recording data."))
        return see_other(_goal_url(access, goal.lineage_id))
    if request.method == "GET":
        # The form alone: the goal's page has the chart and entries beside it.
        context = _base(access, goal=goal, measurement=measurement, series=series)
        context["form"] = _point_form(access, measurement)
        _record(request, access)
        return render(request, "progress/record.html", context)
    form = _point_form(access, measurement, request.POST)
    assert form is not None
    if form.is_valid():
        data = form.cleaned_data
        try:
            point = actions.check_record_point(
                measurement,
                actor=request.user,
                access=access,
                day=data["day"],
                value=data.get("value"),
                numerator=data.get("numerator"),
                denominator=data.get("denominator"),
                series=series,
                client_key=data.get("client_key"),
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            if series == Series.HOME:
                messages.success(request, _("Your observation was added to the chart."))
            else:
                messages.success(request, _("The score was saved."))
            return see_other(_goal_url(access, goal.lineage_id, f"point-{point.pk}"))
    context = _base(access, goal=goal, measurement=measurement, series=series, form=form)
    return render(request, "progress/record.html", context, status=400)


def _changeable(request: HttpRequest, student_id: int, point_id: int) -> tuple[Any, DataPoint]:
    access, point = access_point(request.user, student_id, point_id, action="change")
    if point.is_void:
        raise Http404
    return access, point


@require_http_methods(["GET", "POST"])
@login_required
def void_point(request: HttpRequest, student_id: int, point_id: int) -> HttpResponse:
    access, point = _changeable(request, student_id, point_id)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_void_point(
                point, actor=request.user, access=access, reason=form.cleaned_data["reason"]
            )
        except ValidationError as e:
            add_validation_errors(form, e)
            status = 400
        else:
            messages.success(request, _("The entry was voided. It stays listed, crossed out."))
            return see_other(_goal_url(access, point.measurement.goal_lineage))
    return render(
        request, "progress/void.html", _base(access, point=point, form=form), status=status
    )


@require_http_methods(["GET", "POST"])
@login_required
def correct_point(request: HttpRequest, student_id: int, point_id: int) -> HttpResponse:
    access, point = _changeable(request, student_id, point_id)
    measurement = point.measurement
    trials = measurement.kind == MeasurementKind.TRIALS
    if request.method == "GET":
        initial = {"day": point.day.isoformat(), "value": point.value}
        if trials:
            initial.update(numerator=point.numerator, denominator=point.denominator)
        form = CorrectionForm(trials=trials, unit=measurement.unit, initial=initial)
        return render(request, "progress/correct.html", _base(access, point=point, form=form))
    form = CorrectionForm(request.POST, trials=trials, unit=measurement.unit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            correction = actions.check_correct_point(
                point,
                actor=request.user,
                access=access,
                reason=data["reason"],
                day=data["day"],
                value=data.get("value"),
                numerator=data.get("numerator"),
                denominator=data.get("denominator"),
                client_key=data.get("client_key"),
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("The entry was corrected. The old value stays listed."))
            return see_other(_goal_url(access, measurement.goal_lineage, f"point-{correction.pk}"))
    context = _base(access, point=point, form=form)
    return render(request, "progress/correct.html", context, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def add_phase(request: HttpRequest, student_id: int, lineage: Any) -> HttpResponse:
    access, goal, measurement = access_goal(
        request.user, student_id, lineage, action="phase_change"
    )
    if measurement is None:
        messages.error(request, _("Set how this goal is measured first."))
        return see_other(_goal_url(access, goal.lineage_id))
    today = district_today(access.student.district)
    form = PhaseForm(
        request.POST if request.method == "POST" else None, initial={"day": today.isoformat()}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_add_phase_change(
                measurement,
                actor=request.user,
                access=access,
                day=form.cleaned_data["day"],
                change=form.cleaned_data["change"],
            )
        except ValidationError as e:
            add_validation_errors(form, e)
            status = 400
        else:
            messages.success(request, _("The change is marked on the chart."))
            return see_other(_goal_url(access, goal.lineage_id, "phases"))
    context = _base(access, goal=goal, measurement=measurement, form=form)
    return render(request, "progress/phase.html", context, status=status)


def _measurement_initial(goal: Goal, measurement: GoalMeasurement | None) -> dict[str, Any]:
    """The form's starting values: the measurement's, or what the goal's text says."""
    if measurement is not None and measurement.kind:
        initial: dict[str, Any] = {name: getattr(measurement, name) for name in MEASUREMENT_FIELDS}
        for name in ("baseline_date", "target_date"):
            if initial.get(name) is not None:
                initial[name] = initial[name].isoformat()
        initial["revision"] = measurement.revision
        return initial
    read = parsing.read_goal(
        baseline=goal.baseline,
        target=goal.target,
        mastery_criterion=goal.mastery_criterion,
        measurement_method=goal.measurement_method,
    )
    end = goal.version.proposed_end
    return {
        "kind": read.kind or "",
        "unit": read.unit,
        "direction": read.direction or "",
        "baseline_value": read.baseline,
        "target_value": read.target,
        "target_date": end.isoformat() if end else "",
        "mastery_value": read.mastery_level,
        "mastery_sessions": read.mastery_sessions,
        "revision": measurement.revision if measurement is not None else None,
    }


@require_http_methods(["GET", "POST"])
@login_required
def set_measurement(request: HttpRequest, student_id: int, lineage: Any) -> HttpResponse:
    access, goal, measurement = access_goal(
        request.user, student_id, lineage, action="set_measurement"
    )
    form = MeasurementForm(
        request.POST if request.method == "POST" else None,
        initial=_measurement_initial(goal, measurement),
    )
    status = 200
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.check_set_measurement(
                access.student,
                goal.lineage_id,
                actor=request.user,
                access=access,
                kind=data.get("kind") or "",
                direction=data.get("direction") or "",
                unit=data.get("unit") or "",
                **{name: data.get(name) for name in MEASUREMENT_FIELDS[3:]},
                revision=data.get("revision"),
            )
        except EditConflict as e:
            conflict = [
                {
                    "label": form.fields[name].label,
                    "theirs": e.theirs.get(name),
                    "yours": data.get(name),
                }
                for name in MEASUREMENT_FIELDS
                if str(e.theirs.get(name) or "") != str(data.get(name) or "")
            ]
            form = MeasurementForm(initial={**data, "revision": e.revision})
            status = 409
        except ValidationError as e:
            add_validation_errors(form, e)
            status = 400
        else:
            messages.success(request, _("How the goal is measured was saved."))
            return see_other(_goal_url(access, goal.lineage_id))
    context = _base(access, goal=goal, measurement=measurement, form=form, conflict=conflict)
    return render(request, "progress/measure.html", context, status=status)


def _chosen(request: HttpRequest) -> list[int]:
    found = []
    for raw in request.GET.getlist("student") + request.POST.getlist("student"):
        if raw.isdigit() and is_record_id(raw) and int(raw) not in found:
            found.append(int(raw))
    return found


@require_http_methods(["GET", "POST"])
@login_required
def group_session(request: HttpRequest) -> HttpResponse:
    """Choose the students of a session (no ``student`` yet), then a score for each of
    their goals on one day."""
    memberships = group.recording_memberships(request.user)
    check_records_groups(memberships)
    chosen = _chosen(request)
    if len(chosen) > group.MAX_STUDENTS:
        messages.error(
            request,
            _("A group session has at most %(n)s students.") % {"n": group.MAX_STUDENTS},
        )
        chosen = []
    if not chosen:
        page = paginate(memberships, request.GET.get("page"))
        return render(request, "progress/group_choose.html", {"page": page})
    rows = group.rows_for(request.user, chosen)
    today = district_today(rows[0].access.student.district) if rows else None
    day = request.POST.get("day", today.isoformat() if today else "")
    status = 200
    if request.method == "POST":
        status = _save_group(request, rows, day)
        if status == 303:
            messages.success(request, _("The session's scores were saved."))
            return see_other(reverse("progress:group"))
    return render(
        request,
        "progress/group.html",
        {"rows": rows, "day": day, "chosen": chosen, "today": today},
        status=status,
    )


def _save_group(request: HttpRequest, rows: list[group.Row], day: str) -> int:
    """Save each filled row; 303 when all went in, 400 when any row needs fixing."""
    failed = False
    for row in rows:
        row.value = request.POST.get(f"{row.prefix}-value", "")
        row.numerator = request.POST.get(f"{row.prefix}-numerator", "")
        row.denominator = request.POST.get(f"{row.prefix}-denominator", "")
        row.client_key = request.POST.get(f"{row.prefix}-client_key", "") or row.client_key
        if row.empty:
            continue
        try:
            actions.check_record_point(
                row.measurement,
                actor=request.user,
                access=row.access,
                day=day,
                value=None if row.trials else row.value,
                numerator=row.numerator if row.trials else None,
                denominator=row.denominator if row.trials else None,
                client_key=row.client_key,
            )
        except ValidationError as e:
            row.errors = e.messages
            failed = True
        else:
            row.saved = True
    if not any(row.saved or row.errors for row in rows):
        messages.error(request, _("Enter a score for at least one goal."))
        return 400
    return 400 if failed else 303


@require_http_methods(["GET", "POST"])
@login_required
def rules(request: HttpRequest) -> HttpResponse:
    """The district's thresholds for the decision rules (its administrators)."""
    district = access_rules(request.user)
    current = rules_for(district.pk)
    initial = {name: getattr(current, name) for name in actions.RULE_FIELDS}
    form = RulesForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_set_rules(district, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_validation_errors(form, e)
            status = 400
        else:
            messages.success(
                request,
                _("The progress rules were saved. Each goal follows them from its next score."),
            )
            return see_other(reverse("progress:rules"))
    elif request.method == "POST":
        status = 400
    return render(request, "progress/rules.html", {"form": form}, status=status)
