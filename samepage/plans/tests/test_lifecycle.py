"""A plan's life: draft → shared → questions → meeting → final → signed → in effect →
amended → superseded; refused transitions leave everything as it was."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samepage import factories as f
from samepage.core.models import AuditEvent
from samepage.plans.actions import lifecycle
from samepage.plans.models import Goal, PlanQuestion, PlanSignature, PlanVersion, Service
from samepage.plans.permissions import plan_access

# Date rules are tested either side of midnight (conftest.straddle_midnight).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("straddle_midnight")]


def _ready(world):
    plan = f.make_plan(world.child, world.case_manager)
    version = f.fill_plan(plan)
    return plan, version


def test_new_plan_starts_as_an_empty_draft_with_every_section(world):
    plan = f.make_plan(world.child, world.case_manager)
    version = plan.versions.get()
    assert version.status == "draft"
    assert version.number == 1
    assert plan.is_initial
    assert {s.key for s in version.sections.all()} >= {"strengths", "present_levels", "lre"}
    assert AuditEvent.objects.filter(action="plan.created").exists()


def test_shared_draft_is_frozen_and_later_edits_stay_private(world):
    _plan, version = _ready(world)
    shared = lifecycle.do_share_draft(version, actor=world.case_manager, message="Please read")
    Goal.objects.filter(version=version).update(statement="Changed after sharing")
    shared.refresh_from_db()
    assert shared.content["goals"][0]["statement"] == "Read grade-level text fluently"
    again = lifecycle.do_share_draft(version, actor=world.case_manager)
    assert again.number == 2
    assert again.content["goals"][0]["statement"] == "Changed after sharing"


def test_questions_are_open_answered_resolved(world):
    _plan, version = _ready(world)
    shared = lifecycle.do_share_draft(version, actor=world.case_manager)
    goal_anchor = f"goal:{shared.content['goals'][0]['lineage_id']}"
    question = lifecycle.do_ask_question(
        shared, actor=world.parent, anchor=goal_anchor, text="¿Por qué 90 palabras?"
    )
    assert question.status == "open"
    lifecycle.do_reply(question, actor=world.case_manager, text="Grade norm.", by_staff=True)
    question.refresh_from_db()
    assert question.status == "answered"
    lifecycle.do_reply(question, actor=world.parent, text="Thanks, one more?", by_staff=False)
    question.refresh_from_db()
    assert question.status == "open"
    lifecycle.do_resolve_question(question, actor=world.parent)
    question.refresh_from_db()
    assert question.status == "resolved"
    with pytest.raises(ValidationError):
        lifecycle.do_reply(question, actor=world.parent, text="x", by_staff=False)


def test_question_on_a_part_not_in_the_snapshot_is_refused(world):
    _plan, version = _ready(world)
    shared = lifecycle.do_share_draft(version, actor=world.case_manager)
    with pytest.raises(ValidationError):
        lifecycle.do_ask_question(shared, actor=world.parent, anchor="goal:nonsense", text="?")
    with pytest.raises(ValidationError):
        lifecycle.do_ask_question(shared, actor=world.parent, anchor="plan", text="   ")
    assert not PlanQuestion.objects.exists()


def test_finalize_needs_a_meeting_then_freezes_the_content(world):
    _plan, version = _ready(world)
    with pytest.raises(lifecycle.FinalizeBlocked) as blocked:
        lifecycle.check_finalize(version, actor=world.case_manager)
    assert [e.code for e in blocked.value.errors] == ["no_meeting"]
    lifecycle.do_record_meeting(version, actor=world.case_manager, meeting_date=world.today)
    lifecycle.check_finalize(version, actor=world.case_manager)
    version.refresh_from_db()
    assert version.status == "final"
    assert version.content["services"][0]["minutes"] == 150
    with pytest.raises(PermissionDenied, match="amendment"):
        lifecycle.require_draft(version)


def test_finalize_lists_hard_errors_with_their_anchors(world):
    plan = f.make_plan(world.child, world.case_manager)
    version = plan.versions.get()
    goal = Goal.objects.create(version=version, area="academic", statement="Read more")
    Service.objects.create(version=version, category="related", description="Speech therapy")
    lifecycle.do_record_meeting(version, actor=world.case_manager, meeting_date=world.today)
    before = AuditEvent.objects.count()
    with pytest.raises(lifecycle.FinalizeBlocked) as blocked:
        lifecycle.check_finalize(version, actor=world.case_manager)
    codes = {e.code for e in blocked.value.errors}
    assert {"missing_section", "goal_incomplete", "service_incomplete"} <= codes
    assert f"goal:{goal.lineage_id}" in {e.anchor for e in blocked.value.errors}
    version.refresh_from_db()
    assert version.status == "draft"
    assert AuditEvent.objects.count() == before


def test_warnings_need_a_recorded_reason(world):
    _plan, version = _ready(world)
    version.accommodations.all().delete()
    lifecycle.do_record_meeting(version, actor=world.case_manager, meeting_date=world.today)
    with pytest.raises(lifecycle.FinalizeBlocked) as blocked:
        lifecycle.check_finalize(version, actor=world.case_manager)
    assert not blocked.value.errors
    assert [w.code for w in blocked.value.warnings] == ["no_accommodations"]
    lifecycle.check_finalize(
        version, actor=world.case_manager, overrides={"no_accommodations": "None needed yet"}
    )
    version.refresh_from_db()
    assert version.finalize_overrides[0]["reason"] == "None needed yet"


def test_transition_and_majority_are_required_at_those_ages(world):
    child = world.child
    child.date_of_birth = world.today - timedelta(days=int(365.25 * 17) + 30)
    child.save(update_fields=["date_of_birth"])
    _plan, version = _ready(world)
    lifecycle.do_record_meeting(version, actor=world.case_manager, meeting_date=world.today)
    with pytest.raises(lifecycle.FinalizeBlocked) as blocked:
        lifecycle.check_finalize(version, actor=world.case_manager)
    codes = {e.code for e in blocked.value.errors}
    assert {"transition_missing", "majority_missing"} <= codes


def test_signing_puts_the_first_plan_in_effect_only_with_consent(world):
    _plan, version = _ready(world)
    lifecycle.do_record_meeting(version, actor=world.case_manager, meeting_date=world.today)
    lifecycle.check_finalize(version, actor=world.case_manager)
    lifecycle.do_sign(
        version,
        actor=world.parent,
        access=plan_access(world.parent, version.plan),
        decision="agree",
        typed_name="Alice Lane",
    )
    version.refresh_from_db()
    assert version.status == "final"  # first plan: no consent to initial services yet
    second = f.make_user("Second Parent")
    f.make_guardian(world.child, second)
    lifecycle.do_sign(
        version,
        actor=second,
        access=plan_access(second, version.plan),
        decision="agree",
        typed_name="Second Parent",
        consent_to_initial_services=True,
    )
    version.refresh_from_db()
    assert version.status == "in_effect"
    assert version.effective_from == version.proposed_start
    assert version.annual_review_due is not None


def test_signing_twice_or_without_rights_is_refused(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    with pytest.raises(ValidationError, match="already signed"):
        lifecycle.do_sign(
            version,
            actor=world.parent,
            access=plan_access(world.parent, version.plan),
            decision="agree",
            typed_name="Alice",
        )
    with pytest.raises(PermissionDenied):
        lifecycle.do_sign(
            version,
            actor=world.provider,
            access=plan_access(world.provider, version.plan),
            decision="agree",
            typed_name="P",
        )
    assert PlanSignature.objects.filter(version=version).count() == 1


@pytest.mark.parametrize(
    "decision,extra,field",
    [
        ("agree_except", {}, "exceptions"),
        ("disagree", {}, "statement"),
        ("maybe", {}, "decision"),
        ("agree", {"typed_name": " "}, "typed_name"),
    ],
)
def test_signature_needs_its_explanations(world, decision, extra, field):
    _plan, version = _ready(world)
    lifecycle.do_record_meeting(version, actor=world.case_manager, meeting_date=world.today)
    lifecycle.check_finalize(version, actor=world.case_manager)
    values = {"typed_name": "Alice Lane", **extra}
    with pytest.raises(ValidationError) as error:
        lifecycle.do_sign(
            version,
            actor=world.parent,
            access=plan_access(world.parent, version.plan),
            decision=decision,
            **values,
        )
    assert field in error.value.message_dict


def test_amendment_makes_a_new_version_that_replaces_the_old_one(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    plan = version.plan
    effective = world.today + timedelta(days=7)
    amendment = lifecycle.do_start_amendment(
        plan,
        actor=world.case_manager,
        reason="More speech time",
        parts=["services"],
        effective_date=effective,
    )
    assert amendment.number == 2
    assert amendment.kind == "amendment"
    old_lineages = {s.lineage_id for s in Service.objects.filter(version=version)}
    assert {s.lineage_id for s in Service.objects.filter(version=amendment)} == old_lineages
    lifecycle.check_finalize(amendment, actor=world.case_manager)
    lifecycle.do_sign(
        amendment,
        actor=world.parent,
        access=plan_access(world.parent, amendment.plan),
        decision="agree",
        typed_name="Alice Lane",
    )
    version.refresh_from_db()
    amendment.refresh_from_db()
    assert version.status == "superseded"
    assert amendment.status == "in_effect"
    assert amendment.effective_from == effective
    assert amendment.annual_review_due == version.annual_review_due


def test_amendment_needs_a_plan_in_effect_and_a_reason(world):
    plan, _version = _ready(world)
    with pytest.raises(ValidationError):
        lifecycle.do_start_amendment(
            plan, actor=world.case_manager, reason="", parts=[], effective_date=None
        )
    with pytest.raises(ValidationError, match="already has a draft"):
        lifecycle.do_start_amendment(
            plan,
            actor=world.case_manager,
            reason="x",
            parts=["services"],
            effective_date=world.today,
        )
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_next_years_plan_carries_items_forward_by_lineage(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    next_plan = f.make_plan(world.child, world.case_manager)
    draft = next_plan.versions.get()
    assert next_plan.previous_plan == version.plan
    assert not next_plan.is_initial
    old = {g.lineage_id for g in Goal.objects.filter(version=version)}
    assert {g.lineage_id for g in Goal.objects.filter(version=draft)} == old
    assert set(draft.decisions.values_list("decision", flat=True)) == {"carried_forward"}


def test_ending_a_plan(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    lifecycle.do_end_plan(version.plan, actor=world.case_manager, reason="Moved away")
    version.refresh_from_db()
    assert version.status == "ended"
    with pytest.raises(ValidationError):
        lifecycle.do_end_plan(version.plan, actor=world.case_manager, reason="Again")


def test_shared_draft_numbers_run_across_the_whole_plan(world):
    plan, draft = _ready(world)
    lifecycle.do_share_draft(draft, actor=world.case_manager)
    lifecycle.do_record_meeting(draft, actor=world.case_manager, meeting_date=world.today)
    lifecycle.check_finalize(draft, actor=world.case_manager)
    lifecycle.do_sign(
        draft,
        actor=world.parent,
        access=plan_access(world.parent, draft.plan),
        decision="agree",
        typed_name="Alice Lane",
        consent_to_initial_services=True,
    )
    version = PlanVersion.objects.get(plan=plan, number=1)
    amendment = lifecycle.do_start_amendment(
        version.plan,
        actor=world.case_manager,
        reason="x",
        parts=["services"],
        effective_date=world.today,
    )
    first = lifecycle.do_share_draft(amendment, actor=world.case_manager)
    second = lifecycle.do_share_draft(amendment, actor=world.case_manager)
    assert (first.number, second.number) == (2, 3)


def test_questions_close_when_the_plan_is_finalized(world):
    _plan, version = _ready(world)
    shared = lifecycle.do_share_draft(version, actor=world.case_manager)
    lifecycle.do_record_meeting(version, actor=world.case_manager, meeting_date=world.today)
    lifecycle.check_finalize(version, actor=world.case_manager)
    shared.refresh_from_db()
    with pytest.raises(ValidationError, match="closed for questions"):
        lifecycle.do_ask_question(shared, actor=world.parent, anchor="plan", text="Late?")


def test_unknown_plan_type_is_refused(world):
    with pytest.raises(ValidationError):
        lifecycle.do_create_plan(world.child, actor=world.case_manager, plan_type="xyz")
