"""Events become notices for exactly the people the permission layer lets see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction

from samepage import factories as f
from samepage.concerns.actions import (
    check_add_concern,
    check_decline_concern,
    check_defer_concern,
    check_record_heard_concern,
)
from samepage.concerns.permissions import concern_access_for
from samepage.core.events import Event, publish
from samepage.notifications.actions import candidates, event_ids, make_notices
from samepage.notifications.models import Notice
from samepage.notifications.tasks import deliver_event
from samepage.notifications.tests.helpers import grant_consent, recipients_of
from samepage.plans.actions import lifecycle
from samepage.plans.permissions import plan_access
from samepage.teams import actions as team_actions
from samepage.teams.models import Scope
from samepage.teams.permissions import Part, student_access

pytestmark = pytest.mark.django_db

FAMILY = {"Alice Lane", "Casey Lane"}
# Staff on the team who may see the whole record (the general-education teacher sees the
# glance and the profile only, so hears nothing of plans).
PLAN_STAFF = {"Carol Case", "Priya Speech"}


@pytest.fixture
def shared(world, django_capture_on_commit_callbacks):
    plan = f.make_plan(world.child, actor=world.case_manager)
    version = f.fill_plan(plan)
    with django_capture_on_commit_callbacks(execute=True):
        return lifecycle.do_share_draft(version, actor=world.case_manager)


def test_a_shared_draft_reaches_who_may_see_plans_and_not_the_actor(world, shared):
    assert recipients_of("plan.draft_shared") == FAMILY | PLAN_STAFF - {"Carol Case"}
    expected = {
        u.full_name
        for u in candidates(world.child)
        if u != world.case_manager
        and (a := student_access(u, world.child)) is not None
        and a.can_view(Part.PLANS)
    }
    assert recipients_of("plan.draft_shared") == expected
    notice = Notice.objects.get(kind="plan.draft_shared", recipient=world.parent)
    assert notice.link == f"/plans/{shared.version.plan_id}/shared/{shared.number}/"
    assert str(notice.title) == "A draft of Casey's plan was shared with you"
    assert notice.actor == world.case_manager
    assert notice.read_at is None


def test_nobody_outside_the_childs_record_hears_of_it(world, shared):
    told = recipients_of("plan.draft_shared")
    for outsider in (
        world.restricted_parent,
        world.other_parent,
        world.outside_provider,
        world.advocate,
        world.outsider_admin,
        world.gen_ed_teacher,
    ):
        assert outsider.full_name not in told


def test_questions_and_answers_notify_the_other_side(
    world, shared, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = lifecycle.do_ask_question(
            shared, actor=world.parent, anchor="plan", text="What does LRE mean?"
        )
    assert "Carol Case" in recipients_of("plan.question_asked")
    assert "Alice Lane" not in recipients_of("plan.question_asked")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.do_reply(question, actor=world.case_manager, text="It means…", by_staff=True)
    assert "Alice Lane" in recipients_of("plan.question_answered")
    assert "Carol Case" not in recipients_of("plan.question_answered")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.do_reply(question, actor=world.parent, text="Thanks, and…", by_staff=False)
    assert "Carol Case" in recipients_of("plan.question_replied")
    notice = Notice.objects.get(kind="plan.question_answered", recipient=world.parent)
    assert str(notice.title) == "Carol Case answered a question about Casey's draft plan"
    assert notice.link == f"/plans/{shared.version.plan_id}/shared/{shared.number}/"


def test_finalizing_and_the_plan_taking_effect_notify_the_team(
    world, shared, django_capture_on_commit_callbacks
):
    version = shared.version
    lifecycle.do_record_meeting(version, actor=world.case_manager, meeting_date=world.today)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.check_finalize(version, actor=world.case_manager)
    # The parent who signs is asked to; the others hear the plan is final.
    assert recipients_of("plan.finalized") == {"Casey Lane", "Priya Speech"}
    assert recipients_of("plan.signature_requested") == {"Alice Lane"}
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.do_sign(
            version,
            actor=world.parent,
            access=plan_access(world.parent, version.plan),
            decision="agree",
            typed_name="Alice Lane",
            consent_to_initial_services=True,
        )
    assert recipients_of("plan.in_effect") == PLAN_STAFF | {"Casey Lane"}
    notice = Notice.objects.get(kind="plan.in_effect", recipient=world.case_manager)
    assert notice.link == f"/plans/{version.plan_id}/"


def test_a_concern_added_and_decided_notifies_the_other_side(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = check_add_concern(
            world.child,
            actor=world.parent,
            access=concern_access_for(world.parent, world.child),
            category="reading",
            text="Reading is hard.",
            importance="high",
        )
    assert recipients_of("concern.added") == PLAN_STAFF | {"Casey Lane"}
    with django_capture_on_commit_callbacks(execute=True):
        check_decline_concern(
            concern,
            actor=world.case_manager,
            access=concern_access_for(world.case_manager, world.child),
            reason="The data do not show it.",
        )
    assert recipients_of("concern.decided") == FAMILY | {"Priya Speech"}
    notice = Notice.objects.get(kind="concern.decided", recipient=world.parent)
    assert notice.link == f"/students/{world.child.pk}/concerns/{concern.pk}/"


def test_a_new_team_member_is_announced_to_who_sees_the_team(
    world, django_capture_on_commit_callbacks
):
    newcomer = f.make_staff(
        world.child.district, f.StaffRole.PROVIDER, schools=[world.school], name="Otto Therapy"
    )
    with django_capture_on_commit_callbacks(execute=True):
        team_actions.do_add_team_member(
            actor=world.case_manager,
            student=world.child,
            user=newcomer,
            team_role=f.TeamRole.PROVIDER,
        )
    told = recipients_of("team.member_added")
    # The team part: the general-education teacher sees the team too; the newcomer is
    # told they joined.
    assert told == FAMILY | {"Priya Speech", "Gina General", "Otto Therapy"}
    notice = Notice.objects.get(kind="team.member_added", recipient=world.parent)
    assert str(notice.title) == "Otto Therapy joined Casey's team"
    assert notice.link == f"/students/{world.child.pk}/team/"


def test_consent_granted_and_revoked_reach_who_sees_consents(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        grant = grant_consent(world, world.advocate, ["plans"])
    # Consents are a part staff with the full record see; the advocate's consent does
    # not cover the consent records, so the advocate is not told of it here (the
    # invitation or their "shared with me" list does that).
    assert recipients_of("consent.granted") == PLAN_STAFF
    with django_capture_on_commit_callbacks(execute=True):
        team_actions.do_revoke_consent(grant, actor=world.parent)
    assert recipients_of("consent.revoked") == PLAN_STAFF
    notice = Notice.objects.get(kind="consent.revoked", recipient=world.case_manager)
    assert str(notice.title) == "Alice Lane stopped sharing Casey's record with Ada Advocate"


def test_family_and_advocates_never_get_a_staff_only_notice(
    world, shared, django_capture_on_commit_callbacks
):
    grant_consent(world, world.advocate, [s.value for s in Scope])
    # Drafts the team has not shared are staff-only (families may not see that part).
    with django_capture_on_commit_callbacks(execute=True):
        publish(
            Event("plan.finalized", world.case_manager, world.child, Part.DRAFTS, shared.version)
        )
    assert recipients_of("plan.finalized") == {"Priya Speech"}
    for person in (world.parent, world.student_user, world.advocate, world.restricted_parent):
        assert not Notice.objects.filter(recipient=person, kind="plan.finalized").exists()


def test_an_advocate_hears_only_of_parts_their_consent_covers(
    world, django_capture_on_commit_callbacks
):
    profile_only = world.advocate
    with_plans = f.make_user("Pat Plans", is_advocate=True)
    grant_consent(world, profile_only, ["profile"])
    grant_consent(world, with_plans, ["plans"])
    plan = f.make_plan(world.child, actor=world.case_manager)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.do_share_draft(f.fill_plan(plan), actor=world.case_manager)
    told = recipients_of("plan.draft_shared")
    assert "Pat Plans" in told
    assert "Ada Advocate" not in told


def test_a_handler_run_twice_makes_each_notice_once(world, shared, mailoutbox):
    before = Notice.objects.count()
    sent = len(mailoutbox)
    event = Event("plan.draft_shared", world.case_manager, world.child, Part.PLANS, shared)
    assert make_notices(event) == []
    assert deliver_event.call(*event_ids(event)) == 0
    assert Notice.objects.count() == before
    assert len(mailoutbox) == sent


def test_a_task_whose_target_is_gone_makes_nothing(world, shared):
    kind, actor_id, student_id, part, type_id, _target, extra = event_ids(
        Event("plan.draft_shared", world.case_manager, world.child, Part.PLANS, shared)
    )
    assert deliver_event.call(kind, actor_id, student_id, part, type_id, 10**12, extra) == 0


def test_nothing_is_announced_for_a_write_that_rolled_back(
    world, django_capture_on_commit_callbacks
):
    plan = f.make_plan(world.child, actor=world.case_manager)
    version = f.fill_plan(plan)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                lifecycle.do_share_draft(version, actor=world.case_manager)
                raise RuntimeError("the request failed after sharing")
        except RuntimeError:
            pass
    assert not Notice.objects.exists()


def test_a_concern_heard_by_phone_and_deferred_notify_the_family(
    world, django_capture_on_commit_callbacks
):
    staff = concern_access_for(world.case_manager, world.child)
    with django_capture_on_commit_callbacks(execute=True):
        concern = check_record_heard_concern(
            world.child,
            actor=world.case_manager,
            access=staff,
            heard_from_id=world.parent.pk,
            category="behavior",
            text="Mornings are hard.",
            importance="medium",
        )
    assert recipients_of("concern.heard") == FAMILY | {"Priya Speech"}
    notice = Notice.objects.get(kind="concern.heard", recipient=world.parent)
    assert str(notice.title) == ("Carol Case wrote down a concern the family shared about Casey")
    with django_capture_on_commit_callbacks(execute=True):
        check_defer_concern(
            concern,
            actor=world.case_manager,
            access=staff,
            until=world.today + timedelta(days=30),
        )
    assert recipients_of("concern.decided") == FAMILY | {"Priya Speech"}
