"""Actions take the access object the permission layer returned, and refuse one that
belongs to someone else, to another child, or that is missing: never a loose yes/no."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from samepage import factories as f
from samepage.concerns import actions as concern_actions
from samepage.concerns.models import ParentConcern
from samepage.concerns.permissions import concern_access_for
from samepage.core.models import AuditEvent
from samepage.plans.actions import lifecycle
from samepage.plans.models import PlanSignature
from samepage.plans.permissions import plan_access
from samepage.teams import actions as team_actions
from samepage.teams.models import ConsentGrant
from samepage.teams.permissions import student_access


def _final(world):
    plan = f.make_plan(world.child, world.case_manager)
    version = f.fill_plan(plan)
    lifecycle.do_record_meeting(version, actor=world.case_manager, meeting_date=world.today)
    lifecycle.check_finalize(version, actor=world.case_manager)
    return version


def _sign(version, actor, access):
    return lifecycle.do_sign(
        version, actor=actor, access=access, decision="agree", typed_name="Someone"
    )


def test_signing_refuses_the_parents_access_in_someone_elses_hands(world):
    version = _final(world)
    parents = plan_access(world.parent, version.plan)
    assert parents is not None and parents.can_sign
    events = AuditEvent.objects.count()
    for actor, access in [
        (world.provider, parents),  # borrowed
        (world.parent, None),  # none at all
        (world.provider, plan_access(world.provider, version.plan)),  # staff do not sign
    ]:
        with pytest.raises(PermissionDenied):
            _sign(version, actor, access)
    assert PlanSignature.objects.count() == 0
    assert AuditEvent.objects.count() == events
    _sign(version, world.parent, parents)
    assert PlanSignature.objects.filter(signer=world.parent).count() == 1


def _consent(world, *, actor, student, access):
    return team_actions.check_grant_consent(
        actor=actor,
        student=student,
        access=access,
        grantee_email="helper@example.org",
        scopes=["plans"],
        purpose="Advice",
        starts_on=world.today,
        expires_on=world.today,
        signature_name="Alice Lane",
        consent_confirmed=True,
    )


def test_consent_refuses_an_access_for_another_child(world):
    others = student_access(world.other_parent, world.other_child)
    assert others is not None and others.can_grant_consent
    with pytest.raises(PermissionDenied):
        _consent(world, actor=world.other_parent, student=world.child, access=others)
    with pytest.raises(PermissionDenied):
        _consent(world, actor=world.parent, student=world.child, access=others)
    assert ConsentGrant.objects.count() == 0
    own = student_access(world.parent, world.child)
    assert _consent(world, actor=world.parent, student=world.child, access=own).pk


def test_concerns_refuse_a_borrowed_or_missing_access(world):
    parents = concern_access_for(world.parent, world.child)
    assert parents is not None and parents.can_add
    for actor, access in [(world.case_manager, parents), (world.other_parent, None)]:
        with pytest.raises(PermissionDenied):
            concern_actions.check_add_concern(
                world.child,
                actor=actor,
                access=access,
                category="reading",
                text="Reading at home",
                importance="high",
            )
    assert ParentConcern.objects.count() == 0
    concern = concern_actions.check_add_concern(
        world.child,
        actor=world.parent,
        access=parents,
        category="reading",
        text="Reading at home",
        importance="high",
    )
    with pytest.raises(PermissionDenied):
        concern_actions.check_decline_concern(
            concern, actor=world.parent, access=parents, reason="No"
        )
    staff = concern_access_for(world.case_manager, world.child)
    with pytest.raises(PermissionDenied):
        # The case manager's own access, handed over by the parent.
        concern_actions.check_decline_concern(
            concern, actor=world.parent, access=staff, reason="No"
        )
    concern.refresh_from_db()
    assert concern.outcomes.count() == 0
