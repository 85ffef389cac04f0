"""Concern actions and rules, tested directly (STYLE rule 9)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from samepage import factories as f
from samepage.concerns import actions
from samepage.concerns.models import ConcernOutcome
from samepage.concerns.permissions import access_concerns, concern_access_for
from samepage.concerns.selectors import concerns_for, link_targets
from samepage.concerns.tests.helpers import (
    add,
    consent,
    decline,
    defer,
    draft_with_goal,
    goal_target,
    link,
    rows,
)
from samepage.core.models import AuditEvent
from samepage.plans.models import Goal, Service

# Date rules are tested either side of midnight (conftest.straddle_midnight).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("straddle_midnight")]


def _fresh(concern):
    return concerns_for(concern.student).get(pk=concern.pk)


def test_a_guardian_adds_a_concern_verbatim_with_an_audit_row(world):
    text = "  He cries before school.\nEvery day.  "
    concern = add(world, text=text)
    assert concern.text == "He cries before school.\nEvery day."
    assert concern.author == world.parent
    assert concern.on_behalf_of is None
    assert _fresh(concern).status == "open"
    assert AuditEvent.objects.filter(action="concern.added", target_id=str(concern.pk)).exists()


def test_link_marks_the_concern_addressed_and_keeps_where_it_landed(world):
    version = draft_with_goal(world)
    concern = add(world)
    outcome = link(world, concern, version)
    concern = _fresh(concern)
    assert concern.status == "addressed"
    assert [o.target for o in concern.state.landed] == [goal_target(version)]
    assert outcome.target_label == "Read grade-level text fluently"
    assert outcome.plan_id == version.plan_id


def test_a_concern_can_land_in_several_places(world):
    version = draft_with_goal(world)
    concern = add(world)
    link(world, concern, version)
    link(world, concern, version, target="section:present_levels", note="")
    service = Service.objects.get(version=version)
    link(world, concern, version, target=f"service:{service.lineage_id}")
    assert len(_fresh(concern).state.landed) == 3


def test_linking_the_same_thing_twice_is_refused(world):
    version = draft_with_goal(world)
    concern = add(world)
    link(world, concern, version)
    before = rows()
    with pytest.raises(ValidationError) as e:
        link(world, concern, version)
    assert "target" in e.value.message_dict
    assert rows() == before


def test_decline_keeps_its_reason_in_its_own_field(world):
    draft_with_goal(world)
    concern = add(world)
    outcome = decline(world, concern, reason="The team sees no need for an aide.")
    assert outcome.decline_reason == "The team sees no need for an aide."
    assert outcome.note == ""
    assert _fresh(concern).status == "declined"


def test_decline_needs_a_reason(world):
    concern = add(world)
    before = rows()
    with pytest.raises(ValidationError) as e:
        decline(world, concern, reason="   ")
    assert "reason" in e.value.message_dict
    assert rows() == before


def test_defer_needs_a_date_after_today(world):
    concern = add(world)
    before = rows()
    for until in (None, world.today, world.today - timedelta(days=3)):
        with pytest.raises(ValidationError):
            actions.check_defer_concern(
                concern,
                actor=world.case_manager,
                access=concern_access_for(world.case_manager, concern.student),
                until=until,
            )
    assert rows() == before
    defer(world, concern)
    concern = _fresh(concern)
    assert concern.status == "deferred"
    assert concern.state.latest.deferred_until > world.today


def test_every_outcome_is_kept_and_the_latest_decides(world):
    version = draft_with_goal(world)
    concern = add(world)
    defer(world, concern)
    decline(world, concern)
    link(world, concern, version)
    concern = _fresh(concern)
    assert [o.kind for o in concern.outcomes.all()] == ["deferred", "declined", "addressed"]
    assert concern.status == "addressed"
    # Only the links since the last decision count as where it landed.
    assert len(concern.state.landed) == 1


def test_a_goal_of_another_student_is_refused_and_nothing_changes(world):
    mine = draft_with_goal(world)
    theirs = f.fill_plan(f.make_plan(world.other_child, world.district_admin))
    concern = add(world)
    before = rows()
    # Their plan, their goal.
    with pytest.raises(ValidationError) as e:
        link(world, concern, mine, plan_id=theirs.plan_id, target=goal_target(theirs))
    assert "plan_id" in e.value.message_dict
    # My plan, their goal's lineage id.
    with pytest.raises(ValidationError) as e:
        link(world, concern, mine, target=goal_target(theirs))
    assert "target" in e.value.message_dict
    assert rows() == before


@pytest.mark.parametrize(
    "target",
    [
        "goal:not-a-uuid",
        "goal:00000000-0000-0000-0000-000000000000",
        "section:parent_concerns",
        "section:no_such_section",
        "plan",
        "",
        "<script>alert(1)</script>",
    ],
)
def test_forged_or_meaningless_targets_are_refused(world, target):
    version = draft_with_goal(world)
    concern = add(world)
    before = rows()
    with pytest.raises(ValidationError):
        link(world, concern, version, target=target)
    assert rows() == before


def test_a_goal_taken_out_of_the_draft_is_no_longer_a_target(world):
    version = draft_with_goal(world)
    Goal.objects.filter(version=version).update(removed_at=timezone.now())
    concern = add(world)
    with pytest.raises(ValidationError):
        link(world, concern, version)


def test_targets_come_from_the_draft_and_the_plan_in_effect_only(world):
    in_effect = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    targets = {t.target for t in link_targets(world.child)}
    assert goal_target(in_effect) in targets
    assert "section:present_levels" in targets
    assert "section:parent_concerns" not in targets
    assert link_targets(world.other_child) == []


@pytest.mark.parametrize("text", ["", "   \n ", "x" * 5001])
def test_empty_or_oversized_text_is_a_clear_error(world, text):
    before = rows()
    with pytest.raises(ValidationError) as e:
        add(world, text=text)
    assert "text" in e.value.message_dict
    assert rows() == before


def test_text_of_exactly_the_limit_is_kept_whole(world):
    concern = add(world, text="y" * 5000)
    assert len(concern.text) == 5000


def test_bad_choices_are_errors(world):
    with pytest.raises(ValidationError) as e:
        add(world, category="rockets", importance="urgent")
    assert set(e.value.message_dict) == {"category", "importance"}


def test_staff_record_a_concern_heard_by_phone_attributed_to_both(world):
    concern = actions.check_record_heard_concern(
        world.child,
        actor=world.case_manager,
        access=concern_access_for(world.case_manager, world.child),
        heard_from_id=world.parent.pk,
        category="behavior",
        text="She said mornings are hard.",
        importance="medium",
    )
    assert concern.recorded_by_phone is True
    assert concern.author == world.case_manager
    assert concern.heard_from == world.parent
    assert concern.said_by == world.parent


@pytest.mark.parametrize("who", ["restricted_parent", "other_parent", "advocate"])
def test_a_phone_concern_is_only_attributed_to_this_childs_guardians(world, who):
    before = rows()
    with pytest.raises(ValidationError) as e:
        actions.check_record_heard_concern(
            world.child,
            actor=world.case_manager,
            access=concern_access_for(world.case_manager, world.child),
            heard_from_id=getattr(world, who).pk,
            category="behavior",
            text="Something.",
            importance="medium",
        )
    assert "heard_from" in e.value.message_dict
    assert rows() == before


def test_the_actions_refuse_without_permission(world):
    concern = add(world)
    with pytest.raises(PermissionDenied):
        actions.check_add_concern(
            world.child,
            actor=world.provider,
            access=concern_access_for(world.provider, world.child),
            category="reading",
            text="x",
            importance="low",
        )
    with pytest.raises(PermissionDenied):
        actions.check_decline_concern(
            concern,
            actor=world.parent,
            access=concern_access_for(world.parent, concern.student),
            reason="x",
        )


# Who may do what ----------------------------------------------------------------------


def test_guardian_and_staff_rules(world):
    assert access_concerns(world.parent, world.child.pk, action="add").can_add
    cm = access_concerns(world.case_manager, world.child.pk, action="respond")
    assert cm.can_respond and not cm.can_add
    with pytest.raises(PermissionDenied):
        access_concerns(world.case_manager, world.child.pk, action="add")
    with pytest.raises(PermissionDenied):
        access_concerns(world.provider, world.child.pk, action="respond")
    with pytest.raises(PermissionDenied):
        access_concerns(world.parent, world.child.pk, action="respond")
    with pytest.raises(PermissionDenied):
        access_concerns(world.gen_ed_teacher, world.child.pk)
    for outsider in (world.other_parent, world.restricted_parent, world.outsider_admin):
        with pytest.raises(Http404):
            access_concerns(outsider, world.child.pk)


def test_a_minor_student_reads_but_does_not_add(world):
    access = access_concerns(world.student_user, world.child.pk)
    assert not access.can_add
    with pytest.raises(PermissionDenied):
        access_concerns(world.student_user, world.child.pk, action="add")


def test_an_adult_student_adds_their_own_concerns(world):
    world.child.date_of_birth = world.today.replace(year=world.today.year - 19)
    world.child.save(update_fields=["date_of_birth"])
    assert access_concerns(world.student_user, world.child.pk, action="add").can_add


def test_an_advocate_with_the_plans_scope_writes_on_behalf_of_the_guardian(world):
    consent(world, ["plans"])
    access = access_concerns(world.advocate, world.child.pk, action="add")
    assert access.on_behalf_of == world.parent
    concern = actions.check_add_concern(
        world.child,
        actor=world.advocate,
        access=access,
        category="services",
        text="The family asks about speech therapy.",
        importance="high",
    )
    assert concern.author == world.advocate
    assert concern.on_behalf_of == world.parent
    assert concern.said_by == world.parent


def test_an_advocate_without_the_plans_scope_is_refused(world):
    consent(world, ["profile", "progress"])
    with pytest.raises(PermissionDenied):
        access_concerns(world.advocate, world.child.pk, action="add")


def test_an_advocate_without_any_consent_does_not_see_the_student(world):
    with pytest.raises(Http404):
        access_concerns(world.advocate, world.child.pk)


def test_outcomes_are_never_deleted(world):
    concern = add(world)
    decline(world, concern)
    with pytest.raises(Exception):  # noqa: B017 - PROTECT keeps the history
        concern.delete()
    assert ConcernOutcome.objects.filter(concern=concern).count() == 1
