"""Editing a draft through the actions: validation, optimistic revisions, lineage
decisions, audit rows, and final plans refused with the amendment path."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samepage import factories as f
from samepage.core.conflicts import EditConflict
from samepage.core.models import AuditEvent
from samepage.plans.actions import editing
from samepage.plans.models import (
    Goal,
    LineageDecision,
    PlanSection,
    PlanVersion,
    Service,
)

pytestmark = pytest.mark.django_db

START = date(2026, 9, 1)
END = date(2027, 8, 31)


def _draft(world, **extra) -> PlanVersion:
    plan = f.make_plan(
        world.child, actor=world.case_manager, proposed_start=START, proposed_end=END, **extra
    )
    return plan.versions.get(status="draft")


def _make_final(version: PlanVersion, status: str = "final") -> None:
    PlanVersion.objects.filter(pk=version.pk).update(status=status)


def _audits(action: str):
    return AuditEvent.objects.filter(action=action)


def _section(version: PlanVersion, key: str) -> PlanSection:
    return PlanSection.objects.get(version=version, key=key)


def _carried_forward_goal(world) -> tuple[PlanVersion, Goal]:
    """Last year's plan with one goal, in effect; this year's draft carries it forward."""
    last_year = _draft(world)
    editing.do_add_goal(last_year, actor=world.case_manager, area="academic", statement="Read")
    _make_final(last_year, "in_effect")
    plan = f.make_plan(world.child, actor=world.case_manager, proposed_start=START)
    version = plan.versions.get(status="draft")
    return version, Goal.objects.get(version=version)


# --- sections ---------------------------------------------------------------------------


def test_saving_a_section_bumps_its_revision_and_audits_the_change(world):
    version = _draft(world)
    saved = editing.do_save_section(
        version,
        "strengths",
        {"strengths": "  Curious and kind.\r\nLoves maps.  "},
        actor=world.case_manager,
        expected_revision=1,
    )
    assert saved.revision == 2
    assert saved.data == {"strengths": "Curious and kind.\nLoves maps."}
    assert saved.updated_by == world.case_manager
    event = _audits("plan.section_saved").get()
    assert event.actor_id == world.case_manager.pk
    assert event.changes["key"] == "strengths"
    assert event.changes["fields"] == {"strengths": ["", "Curious and kind.\nLoves maps."]}


def test_saving_the_same_text_again_changes_nothing(world):
    version = _draft(world)
    editing.do_save_section(
        version, "strengths", {"strengths": "Kind"}, actor=world.case_manager, expected_revision=1
    )
    again = editing.do_save_section(
        version, "strengths", {"strengths": "Kind"}, actor=world.case_manager, expected_revision=2
    )
    assert again.revision == 2
    assert _audits("plan.section_saved").count() == 1


def test_fields_are_parsed_by_kind(world):
    version = _draft(world)
    editing.do_save_section(
        version,
        "lre",
        {"percent_general_education": "82.5", "explanation": "Pull-out reading."},
        actor=world.case_manager,
        expected_revision=1,
    )
    editing.do_save_section(
        version,
        "special_factors",
        {"behavior_needed": "on", "braille_needed": False, "notes": ""},
        actor=world.case_manager,
        expected_revision=1,
    )
    editing.do_save_section(
        version,
        "age_of_majority",
        {"informed_on": "2027-03-01", "statement": ""},
        actor=world.case_manager,
        expected_revision=1,
    )
    assert _section(version, "lre").data["percent_general_education"] == 82.5
    factors = _section(version, "special_factors").data
    assert factors["behavior_needed"] is True
    assert factors["english_learner_needed"] is False
    assert _section(version, "age_of_majority").data["informed_on"] == "2027-03-01"


@pytest.mark.parametrize(
    ("key", "data", "field", "message"),
    [
        ("lre", {"percent_general_education": "150"}, "percent_general_education", "0 to 100"),
        ("lre", {"percent_general_education": "-1"}, "percent_general_education", "0 to 100"),
        ("lre", {"percent_general_education": "lots"}, "percent_general_education", "number"),
        ("lre", {"percent_general_education": "NaN"}, "percent_general_education", "number"),
        ("assessment", {"participation": "skip_it"}, "participation", "Choose one"),
        ("age_of_majority", {"informed_on": "2027-02-30"}, "informed_on", "date"),
        ("age_of_majority", {"informed_on": "1850-01-01"}, "informed_on", "between"),
        ("strengths", {"strengths": "x" * 20_001}, "strengths", "20,000"),
    ],
)
def test_invalid_section_values_are_refused_with_a_clear_message(world, key, data, field, message):
    version = _draft(world)
    with pytest.raises(ValidationError) as caught:
        editing.do_save_section(version, key, data, actor=world.case_manager, expected_revision=1)
    assert message in " ".join(caught.value.message_dict[field])
    assert _section(version, key).revision == 1
    assert not _audits("plan.section_saved").exists()


def test_unknown_section_or_field_is_refused(world):
    version = _draft(world)
    with pytest.raises(ValidationError, match="no section"):
        editing.do_save_section(
            version, "horoscope", {"sign": "leo"}, actor=world.case_manager, expected_revision=1
        )
    with pytest.raises(ValidationError, match="no field"):
        editing.do_save_section(
            version, "strengths", {"hobbies": "x"}, actor=world.case_manager, expected_revision=1
        )
    assert not PlanSection.objects.filter(key="horoscope").exists()


def test_a_504_plan_has_no_lre_section(world):
    version = _draft(world, plan_type="504")
    with pytest.raises(ValidationError, match="no section"):
        editing.do_save_section(
            version,
            "lre",
            {"percent_general_education": 50},
            actor=world.case_manager,
            expected_revision=1,
        )
    with pytest.raises(ValidationError):
        editing.do_add_goal(version, actor=world.case_manager, area="academic", statement="x")


def test_second_of_two_concurrent_saves_gets_both_versions(world):
    version = _draft(world)
    editing.do_save_section(
        version,
        "strengths",
        {"strengths": "Carol's"},
        actor=world.case_manager,
        expected_revision=1,
    )
    with pytest.raises(EditConflict) as caught:
        editing.do_save_section(
            version,
            "strengths",
            {"strengths": "Also mine"},
            actor=world.case_manager,
            expected_revision=1,
        )
    conflict = caught.value
    assert conflict.theirs == {"strengths": "Carol's"}
    assert conflict.yours == {"strengths": "Also mine"}
    assert conflict.revision == 2
    assert _section(version, "strengths").data == {"strengths": "Carol's"}
    # Saving again on purpose, at the new revision, wins.
    editing.do_save_section(
        version,
        "strengths",
        {"strengths": "Also mine"},
        actor=world.case_manager,
        expected_revision=2,
    )
    assert _section(version, "strengths").data == {"strengths": "Also mine"}


@pytest.mark.parametrize("status", ["final", "in_effect"])
def test_a_final_version_cannot_be_edited(world, status):
    version = _draft(world)
    goal = editing.do_add_goal(version, actor=world.case_manager, area="academic", statement="x")
    _make_final(version, status)
    before = AuditEvent.objects.count()
    attempts = [
        lambda: editing.do_save_section(
            version,
            "strengths",
            {"strengths": "x"},
            actor=world.case_manager,
            expected_revision=1,
        ),
        lambda: editing.do_set_plan_dates(
            version,
            actor=world.case_manager,
            proposed_start=START,
            proposed_end=END - timedelta(days=1),
            expected_revision=1,
        ),
        lambda: editing.do_add_service(
            version, actor=world.case_manager, category="related", description="Speech"
        ),
        lambda: editing.do_update_goal(
            goal, actor=world.case_manager, expected_revision=1, statement="y"
        ),
        lambda: editing.do_remove_goal(goal, actor=world.case_manager),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="start an amendment"):
            attempt()
    assert AuditEvent.objects.count() == before
    goal.refresh_from_db()
    assert goal.statement == "x"
    assert goal.removed_at is None


# --- plan dates -------------------------------------------------------------------------


def test_plan_dates_are_saved_with_a_revision_and_audit(world):
    version = _draft(world)
    saved = editing.do_set_plan_dates(
        version,
        actor=world.case_manager,
        proposed_start=date(2026, 9, 8),
        proposed_end=date(2027, 9, 7),
        expected_revision=1,
    )
    assert (saved.proposed_start, saved.proposed_end, saved.revision) == (
        date(2026, 9, 8),
        date(2027, 9, 7),
        2,
    )
    event = _audits("plan.dates_set").get()
    assert event.changes["fields"]["proposed_start"] == ["2026-09-01", "2026-09-08"]
    with pytest.raises(EditConflict) as caught:
        editing.do_set_plan_dates(
            version,
            actor=world.case_manager,
            proposed_start=date(2026, 9, 1),
            proposed_end=date(2027, 6, 30),
            expected_revision=1,
        )
    assert caught.value.theirs["proposed_start"] == "2026-09-08"
    assert caught.value.yours["proposed_end"] == "2027-06-30"


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2026, 9, 1), date(2026, 8, 1), "end after it starts"),
        (date(2026, 9, 1), date(2026, 9, 1), "end after it starts"),
        (date(2026, 9, 1), date(2027, 9, 3), "at most one year"),
        (date(2026, 9, 1), None, "Enter when the plan ends"),
        ("2026-13-01", date(2027, 1, 1), "Enter a date"),
    ],
)
def test_plan_dates_out_of_order_or_too_long_are_refused(world, start, end, message):
    version = _draft(world)
    with pytest.raises(ValidationError, match=message):
        editing.do_set_plan_dates(
            version,
            actor=world.case_manager,
            proposed_start=start,
            proposed_end=end,
            expected_revision=1,
        )
    version.refresh_from_db()
    assert (version.proposed_start, version.proposed_end, version.revision) == (START, END, 1)


def test_a_full_leap_year_is_allowed_and_one_day_more_is_not(world):
    # 2027-09-01 .. 2028-08-31 spans 29 February 2028: 366 days, still one year.
    version = _draft(world)
    saved = editing.do_set_plan_dates(
        version,
        actor=world.case_manager,
        proposed_start=date(2027, 9, 1),
        proposed_end=date(2028, 8, 31),
        expected_revision=1,
    )
    assert (saved.proposed_start, saved.proposed_end, saved.revision) == (
        date(2027, 9, 1),
        date(2028, 8, 31),
        2,
    )
    with pytest.raises(ValidationError, match="at most one year"):
        editing.do_set_plan_dates(
            version,
            actor=world.case_manager,
            proposed_start=date(2027, 9, 1),
            proposed_end=date(2028, 9, 2),
            expected_revision=2,
        )


# --- goals ------------------------------------------------------------------------------


def test_adding_a_goal_records_new_and_an_audit_row(world):
    version = _draft(world)
    goal = editing.do_add_goal(
        version,
        actor=world.case_manager,
        area="academic",
        statement="Read 90 words a minute",
        baseline="45 words a minute",
        objectives="Read 60 wpm by December\n\nRead 75 wpm by March\n",
    )
    assert goal.position == 0
    assert [o.statement for o in goal.objectives.all()] == [
        "Read 60 wpm by December",
        "Read 75 wpm by March",
    ]
    decision = LineageDecision.objects.get(version=version, lineage_id=goal.lineage_id)
    assert (decision.item_kind, decision.decision) == ("goal", "new")
    assert decision.decided_by == world.case_manager
    event = _audits("plan.goal_added").get()
    assert event.target_id == str(goal.pk)
    assert event.changes["values"]["statement"] == "Read 90 words a minute"
    second = editing.do_add_goal(version, actor=world.case_manager, area="motor", statement="Hop")
    assert second.position == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"area": "astrology", "statement": "x"}, "area"),
        ({"area": "academic", "statement": "   "}, "statement"),
        (
            {"area": "academic", "statement": "x", "measurement_method": "m" * 301},
            "measurement_method",
        ),
        ({"area": "academic", "statement": "x", "objectives": ["o"] * 21}, "objectives"),
        ({"area": "academic", "statement": "x", "mood": "happy"}, None),
    ],
)
def test_invalid_goals_are_refused(world, fields, field):
    version = _draft(world)
    with pytest.raises(ValidationError) as caught:
        editing.do_add_goal(version, actor=world.case_manager, **fields)
    if field:
        assert field in caught.value.message_dict
    assert not Goal.objects.filter(version=version).exists()
    assert not _audits("plan.goal_added").exists()


def test_editing_a_carried_forward_goal_records_revised(world):
    version, goal = _carried_forward_goal(world)
    decision = LineageDecision.objects.get(version=version, lineage_id=goal.lineage_id)
    assert decision.decision == "carried_forward"
    updated = editing.do_update_goal(
        goal, actor=world.case_manager, expected_revision=1, statement="Read fluently"
    )
    assert updated.revision == 2
    decision.refresh_from_db()
    assert decision.decision == "revised"
    event = _audits("plan.goal_updated").get()
    assert event.changes["fields"] == {"statement": ["Read", "Read fluently"]}


def test_editing_a_goal_new_in_this_draft_keeps_it_new(world):
    version = _draft(world)
    goal = editing.do_add_goal(version, actor=world.case_manager, area="academic", statement="A")
    editing.do_update_goal(goal, actor=world.case_manager, expected_revision=1, target="B")
    decision = LineageDecision.objects.get(version=version, lineage_id=goal.lineage_id)
    assert decision.decision == "new"


def test_goal_conflict_keeps_both(world):
    version = _draft(world)
    goal = editing.do_add_goal(version, actor=world.case_manager, area="academic", statement="A")
    editing.do_update_goal(goal, actor=world.case_manager, expected_revision=1, statement="B")
    with pytest.raises(EditConflict) as caught:
        editing.do_update_goal(goal, actor=world.case_manager, expected_revision=1, statement="C")
    assert caught.value.theirs["statement"] == "B"
    assert caught.value.yours["statement"] == "C"
    assert caught.value.revision == 2
    goal.refresh_from_db()
    assert goal.statement == "B"


def test_objectives_keep_their_lineage_when_edited(world):
    version = _draft(world)
    goal = editing.do_add_goal(
        version, actor=world.case_manager, area="academic", statement="G", objectives=["a", "b"]
    )
    first, second = goal.objectives.all()
    # Reorder, reword one, add one.
    editing.do_update_goal(
        goal, actor=world.case_manager, expected_revision=1, objectives=["b", "a, reworded", "c"]
    )
    after = list(goal.objectives.all())
    assert [o.statement for o in after] == ["b", "a, reworded", "c"]
    assert after[0].lineage_id == second.lineage_id
    assert after[1].lineage_id == first.lineage_id
    # Dropping one deletes only that one.
    editing.do_update_goal(goal, actor=world.case_manager, expected_revision=2, objectives=["b"])
    assert [o.lineage_id for o in goal.objectives.all()] == [second.lineage_id]


def test_removing_a_carried_forward_goal_retires_it_and_keeps_the_row(world):
    version, goal = _carried_forward_goal(world)
    editing.do_remove_goal(goal, actor=world.case_manager, reason="Met the goal.")
    goal.refresh_from_db()
    assert goal.removed_at is not None
    decision = LineageDecision.objects.get(version=version, lineage_id=goal.lineage_id)
    assert (decision.decision, decision.reason) == ("retired", "Met the goal.")
    assert _audits("plan.goal_removed").get().changes["reason"] == "Met the goal."
    # Removing twice is harmless.
    editing.do_remove_goal(goal, actor=world.case_manager)
    assert _audits("plan.goal_removed").count() == 1


def test_removing_a_goal_added_in_this_draft_leaves_no_decision(world):
    version = _draft(world)
    goal = editing.do_add_goal(version, actor=world.case_manager, area="academic", statement="A")
    editing.do_remove_goal(goal, actor=world.case_manager)
    assert not LineageDecision.objects.filter(lineage_id=goal.lineage_id).exists()
    assert Goal.objects.filter(pk=goal.pk, removed_at__isnull=False).exists()


def test_removing_with_a_stale_revision_is_a_conflict(world):
    version = _draft(world)
    goal = editing.do_add_goal(version, actor=world.case_manager, area="academic", statement="A")
    editing.do_update_goal(goal, actor=world.case_manager, expected_revision=1, statement="B")
    with pytest.raises(EditConflict):
        editing.do_remove_goal(goal, actor=world.case_manager, expected_revision=1)
    goal.refresh_from_db()
    assert goal.removed_at is None


# --- services ---------------------------------------------------------------------------


def _service(**extra):
    values = {
        "category": "related",
        "description": "Speech-language therapy",
        "minutes": 30,
        "frequency_unit": "week",
        "start_date": START,
        "end_date": END,
    }
    values.update(extra)
    return values


def test_adding_a_service(world):
    version = _draft(world)
    service = editing.do_add_service(
        version, actor=world.case_manager, **_service(minutes="2400", frequency_unit="week")
    )
    assert service.minutes == 2400
    assert service.delivery == "direct"
    assert _audits("plan.service_added").get().changes["values"]["start_date"] == "2026-09-01"
    decision = LineageDecision.objects.get(lineage_id=service.lineage_id)
    assert (decision.item_kind, decision.decision) == ("service", "new")


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"minutes": -30}, "minutes", "above zero"),
        ({"minutes": 0}, "minutes", "above zero"),
        ({"minutes": "thirty"}, "minutes", "whole number"),
        ({"minutes": 481, "frequency_unit": "day"}, "minutes", "480"),
        ({"minutes": 2401, "frequency_unit": "week"}, "minutes", "2,400"),
        ({"minutes": 99999, "frequency_unit": "month"}, "minutes", "10,400"),
        ({"frequency_unit": ""}, "frequency_unit", "how often"),
        ({"minutes": None}, "minutes", "how many minutes"),
        ({"frequency_unit": "fortnight"}, "frequency_unit", "Choose one"),
        ({"end_date": START - timedelta(days=1)}, "end_date", "end before it starts"),
        ({"start_date": date(2030, 1, 1), "end_date": None}, "start_date", "plan's dates"),
        ({"start_date": "1900-01-01"}, "start_date", "between"),
        ({"description": ""}, "description", "needed"),
        ({"category": ""}, "category", "Choose one"),
    ],
)
def test_invalid_services_are_refused_with_a_clear_message(world, extra, field, message):
    version = _draft(world)
    with pytest.raises(ValidationError) as caught:
        editing.do_add_service(version, actor=world.case_manager, **_service(**extra))
    assert message in " ".join(caught.value.message_dict[field])
    assert not Service.objects.filter(version=version).exists()


def test_updating_a_service_checks_the_whole_result(world):
    version = _draft(world)
    service = editing.do_add_service(version, actor=world.case_manager, **_service())
    # The limits apply to the service as it would be after the change.
    with pytest.raises(ValidationError, match="480"):
        editing.do_update_service(
            service,
            actor=world.case_manager,
            expected_revision=1,
            minutes=500,
            frequency_unit="day",
        )
    updated = editing.do_update_service(
        service, actor=world.case_manager, expected_revision=1, minutes=45
    )
    assert (updated.minutes, updated.frequency_unit, updated.revision) == (45, "week", 2)
    assert _audits("plan.service_updated").get().changes["fields"] == {"minutes": [30, 45]}
    editing.do_remove_service(updated, actor=world.case_manager, reason="Not needed")
    assert _audits("plan.service_removed").exists()


# --- accommodations ---------------------------------------------------------------------


def test_accommodations_add_update_remove(world):
    version = _draft(world)
    item = editing.do_add_accommodation(
        version, actor=world.case_manager, description="Extended time (1.5x)", applies_to="testing"
    )
    assert item.kind == "accommodation"
    item = editing.do_update_accommodation(
        item, actor=world.case_manager, expected_revision=1, kind="modification"
    )
    assert item.revision == 2
    editing.do_remove_accommodation(item, actor=world.case_manager)
    item.refresh_from_db()
    assert item.removed_at is not None
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="plan.accomm")] == [
        "plan.accommodation_added",
        "plan.accommodation_updated",
        "plan.accommodation_removed",
    ]
    with pytest.raises(ValidationError):
        editing.do_add_accommodation(
            version, actor=world.case_manager, description="x", applies_to="bus"
        )


def test_editable_draft_refuses_a_plan_without_a_draft(world):
    version = _draft(world)
    assert editing.editable_draft(version.plan) == version
    _make_final(version)
    with pytest.raises(PermissionDenied, match="start an amendment"):
        editing.editable_draft(version.plan)
