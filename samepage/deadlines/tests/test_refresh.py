"""Stored deadlines: worked out from the record, refreshed when its inputs change,
"unknown" when the starting event is missing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from samepage import factories as f
from samepage.concerns.tests import helpers as concerns
from samepage.core.events import Event
from samepage.core.models import AuditEvent
from samepage.deadlines.actions import do_choose_pack, refresh_deadlines, refresh_on_event
from samepage.deadlines.days import shift_years
from samepage.deadlines.models import Deadline, DeadlineSettings
from samepage.minutes import actions as minutes_actions
from samepage.plans.actions import lifecycle
from samepage.reports import actions as report_actions
from samepage.reports.tests import helpers as reports

pytestmark = pytest.mark.django_db


def _rows(student: Any) -> dict[tuple[str, str], Deadline]:
    return {(d.rule_key, d.occurrence): d for d in Deadline.objects.filter(student=student)}


def test_a_missing_starting_event_is_unknown_never_fine(world: Any) -> None:
    refresh_deadlines(world.child)
    rows = _rows(world.child)
    for key in ("initial_evaluation", "initial_iep_meeting", "annual_review", "reevaluation"):
        row = rows[(key, "")]
        assert row.status == "unknown"
        assert row.start_date is None and row.due_date is None
    # A birthday is always on record: the transition plan is due on the 16th.
    transition = rows[("transition_plan", "")]
    assert transition.status == "open"
    assert transition.due_date == date(2031, 3, 14)
    notice = rows[("age_of_majority_notice", "")]
    assert (notice.start_date, notice.due_date) == (date(2033, 3, 14), date(2032, 3, 14))
    # Occasional events that never happened start nothing.
    assert not any(key == "deferred_concern" for key, _occurrence in rows)


def test_a_plan_in_effect_starts_the_annual_review_and_meets_the_initial_ones(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    start = world.today - timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        version = f.make_plan_in_effect(
            world.child, signer=world.parent, actor=world.case_manager, proposed_start=start
        )
    rows = _rows(world.child)
    review = rows[("annual_review", "")]
    assert (review.status, review.start_date) == ("open", version.meeting_date)
    assert review.due_date == shift_years(version.meeting_date, 1)
    assert rows[("initial_evaluation", "")].status == "met"
    signature = rows[("plan_signature", f"version:{version.pk}")]
    assert signature.status == "met" and signature.met_on == world.today
    consent = rows[("initial_services_consent", f"version:{version.pk}")]
    assert consent.status == "met"
    # The reevaluation's start (the last evaluation) is not recorded anywhere yet.
    assert rows[("reevaluation", "")].status == "unknown"


def test_a_final_plan_waits_for_the_familys_signature(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    plan = f.make_plan(world.child, world.case_manager)
    version = f.fill_plan(plan)
    lifecycle.do_record_meeting(version, actor=world.case_manager, meeting_date=world.today)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.check_finalize(version, actor=world.case_manager)
    row = _rows(world.child)[("plan_signature", f"version:{version.pk}")]
    assert (row.status, row.start_date) == ("open", world.today)
    assert row.due_date == world.today + timedelta(days=10)


def test_a_deferred_concern_is_refreshed_when_the_team_decides_again(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    concern = concerns.add(world)
    with django_capture_on_commit_callbacks(execute=True):
        concerns.defer(world, concern, days=30)
    row = _rows(world.child)[("deferred_concern", f"concern:{concern.pk}")]
    assert (row.status, row.due_date) == ("open", world.today + timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        concerns.decline(world, concern)
    row.refresh_from_db()
    assert (row.status, row.met_on) == ("met", world.today)


def test_a_reporting_period_gives_a_progress_report_deadline_met_when_issued(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = reports.draft(world)
    period = report.period
    refresh_deadlines(world.child)
    key = ("progress_report", f"period:{period.pk}")
    row = _rows(world.child)[key]
    assert (row.status, row.due_date, row.about) == ("open", period.ends, period.name)
    with django_capture_on_commit_callbacks(execute=True):
        reports.issue(world, report)
    row.refresh_from_db()
    assert (row.status, row.met_on) == ("met", world.today)


def test_refreshing_twice_changes_nothing_the_second_time(world: Any) -> None:
    first = refresh_deadlines(world.child)
    second = refresh_deadlines(world.child)
    assert first.created > 0
    assert (second.created, second.updated, second.removed) == (0, 0, 0)


def test_a_504_student_keeps_no_idea_deadlines(world: Any) -> None:
    student = f.make_student(world.school, plan_type="504")
    refresh_deadlines(student)
    assert not Deadline.objects.filter(student=student).exists()


def test_choosing_the_california_pack_recomputes_the_district_with_an_audit_row(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    refresh_deadlines(world.child)
    assert ("assessment_plan", "") not in _rows(world.child)
    with django_capture_on_commit_callbacks(execute=True):
        do_choose_pack(world.child.district, actor=world.district_admin, pack="california")
    assert DeadlineSettings.objects.get(district=world.child.district).pack == "california"
    row = _rows(world.child)[("assessment_plan", "")]
    assert (row.status, row.pack, row.citation) == (
        "unknown",
        "california",
        "Cal. Ed. Code 56321(a)",
    )
    audit = AuditEvent.objects.filter(action="deadlines.pack_chosen").get()
    assert audit.changes["pack"] == ["federal", "california"]


def test_an_unknown_pack_choice_is_refused(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        do_choose_pack(world.child.district, actor=world.district_admin, pack="atlantis")
    assert "pack" in refused.value.message_dict
    assert not DeadlineSettings.objects.exists()


def test_only_the_events_that_move_a_deadline_refresh_it(world: Any) -> None:
    refresh_on_event(Event("message.posted", world.parent, world.child, "messages", None))
    assert not Deadline.objects.filter(student=world.child).exists()
    refresh_on_event(Event("concern.decided", world.parent, world.child, "plans", None))
    assert Deadline.objects.filter(student=world.child).exists()


def test_a_new_or_archived_reporting_period_refreshes_the_district_without_a_student_event(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # Reports are owed for a plan in effect.
    f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    refresh_deadlines(world.child)
    with django_capture_on_commit_callbacks(execute=True):
        period = reports.period(world)
    key = ("progress_report", f"period:{period.pk}")
    row = _rows(world.child)[key]
    assert (row.status, row.due_date) == ("open", period.ends)
    with django_capture_on_commit_callbacks(execute=True):
        report_actions.check_archive_period(period, actor=world.district_admin)
    assert key not in _rows(world.child)


def test_a_day_without_school_added_or_taken_off_refreshes_the_district(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert not Deadline.objects.filter(student=world.child).exists()
    later = world.today + timedelta(days=30)
    later += timedelta(days=(7 - later.weekday()) % 7 if later.weekday() >= 5 else 0)
    with django_capture_on_commit_callbacks(execute=True):
        (closure,) = minutes_actions.check_add_closures(
            world.child.district, actor=world.district_admin, first=later, name="Snow day"
        )
    assert Deadline.objects.filter(student=world.child).exists()
    Deadline.objects.filter(student=world.child).delete()
    with django_capture_on_commit_callbacks(execute=True):
        minutes_actions.check_archive_closure(closure, actor=world.district_admin)
    assert Deadline.objects.filter(student=world.child).exists()
    # A write that rolls back moves nothing: the refresh waits for the commit.
    Deadline.objects.filter(student=world.child).delete()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        minutes_actions.check_add_closures(
            world.child.district, actor=world.district_admin, first=later, name="Again"
        )
    assert callbacks and not Deadline.objects.filter(student=world.child).exists()
