"""Ratings need data, too little data says so, issued reports never change, and
generating twice makes nothing twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from samepage.core.models import AuditEvent
from samepage.reports import actions
from samepage.reports.models import (
    GoalReportEntry,
    ProgressReport,
    ReportAcknowledgement,
    ReportComment,
)
from samepage.reports.presenters import shown_entries
from samepage.reports.selectors import settings_for
from samepage.reports.tests.helpers import (
    access_of,
    draft,
    entry_of,
    goal_with_points,
    issue,
    period,
    rate,
)

pytestmark = pytest.mark.django_db


def test_sufficient_or_met_is_refused_without_data_in_the_period(world):
    report = draft(world, values=[])
    for rating in ("sufficient", "met"):
        with pytest.raises(ValidationError) as refused:
            rate(world.case_manager, report, rating)
        assert "needs data" in refused.value.message_dict["rating"][0]
    assert entry_of(report).rating == ""
    # Other ratings need no data: "insufficient" is what no data usually means.
    assert rate(world.case_manager, report, "insufficient").rating == "insufficient"


def test_evidence_lets_a_rating_of_progress_stand_without_scores(world):
    report = draft(world, values=[])
    saved = rate(
        world.case_manager,
        report,
        "met",
        evidence_note="Casey read the whole passage aloud at the meeting.",
    )
    assert saved.rating == "met"


def test_the_refusal_speaks_the_districts_words_in_spanish(world):
    actions.do_set_report_settings(
        world.child.district,
        actor=world.district_admin,
        labels={"sufficient": {"en": "Progressing satisfactorily", "es": "Progresa bien"}},
    )
    report = draft(world, values=[])
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        rate(world.case_manager, report, "sufficient")
    assert "Progresa bien" in refused.value.message_dict["rating"][0]


def test_too_few_points_say_insufficient_data_in_plain_words(world):
    report = draft(world, values=["45", "50"])
    entry = entry_of(report)
    assert entry.points_in_period == 2
    assert entry.suggested == "insufficient_data"
    shown = shown_entries(report, [entry], settings_for(world.child.district))[0]
    assert shown.too_little_data
    assert shown.insufficient_words == (
        "Insufficient data: only 2 scores were recorded for this goal in this period "
        "(at least 3 are needed to judge progress)."
    )
    # Two scores are data: a rating of progress may be saved, and the words stay.
    assert rate(world.case_manager, report, "sufficient").rating == "sufficient"


def test_home_observations_never_count_as_data(world):
    from samepage.progress.tests import helpers as progress

    measurement = goal_with_points(world, values=[])
    for i in range(4):
        progress.record(
            world.parent, measurement, day=world.today - timedelta(days=i), series="home"
        )
    report = actions.generate_report(world.child, period(world))
    assert report is not None
    entry = entry_of(report)
    assert entry.points_in_period == 0
    assert len(entry.chart["home"]) == 4
    with pytest.raises(ValidationError):
        rate(world.case_manager, report, "sufficient")


def test_the_data_summary_is_frozen_numbers(world):
    report = draft(world, values=["45", "50", "55"])
    entry = entry_of(report)
    assert entry.points_in_period == 3
    assert entry.last_value == 55
    assert entry.last_day == world.today - timedelta(days=8)
    assert entry.trend_per_week is not None and entry.trend_per_week > 0
    assert entry.projection in ("date", "never")
    assert entry.unit == "words correct per minute"
    assert [p[1] for p in entry.chart["school"]] == [45.0, 50.0, 55.0]


def test_an_issued_report_cannot_be_changed(world):
    report = draft(world)
    issue(world, report)
    with pytest.raises(PermissionDenied):
        rate(world.case_manager, report, "insufficient")
    with pytest.raises(PermissionDenied):
        actions.check_issue_report(
            report, actor=world.case_manager, access=access_of(world.case_manager, world.child)
        )
    assert entry_of(report).rating == "sufficient"


def test_a_correction_is_a_new_revision_and_the_issued_one_stays(world):
    report = draft(world)
    issue(world, report)
    correction = actions.check_start_correction(
        report, actor=world.case_manager, access=access_of(world.case_manager, world.child)
    )
    assert (correction.revision, correction.replaces_id, correction.status) == (
        2,
        report.pk,
        "draft",
    )
    rate(world.case_manager, correction, "met")
    actions.check_issue_report(
        correction, actor=world.case_manager, access=access_of(world.case_manager, world.child)
    )
    assert entry_of(report).rating == "sufficient"
    assert entry_of(correction).rating == "met"
    with pytest.raises(ValidationError):
        actions.check_start_correction(
            report, actor=world.case_manager, access=access_of(world.case_manager, world.child)
        )


def test_issuing_needs_every_goal_rated_and_a_writer_who_may_edit_the_plan(world):
    report = draft(world)
    cm = access_of(world.case_manager, world.child)
    with pytest.raises(ValidationError) as refused:
        actions.check_issue_report(report, actor=world.case_manager, access=cm)
    assert "Choose a rating for every goal" in refused.value.messages[0]
    rate(world.provider, report, "sufficient")  # the therapist enters and rates
    with pytest.raises(PermissionDenied):
        actions.check_issue_report(
            report, actor=world.provider, access=access_of(world.provider, world.child)
        )
    with pytest.raises(PermissionDenied):  # another person's access is refused
        actions.check_issue_report(report, actor=world.provider, access=cm)


def test_generating_twice_makes_the_same_rows(world):
    goal_with_points(world)
    quarter = period(world)
    first = actions.generate_reports([world.child, world.other_child], quarter)
    rows = sorted(GoalReportEntry.objects.values_list("pk", "report_id", "goal_lineage"))
    again = actions.generate_reports([world.child, world.other_child], quarter)
    assert len(first) == 1 and again == []
    assert ProgressReport.objects.count() == 1
    assert sorted(GoalReportEntry.objects.values_list("pk", "report_id", "goal_lineage")) == rows
    assert AuditEvent.objects.filter(action="report.drafted").count() == 1


def test_periods_of_a_district_never_overlap(world):
    period(world, "First quarter")
    with pytest.raises(ValidationError) as refused:
        period(world, "Second quarter", days=10)
    assert "overlap the period “First quarter”" in refused.value.message_dict["starts"][0]
    with pytest.raises(PermissionDenied):
        actions.check_add_period(
            world.child.district,
            actor=world.case_manager,
            name="Later",
            starts=world.today + timedelta(days=100),
            ends=world.today + timedelta(days=120),
        )


def test_the_family_acknowledges_once_and_comments(world):
    report = draft(world)
    issue(world, report)
    family = access_of(world.parent, world.child)
    ack, created = actions.do_acknowledge_report(report, actor=world.parent, access=family)
    again, created_again = actions.do_acknowledge_report(report, actor=world.parent, access=family)
    assert created and not created_again and ack.pk == again.pk
    assert ReportAcknowledgement.objects.count() == 1
    actions.check_add_comment(report, actor=world.parent, access=family, text="Thank you!")
    assert ReportComment.objects.get().text == "Thank you!"
    with pytest.raises(ValidationError):
        actions.check_add_comment(report, actor=world.parent, access=family, text="  ")
    with pytest.raises(PermissionDenied):
        actions.do_acknowledge_report(
            report, actor=world.case_manager, access=access_of(world.case_manager, world.child)
        )
    # The minor student reads the report but their parents answer for it.
    with pytest.raises(PermissionDenied):
        actions.do_acknowledge_report(
            report, actor=world.student_user, access=access_of(world.student_user, world.child)
        )
