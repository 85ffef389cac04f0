"""The problem-solving actions and who may call them, as the named people of ``world``."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404

from samepage import factories as f
from samepage.core.audit import AuditEvent
from samepage.core.conflicts import EditConflict
from samepage.core.dates import district_today
from samepage.problems import actions
from samepage.problems.models import (
    AgreedTry,
    SituationProfileLink,
    SituationRevision,
    SituationStatus,
    TrickySituation,
)
from samepage.problems.permissions import access_problem_log, access_situation, access_try
from samepage.problems.tests.helpers import access_of, agree, idea, outcome, raise_situation
from samepage.profiles.models import Attribution, ProfileEntry
from samepage.profiles.tests.helpers import write
from samepage.teams import actions as team_actions
from samepage.teams.permissions import student_access

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("straddle_midnight")]


def _advocate(world, scopes):
    today = world.today
    grant = team_actions.check_grant_consent(
        actor=world.parent,
        student=world.child,
        access=student_access(world.parent, world.child),
        grantee_email=world.advocate.email,
        scopes=scopes,
        purpose="Meeting help",
        starts_on=today,
        expires_on=today + timedelta(days=60),
        signature_name="Alice Lane",
        consent_confirmed=True,
    )
    assert grant is not None
    return world.advocate


# Who may raise a situation and add ideas ---------------------------------------------------


@pytest.mark.parametrize(
    "who", ["parent", "case_manager", "provider", "gen_ed_teacher", "student_user"]
)
def test_everyone_who_sees_the_profile_raises_and_adds_ideas(world, who):
    user = getattr(world, who)
    situation = raise_situation(user, world.child)
    assert situation.raised_by == user
    assert situation.revisions.count() == 1
    added = idea(user, situation)
    assert added.author == user
    assert AuditEvent.objects.filter(action="problem.raised", target_id=str(situation.pk)).exists()


def test_an_advocate_whose_consent_covers_the_profile_raises_and_adds_ideas(world):
    advocate = _advocate(world, ["profile"])
    situation = raise_situation(advocate, world.child)
    idea(advocate, situation)
    with pytest.raises(PermissionDenied):
        agree(advocate, situation, world.parent)


def test_an_advocate_without_the_profile_in_consent_is_refused_403(world):
    advocate = _advocate(world, ["plans"])
    with pytest.raises(PermissionDenied):
        access_problem_log(advocate, world.child.pk)
    with pytest.raises(PermissionDenied):
        access_problem_log(advocate, world.child.pk, action="raise")


@pytest.mark.parametrize("who", ["other_parent", "restricted_parent", "outside_provider"])
def test_people_who_may_not_see_the_child_get_404(world, who):
    user = getattr(world, who)
    situation = raise_situation(world.parent, world.child)
    with pytest.raises(Http404):
        access_problem_log(user, world.child.pk)
    with pytest.raises(Http404):
        access_situation(user, world.child.pk, situation.pk)


def test_another_childs_situation_answers_404(world):
    theirs = raise_situation(world.other_parent, world.other_child)
    with pytest.raises(Http404):
        access_situation(world.parent, world.child.pk, theirs.pk)
    with pytest.raises(Http404):
        access_situation(world.case_manager, world.child.pk, "not-a-number")


def test_an_access_worked_out_for_someone_else_is_refused(world):
    with pytest.raises(PermissionDenied):
        actions.check_raise_situation(
            world.child,
            actor=world.parent,
            access=access_of(world.case_manager, world.child),
            summary="x",
            what_happens="y",
        )


# Tries: staff on the team agree; the owner is on the team --------------------------------


@pytest.mark.parametrize("who", ["case_manager", "provider", "gen_ed_teacher"])
def test_staff_on_the_team_agree_a_try_owned_by_a_family_member(world, who):
    situation = raise_situation(world.parent, world.child)
    agreed = agree(getattr(world, who), situation, world.parent)
    assert agreed.owner == world.parent


@pytest.mark.parametrize("who", ["parent", "student_user", "district_admin"])
def test_family_and_leaders_off_the_team_do_not_agree_tries(world, who):
    situation = raise_situation(world.parent, world.child)
    with pytest.raises(PermissionDenied):
        agree(getattr(world, who), situation, world.parent)
    with pytest.raises(PermissionDenied):
        access_situation(getattr(world, who), world.child.pk, situation.pk, action="agree")


@pytest.mark.parametrize("owner", ["other_parent", "restricted_parent", "outside_provider"])
def test_the_owner_must_be_on_the_team(world, owner):
    situation = raise_situation(world.parent, world.child)
    with pytest.raises(ValidationError) as caught:
        agree(world.case_manager, situation, getattr(world, owner))
    assert "owner" in caught.value.message_dict
    assert not AgreedTry.objects.exists()


def test_a_member_whose_membership_ended_cannot_own_a_try(world):
    situation = raise_situation(world.parent, world.child)
    leaving = f.make_staff(world.child.district, f.StaffRole.PROVIDER, schools=[world.school])
    membership = f.add_to_team(world.child, leaving, f.TeamRole.PROVIDER)
    membership.end_date = world.today
    membership.save(update_fields=["end_date"])
    with pytest.raises(ValidationError):
        agree(world.case_manager, situation, leaving)


def test_a_follow_up_before_the_start_is_refused_with_a_clear_message(world):
    situation = raise_situation(world.parent, world.child)
    with pytest.raises(ValidationError) as caught:
        agree(world.case_manager, situation, world.parent, start_in=7, follow_up_in=3)
    message = caught.value.message_dict["follow_up_on"][0]
    assert "cannot be before the try starts" in message


def test_a_follow_up_in_the_past_and_missing_dates_are_refused(world):
    situation = raise_situation(world.parent, world.child)
    with pytest.raises(ValidationError) as caught:
        agree(world.case_manager, situation, world.parent, start_in=-10, follow_up_in=-1)
    assert "already passed" in caught.value.message_dict["follow_up_on"][0]
    with pytest.raises(ValidationError) as caught:
        actions.check_agree_try(
            situation,
            actor=world.case_manager,
            access=access_of(world.case_manager, world.child),
            what="",
            owner_id="nobody",
            due_on=None,
            follow_up_on="31/02/2026",
        )
    assert set(caught.value.message_dict) == {"what", "owner", "due_on", "follow_up_on"}


def test_the_follow_up_is_compared_with_the_districts_today(world):
    situation = raise_situation(world.parent, world.child)
    today = district_today(world.child.district)
    agreed = agree(world.case_manager, situation, world.parent, start_in=0, follow_up_in=0)
    assert agreed.follow_up_on == today


# Outcomes ------------------------------------------------------------------------------------


def test_the_owner_records_the_outcome_even_as_a_parent(world):
    situation = raise_situation(world.case_manager, world.child)
    agreed = agree(world.case_manager, situation, world.parent)
    recorded = outcome(world.parent, agreed, "a_little", "Better on Mondays.")
    assert recorded.recorded_by == world.parent
    with pytest.raises(ValidationError):
        outcome(world.case_manager, agreed)


@pytest.mark.parametrize("who", ["student_user", "district_admin"])
def test_someone_who_does_not_own_the_try_and_is_not_team_staff_is_refused(world, who):
    situation = raise_situation(world.parent, world.child)
    agreed = agree(world.case_manager, situation, world.parent)
    with pytest.raises(PermissionDenied):
        outcome(getattr(world, who), agreed)
    with pytest.raises(PermissionDenied):
        access_try(getattr(world, who), world.child.pk, situation.pk, agreed.pk, action="outcome")


def test_an_unknown_result_is_refused(world):
    situation = raise_situation(world.parent, world.child)
    agreed = agree(world.case_manager, situation, world.parent)
    with pytest.raises(ValidationError):
        outcome(world.parent, agreed, "maybe")


# What helped feeds the profile, once ------------------------------------------------------


def test_what_helped_becomes_a_calming_entry_once_attributed_to_who_added_it(world):
    situation = raise_situation(world.parent, world.child)
    agreed = agree(world.case_manager, situation, world.parent)
    outcome(world.parent, agreed, "helped")
    access = access_of(world.parent, world.child)
    first = actions.check_add_to_profile(
        agreed, actor=world.parent, access=access, section="calming"
    )
    second = actions.check_add_to_profile(
        agreed, actor=world.parent, access=access, section="calming"
    )
    assert first.pk == second.pk
    assert ProfileEntry.objects.filter(student=world.child, section="calming").count() == 1
    assert first.text == agreed.what
    assert first.author == world.parent
    assert first.attribution == Attribution.GUARDIAN
    link = SituationProfileLink.objects.get(entry=first)
    assert link.situation == situation
    assert link.from_outcome == agreed.outcome


def test_staff_add_a_trigger_from_the_situation_as_a_staff_observation(world):
    situation = raise_situation(world.parent, world.child)
    agreed = agree(world.case_manager, situation, world.parent)
    outcome(world.case_manager, agreed, "helped")
    entry = actions.check_add_to_profile(
        agreed,
        actor=world.gen_ed_teacher,
        access=access_of(world.gen_ed_teacher, world.child),
        section="triggers",
    )
    assert entry.section == "triggers"
    assert entry.text == situation.what_happens
    assert entry.attribution == Attribution.STAFF_OBSERVATION


def test_a_try_that_did_not_help_does_not_feed_the_profile(world):
    situation = raise_situation(world.parent, world.child)
    agreed = agree(world.case_manager, situation, world.parent)
    outcome(world.case_manager, agreed, "did_not_help")
    with pytest.raises(ValidationError):
        actions.check_add_to_profile(
            agreed,
            actor=world.parent,
            access=access_of(world.parent, world.child),
            section="calming",
        )
    with pytest.raises(ValidationError):
        actions.check_add_to_profile(
            agreed,
            actor=world.parent,
            access=access_of(world.parent, world.child),
            section="health",
        )
    assert not ProfileEntry.objects.exists()


def test_an_advocate_reads_but_does_not_write_the_profile(world):
    advocate = _advocate(world, ["profile"])
    situation = raise_situation(world.parent, world.child)
    agreed = agree(world.case_manager, situation, world.parent)
    outcome(world.case_manager, agreed, "helped")
    with pytest.raises(PermissionDenied):
        access_try(advocate, world.child.pk, situation.pk, agreed.pk, action="feed")


# Linking the profile ----------------------------------------------------------------------


def test_a_situation_links_this_childs_triggers_and_calming_entries(world):
    trigger = write(world.parent, world.child, "triggers", "Loud rooms.")
    situation = raise_situation(world.parent, world.child, entry_ids=[str(trigger.pk)])
    assert [link.entry for link in situation.profile_links.all()] == [trigger]


def test_a_link_to_another_students_entry_is_refused(world):
    theirs = write(world.other_parent, world.other_child, "triggers", "Fire drills.")
    with pytest.raises(ValidationError) as caught:
        raise_situation(world.parent, world.child, entry_ids=[theirs.pk])
    assert "entries" in caught.value.message_dict
    assert not TrickySituation.objects.exists()


@pytest.mark.parametrize("kind", ["strengths", "private", "garbage"])
def test_links_to_other_sections_private_drafts_or_garbage_are_refused(world, kind):
    if kind == "strengths":
        target = str(write(world.parent, world.child, "strengths", "Kind.").pk)
    elif kind == "private":
        target = str(
            write(world.case_manager, world.child, "calming", "x", visibility="private_draft").pk
        )
    else:
        target = "x"
    with pytest.raises(ValidationError):
        raise_situation(world.parent, world.child, entry_ids=[target])


# Editing, closing and reopening ------------------------------------------------------------


def test_an_edit_keeps_revisions_and_a_stale_edit_is_a_conflict(world):
    situation = raise_situation(world.parent, world.child)
    access = access_of(world.parent, world.child)
    fields = {
        "summary": "Melts down after recess",
        "what_happens": "Hides and cries.",
        "when_it_happens": "After lunch recess",
        "where_it_happens": "Playground",
    }
    saved = actions.check_edit_situation(
        situation, actor=world.parent, access=access, expected_revision=1, **fields
    )
    assert saved.revision == 2
    assert SituationRevision.objects.filter(situation=situation).count() == 2
    staff = access_of(world.case_manager, world.child)
    with pytest.raises(EditConflict) as caught:
        actions.check_edit_situation(
            situation,
            actor=world.case_manager,
            access=staff,
            expected_revision=1,
            **{**fields, "what_happens": "Something else"},
        )
    assert caught.value.theirs["what_happens"] == "Hides and cries."
    assert caught.value.yours["what_happens"] == "Something else"
    situation.refresh_from_db()
    assert situation.what_happens == "Hides and cries."


def test_only_the_raiser_or_team_staff_edit_close_and_reopen(world):
    situation = raise_situation(world.parent, world.child)
    with pytest.raises(PermissionDenied):
        access_situation(world.student_user, world.child.pk, situation.pk, action="edit")
    closed = actions.check_close_situation(
        situation,
        actor=world.case_manager,
        access=access_of(world.case_manager, world.child),
        status=SituationStatus.STOPPED,
    )
    assert not closed.is_open and closed.closed_by == world.case_manager
    closed.student = world.child
    with pytest.raises(ValidationError):
        idea(world.parent, closed)
    reopened = actions.check_reopen_situation(
        closed, actor=world.parent, access=access_of(world.parent, world.child)
    )
    assert reopened.is_open and reopened.status == SituationStatus.OPEN
    assert TrickySituation.objects.count() == 1


def test_closing_needs_a_reason(world):
    situation = raise_situation(world.parent, world.child)
    with pytest.raises(ValidationError):
        actions.check_close_situation(
            situation,
            actor=world.parent,
            access=access_of(world.parent, world.child),
            status="open",
        )


# Bad text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("summary", "what"), [("", "x"), ("x", ""), ("x" * 201, "y"), ("x", "y" * 5001), (None, 5)]
)
def test_bad_text_is_a_validation_error(world, summary, what):
    with pytest.raises(ValidationError):
        raise_situation(world.parent, world.child, summary=summary, what=what)


# Reminders ---------------------------------------------------------------------------------


def test_the_follow_up_reminder_goes_once(world, django_capture_on_commit_callbacks):
    situation = raise_situation(world.parent, world.child)
    agreed = agree(world.case_manager, situation, world.parent, follow_up_in=0)
    later = agree(world.case_manager, situation, world.parent, follow_up_in=5)
    assert actions.do_send_follow_up_reminders() == 1
    assert actions.do_send_follow_up_reminders() == 0
    agreed.refresh_from_db()
    later.refresh_from_db()
    assert agreed.reminded_on == world.today
    assert later.reminded_on is None


def test_the_reminder_command_is_safe_to_run_twice(world):
    situation = raise_situation(world.parent, world.child)
    agree(world.case_manager, situation, world.parent, follow_up_in=0)
    out = io.StringIO()
    call_command("send_follow_up_reminders", stdout=out)
    call_command("send_follow_up_reminders", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 follow-up reminder(s) sent.",
        "0 follow-up reminder(s) sent.",
    ]
