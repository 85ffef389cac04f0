"""``Plan.review_due`` follows the version in effect through every change, whoever makes it.

The triggers of migration 0003 keep it; the school leader's overdue list and every plan
label read it. Each step is checked against the versions themselves.
"""

from datetime import timedelta

import pytest

from samepage import factories as f
from samepage.plans.actions import lifecycle
from samepage.plans.models import Plan, PlanVersion
from samepage.plans.selectors import overdue_plans

pytestmark = pytest.mark.django_db


def _from_versions(plan: Plan) -> object:
    version = plan.versions.filter(status=PlanVersion.Status.IN_EFFECT).order_by("-number").first()
    return version.annual_review_due if version else None


def _stored(plan: Plan) -> object:
    return Plan.objects.values_list("review_due", flat=True).get(pk=plan.pk)


def test_review_date_is_on_the_plan_from_in_effect_to_amended_to_ended(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    plan = version.plan
    assert _stored(plan) is not None
    assert _stored(plan) == _from_versions(plan) == version.annual_review_due

    amendment = f.amend_into_effect(version, actor=world.case_manager, signer=world.parent)
    assert _stored(plan) == _from_versions(plan) == amendment.annual_review_due

    lifecycle.do_end_plan(plan, actor=world.case_manager, reason="Moved away")
    assert _stored(plan) is None


def test_a_draft_or_final_plan_has_no_review_date(world):
    plan = f.make_plan(world.child, world.case_manager)
    version = f.fill_plan(plan)
    assert _stored(plan) is None
    lifecycle.do_record_meeting(
        version, actor=world.case_manager, meeting_date=version.proposed_start
    )
    lifecycle.check_finalize(version, actor=world.case_manager)
    assert PlanVersion.objects.get(pk=version.pk).status == PlanVersion.Status.FINAL
    assert _stored(plan) is None


def test_a_change_made_outside_the_actions_reaches_the_plan(world):
    # A bulk update (a data fix, an import) bypasses every model method.
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    moved = version.annual_review_due - timedelta(days=400)
    PlanVersion.objects.filter(pk=version.pk).update(annual_review_due=moved)
    assert _stored(version.plan) == moved
    assert list(overdue_plans(world.case_manager)) == [version.plan]
    PlanVersion.objects.filter(pk=version.pk).update(status=PlanVersion.Status.SUPERSEDED)
    assert _stored(version.plan) is None
    assert list(overdue_plans(world.case_manager)) == []


def test_saving_a_plan_read_before_its_versions_changed_keeps_the_new_date(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    stale = Plan.objects.get(pk=version.plan_id)
    moved = version.annual_review_due + timedelta(days=30)
    PlanVersion.objects.filter(pk=version.pk).update(annual_review_due=moved)
    stale.is_initial = not stale.is_initial
    stale.save()
    assert _stored(stale) == moved
