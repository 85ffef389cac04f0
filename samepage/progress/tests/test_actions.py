"""Recording progress data: measurements, points, voids, corrections, phase changes, and
what bad input gets (in the user's language)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from samepage.core.conflicts import EditConflict
from samepage.core.models import AuditEvent
from samepage.progress import actions
from samepage.progress.models import DataPoint, GoalMeasurement, PhaseChange
from samepage.progress.tests.helpers import access_of, began, measure, plan_goal, record

pytestmark = pytest.mark.django_db


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# ----- measurements -------------------------------------------------------------------


def test_setting_a_measurement_makes_one_per_lineage_and_audits(world):
    goal = plan_goal(world)
    m = measure(world, goal)
    assert (m.kind, m.direction, m.baseline_value, m.target_value) == (
        "rate",
        "increase",
        Decimal(40),
        Decimal(90),
    )
    assert (m.mastery_value, m.mastery_sessions, m.revision) == (Decimal(90), 3, 1)
    again = measure(world, goal, target_value="100", revision=1)
    assert again.pk == m.pk
    assert again.target_value == Decimal(100) and again.revision == 2
    assert GoalMeasurement.objects.count() == 1
    events = list(AuditEvent.objects.filter(action="progress.measurement_set").order_by("seq"))
    assert [e.changes["student"] for e in events] == [world.child.pk, world.child.pk]
    before, after = events[-1].changes["target_value"]
    assert (Decimal(before), Decimal(after)) == (Decimal(90), Decimal(100))


def test_a_stale_measurement_form_gets_a_conflict(world):
    goal = plan_goal(world)
    measure(world, goal)
    measure(world, goal, target_value="95", revision=1)
    with pytest.raises(EditConflict) as excinfo:
        measure(world, goal, target_value="99", revision=1)
    assert excinfo.value.revision == 2
    assert GoalMeasurement.objects.get().target_value == Decimal(95)


def test_a_person_setting_it_clears_the_review_flag(world):
    goal = plan_goal(world)
    m = GoalMeasurement.objects.create(
        student=world.child,
        goal_lineage=goal.lineage_id,
        needs_review=True,
        review_reasons=[{"field": "baseline", "problem": "range", "text": "40-50"}],
    )
    assert m.review_reason_lines() == ["Baseline: a range was written, not one number (“40-50”)"]
    with translation.override("es"):
        assert m.review_reason_lines() == [
            "Punto de partida: se escribió un rango, no un solo número (“40-50”)"
        ]
    measure(world, goal)
    m.refresh_from_db()
    assert (m.needs_review, m.review_reasons) == (False, [])


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "guess"}, "kind"),
        ({"direction": "sideways"}, "direction"),
        ({"kind": "percent", "target_value": "120"}, "target_value"),
        ({"kind": "percent", "baseline_value": "-1"}, "baseline_value"),
        ({"kind": "duration", "baseline_value": "-3", "target_value": "5"}, "baseline_value"),
        ({"baseline_value": "forty"}, "baseline_value"),
        ({"baseline_value": "1.0001"}, "baseline_value"),
        ({"target_value": "30"}, "target_value"),
        ({"direction": "decrease"}, "target_value"),
        ({"mastery_sessions": "0"}, "mastery_sessions"),
        ({"mastery_sessions": "2.5"}, "mastery_sessions"),
        ({"kind": "rubric", "scale_max": "4", "target_value": "5"}, "target_value"),
        ({"scale_max": "0"}, "scale_max"),
        ({"baseline_date": "2026-10-01", "target_date": "2026-09-01"}, "target_date"),
        ({"baseline_date": "yesterday"}, "baseline_date"),
        ({"unit": "x" * 61}, "unit"),
    ],
)
def test_measurement_values_are_checked(world, fields, field):
    goal = plan_goal(world)
    with pytest.raises(ValidationError) as excinfo:
        measure(world, goal, **fields)
    assert field in _errors(excinfo)
    assert not GoalMeasurement.objects.exists()


def test_a_measurement_for_a_goal_not_in_this_students_plan(world):
    other_goal = plan_goal(world, world.other_child, signer=world.other_parent)
    with pytest.raises(ValidationError) as excinfo:
        actions.check_set_measurement(
            world.child,
            other_goal.lineage_id,
            actor=world.case_manager,
            access=access_of(world.case_manager, world.child),
            kind="rate",
            direction="increase",
        )
    assert _errors(excinfo) == {"goal": ["Choose a goal from this student's plan."]}
    with pytest.raises(ValidationError):
        actions.check_set_measurement(
            world.child,
            "not-a-uuid",
            actor=world.case_manager,
            access=access_of(world.case_manager, world.child),
            kind="rate",
            direction="increase",
        )


def test_the_kind_stays_once_there_is_data(world):
    goal = plan_goal(world)
    m = measure(world, goal)
    point = record(world.provider, m)
    with pytest.raises(ValidationError) as excinfo:
        measure(world, goal, kind="percent", baseline_value="40", target_value="90")
    assert "kind" in _errors(excinfo)
    actions.check_void_point(
        point, actor=world.provider, access=access_of(world.provider, world.child), reason="Typo"
    )
    assert measure(world, goal, kind="percent").kind == "percent"


# ----- points -------------------------------------------------------------------------


def test_a_point_is_recorded_attributed_and_audited(world):
    m = measure(world)
    point = record(world.provider, m, value="52")
    assert (point.value, point.series, point.entered_by, point.day) == (
        Decimal(52),
        "school",
        world.provider,
        world.today,
    )
    assert point.counts
    event = AuditEvent.objects.get(action="progress.point_recorded")
    assert event.changes["student"] == world.child.pk
    assert event.actor_id == world.provider.pk


def test_a_resubmitted_form_stores_one_point(world):
    m = measure(world)
    key = uuid.uuid4()
    first = record(world.provider, m, value="52", client_key=key)
    again = record(world.provider, m, value="52", client_key=str(key))
    assert again.pk == first.pk
    assert DataPoint.objects.count() == 1
    assert AuditEvent.objects.filter(action="progress.point_recorded").count() == 1


def test_a_used_key_from_someone_else_is_refused_not_answered(world):
    m = measure(world)
    key = uuid.uuid4()
    record(world.provider, m, client_key=key)
    with pytest.raises(ValidationError) as excinfo:
        record(world.case_manager, m, client_key=key)
    assert "client_key" in _errors(excinfo)
    with pytest.raises(ValidationError):
        record(world.provider, m, client_key="garbage")
    assert DataPoint.objects.count() == 1


def test_trials_keep_x_of_y_and_store_the_percent(world):
    m = measure(
        world,
        kind="trials",
        unit="trials",
        baseline_value="50",
        target_value="80",
        mastery_value="80",
    )
    point = record(world.provider, m, value=None, numerator=7, denominator=10)
    assert (point.value, point.as_trials(), point.shown_value) == (Decimal(70), (7, 10), (7, 10))
    third = record(world.provider, m, value=None, numerator="1", denominator="3")
    assert third.value == Decimal("33.330")


@pytest.mark.parametrize(
    ("kind", "extra", "field", "message"),
    [
        ("percent", {"value": "101"}, "value", "Enter a percent from 0 to 100."),
        ("percent", {"value": "-0.5"}, "value", "Enter a percent from 0 to 100."),
        ("interval", {"value": "120"}, "value", "Enter a percent from 0 to 100."),
        ("duration", {"value": "-2"}, "value", "A time cannot be negative."),
        ("latency", {"value": "-2"}, "value", "A time cannot be negative."),
        ("frequency", {"value": "-1"}, "value", "A count or rate cannot be negative."),
        ("rate", {"value": "-1"}, "value", "A count or rate cannot be negative."),
        ("rate", {"value": ""}, "value", "Enter a number."),
        ("rate", {"value": "lots"}, "value", "Enter a number, like 45 or 12.5."),
        ("rate", {"value": "1e400"}, "value", "Enter a number, like 45 or 12.5."),
        ("rate", {"value": "NaN"}, "value", "Enter a number, like 45 or 12.5."),
        (
            "rate",
            {"value": "4", "numerator": 1, "denominator": 2},
            "value",
            "This goal is not measured in trials: enter one number.",
        ),
        (
            "trials",
            {"value": None, "numerator": 11, "denominator": 10},
            "numerator",
            "11 correct of 10 trials is more than there were.",
        ),
        (
            "trials",
            {"value": None, "numerator": 0, "denominator": 0},
            "denominator",
            "There must be at least one trial.",
        ),
        (
            "trials",
            {"value": None, "numerator": -1, "denominator": 5},
            "numerator",
            "A count cannot be negative.",
        ),
        (
            "trials",
            {"value": None, "numerator": None, "denominator": 5},
            "numerator",
            "Enter how many were correct.",
        ),
        (
            "trials",
            {"value": None, "numerator": 2, "denominator": "5.5"},
            "denominator",
            "Enter a whole number.",
        ),
    ],
)
def test_values_outside_the_measurements_range(world, kind, extra, field, message):
    fields = {"kind": kind, "baseline_value": "10", "target_value": "20"}
    m = measure(world, **fields)
    with pytest.raises(ValidationError) as excinfo:
        record(world.provider, m, **extra)
    assert _errors(excinfo)[field] == [message]
    assert not DataPoint.objects.exists()


def test_a_rubric_level_above_the_scale(world):
    m = measure(
        world, kind="rubric", scale_max="4", baseline_value="1", target_value="3", mastery_value="3"
    )
    with pytest.raises(ValidationError) as excinfo:
        record(world.provider, m, value="5")
    assert _errors(excinfo)["value"] == ["Enter a level from 0 to 4."]
    assert record(world.provider, m, value="4").value == Decimal(4)


def test_days_in_the_future_or_before_the_plan(world):
    m = measure(world)
    with pytest.raises(ValidationError) as excinfo:
        record(world.provider, m, day=world.today + timedelta(days=1))
    assert _errors(excinfo)["day"] == ["That day has not come yet. Choose today or an earlier day."]
    with pytest.raises(ValidationError) as excinfo:
        record(world.provider, m, day=began(world) - timedelta(days=1))
    (message,) = _errors(excinfo)["day"]
    assert message.startswith("Choose a day on or after ") and "when the plan began" in message
    with pytest.raises(ValidationError):
        record(world.provider, m, day="3 Dec")
    assert record(world.provider, m, day=began(world)).day == began(world)
    assert record(world.provider, m, day=world.today.isoformat()).day == world.today


def test_errors_are_in_the_users_language(world):
    m = measure(world, kind="percent", baseline_value="10", target_value="20")
    with translation.override("es"), pytest.raises(ValidationError) as excinfo:
        record(world.provider, m, value="150", day=world.today + timedelta(days=2))
    errors = _errors(excinfo)
    assert errors["value"] == ["Escriba un porcentaje de 0 a 100."]
    assert errors["day"] == ["Ese día todavía no ha llegado. Elija hoy o un día anterior."]


def test_a_point_on_another_students_goal(world):
    other_goal = plan_goal(world, world.other_child, signer=world.other_parent)
    other = GoalMeasurement.objects.create(
        student=world.other_child,
        goal_lineage=other_goal.lineage_id,
        kind="rate",
        direction="increase",
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.check_record_point(
            other,
            actor=world.provider,
            access=access_of(world.provider, world.child),
            day=world.today,
            value="40",
        )
    assert _errors(excinfo) == {"goal": ["This goal belongs to another student."]}
    assert not DataPoint.objects.exists()


def test_no_point_before_the_measurement_says_how(world):
    goal = plan_goal(world)
    m = GoalMeasurement.objects.create(
        student=world.child, goal_lineage=goal.lineage_id, needs_review=True
    )
    with pytest.raises(ValidationError) as excinfo:
        record(world.provider, m)
    assert excinfo.value.messages == ["Say how this goal is measured before recording data for it."]


def test_an_access_worked_out_for_someone_else_is_refused(world):
    m = measure(world)
    with pytest.raises(PermissionDenied):
        actions.check_record_point(
            m,
            actor=world.provider,
            access=access_of(world.case_manager, world.child),
            day=world.today,
            value="40",
        )
    with pytest.raises(PermissionDenied):
        actions.check_record_point(m, actor=world.provider, access=None, day=world.today)


def test_a_bad_series(world):
    m = measure(world)
    with pytest.raises(ValidationError) as excinfo:
        record(world.provider, m, series="garden")
    assert "series" in _errors(excinfo)


# ----- void and correct ---------------------------------------------------------------


def test_a_void_keeps_the_point_with_who_and_why(world):
    m = measure(world)
    point = record(world.provider, m, value="52")
    access = access_of(world.case_manager, world.child)
    voided = actions.check_void_point(
        point, actor=world.case_manager, access=access, reason="Wrong student's sheet"
    )
    assert (voided.void_reason, voided.voided_by, voided.is_void) == (
        "Wrong student's sheet",
        world.case_manager,
        True,
    )
    assert not voided.counts
    assert DataPoint.objects.count() == 1
    assert list(DataPoint.objects.standing()) == []
    event = AuditEvent.objects.get(action="progress.point_voided")
    assert event.changes == {"student": world.child.pk, "reason": "Wrong student's sheet"}
    with pytest.raises(ValidationError):
        actions.check_void_point(voided, actor=world.case_manager, access=access, reason="Again")
    with pytest.raises(ValidationError) as excinfo:
        actions.check_void_point(
            record(world.provider, m), actor=world.case_manager, access=access, reason="  "
        )
    assert "reason" in _errors(excinfo)


def test_a_correction_voids_the_old_point_and_links_the_new(world):
    m = measure(world)
    point = record(world.provider, m, value="25", day=world.today - timedelta(days=3))
    access = access_of(world.provider, world.child)
    key = uuid.uuid4()
    fixed = actions.check_correct_point(
        point,
        actor=world.provider,
        access=access,
        reason="Typed 25 for 52",
        value="52",
        client_key=key,
    )
    point.refresh_from_db()
    assert (fixed.value, fixed.day, fixed.corrects, fixed.series) == (
        Decimal(52),
        point.day,
        point,
        "school",
    )
    assert point.is_void and point.void_reason == "Typed 25 for 52"
    assert point.corrected_by == fixed
    assert [p.value for p in DataPoint.objects.standing()] == [Decimal(52)]
    assert DataPoint.objects.count() == 2
    # The same correction form sent again changes nothing.
    again = actions.check_correct_point(
        point,
        actor=world.provider,
        access=access,
        reason="Typed 25 for 52",
        value="52",
        client_key=key,
    )
    assert again.pk == fixed.pk and DataPoint.objects.count() == 2
    # A second, different correction of the voided point is refused.
    with pytest.raises(ValidationError):
        actions.check_correct_point(
            point, actor=world.provider, access=access, reason="x", value="1"
        )
    assert AuditEvent.objects.filter(action="progress.point_corrected").count() == 1


def test_a_bad_correction_leaves_the_point_alone(world):
    m = measure(world, kind="percent", baseline_value="10", target_value="20")
    point = record(world.provider, m, value="50")
    access = access_of(world.provider, world.child)
    with pytest.raises(ValidationError):
        actions.check_correct_point(
            point, actor=world.provider, access=access, reason="Typo", value="500"
        )
    with pytest.raises(ValidationError):
        actions.check_correct_point(
            point, actor=world.provider, access=access, reason="", value="5"
        )
    point.refresh_from_db()
    assert not point.is_void and DataPoint.objects.count() == 1


def test_a_home_observation_is_changed_only_by_the_family(world):
    m = measure(world)
    home = record(world.parent, m, value="30", series="home")
    assert home.series == "home" and not home.counts
    with pytest.raises(PermissionDenied):
        actions.check_void_point(
            home, actor=world.provider, access=access_of(world.provider, world.child), reason="x"
        )
    fixed = actions.check_correct_point(
        home,
        actor=world.parent,
        access=access_of(world.parent, world.child),
        reason="Misread",
        value="35",
    )
    assert fixed.series == "home" and fixed.entered_by == world.parent
    school = record(world.provider, m)
    with pytest.raises(PermissionDenied):
        actions.check_void_point(
            school, actor=world.parent, access=access_of(world.parent, world.child), reason="x"
        )


def test_home_points_never_count(world):
    m = measure(world)
    record(world.parent, m, value="30", series="home")
    record(world.provider, m, value="50")
    assert [p.value for p in DataPoint.objects.counted()] == [Decimal(50)]
    assert DataPoint.objects.standing().count() == 2


# ----- phase changes ------------------------------------------------------------------


def test_a_phase_change(world):
    m = measure(world)
    access = access_of(world.provider, world.child)
    phase = actions.check_add_phase_change(
        m, actor=world.provider, access=access, day=world.today, change="  Daily small group  "
    )
    assert (phase.change, phase.by, phase.day) == ("Daily small group", world.provider, world.today)
    assert AuditEvent.objects.filter(action="progress.phase_changed").count() == 1
    for day, change, field in [
        (world.today, "", "change"),
        (world.today, "x" * 1001, "change"),
        (world.today + timedelta(days=1), "New books", "day"),
        (began(world) - timedelta(days=1), "New books", "day"),
        (None, "New books", "day"),
    ]:
        with pytest.raises(ValidationError) as excinfo:
            actions.check_add_phase_change(
                m, actor=world.provider, access=access, day=day, change=change
            )
        assert field in _errors(excinfo)
    assert PhaseChange.objects.count() == 1


def test_only_school_data_enterers_mark_phase_changes(world):
    m = measure(world)
    for user in (world.parent, world.school_leader):
        with pytest.raises(PermissionDenied):
            actions.check_add_phase_change(
                m, actor=user, access=access_of(user, world.child), day=world.today, change="x"
            )
