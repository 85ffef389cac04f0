"""Who may post and read quick updates and home notes, and what a bad one gets."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from samepage.core.models import AuditEvent
from samepage.teams.models import Capability, TeamMembership
from samepage.updates import actions
from samepage.updates.models import HomeNote, QuickUpdate
from samepage.updates.permissions import access_note, access_update, access_updates
from samepage.updates.tests.helpers import access_of, advocate_with, note, post

pytestmark = pytest.mark.django_db


def _read_only_teacher(world):
    """Gina, widened to view the record (so she reads messages) but not to message."""
    TeamMembership.objects.filter(student=world.child, user=world.gen_ed_teacher).update(
        capabilities=[Capability.VIEW_RECORD]
    )
    return world.gen_ed_teacher


def test_staff_who_message_the_family_post_and_everyone_with_messages_reads(world):
    update = post(world.case_manager, world.child, day="great")
    assert update.language == "en"
    assert post(world.provider, world.child).author == world.provider
    messaging = advocate_with(world, "Mia Messages", ["messages"])
    for reader in (world.parent, messaging, world.provider, world.school_leader):
        access = access_updates(reader, world.child.pk)
        assert access.can_read
        assert access_update(reader, world.child.pk, update.pk)[1] == update


def test_who_may_not_post_an_update(world):
    teacher = _read_only_teacher(world)
    assert access_updates(teacher, world.child.pk).can_read
    for user in (teacher, world.school_leader, world.parent):
        with pytest.raises(PermissionDenied):
            access_updates(user, world.child.pk, action="post_update")
        with pytest.raises(PermissionDenied):
            post(user, world.child)
    assert not QuickUpdate.objects.exists()


def test_who_may_not_read(world):
    # Gina by default sees the profile and the plan at a glance, not messages.
    with pytest.raises(PermissionDenied):
        access_updates(world.gen_ed_teacher, world.child.pk)
    plans_only = advocate_with(world, "Pat Plans", ["plans"])
    with pytest.raises(PermissionDenied):
        access_updates(plans_only, world.child.pk)
    # The minor student has the plans but not messages.
    with pytest.raises(PermissionDenied):
        access_updates(world.student_user, world.child.pk)
    for outsider in (world.other_parent, world.restricted_parent, world.outside_provider):
        with pytest.raises(Http404):
            access_updates(outsider, world.child.pk)


def test_family_writes_home_notes_and_staff_do_not(world):
    written = note(world.parent, world.child, text="New medication from Monday.", kind="health")
    assert written.kind == "health"
    assert access_note(world.case_manager, world.child.pk, written.pk)[1] == written
    for user in (world.case_manager, advocate_with(world, "Mia Messages", ["messages"])):
        with pytest.raises(PermissionDenied):
            access_updates(user, world.child.pk, action="write_note")
        with pytest.raises(PermissionDenied):
            note(user, world.child)
    with pytest.raises(Http404):
        access_updates(world.restricted_parent, world.child.pk, action="write_note")


def test_another_childs_parent_gets_404_for_each_record(world):
    update = post(world.case_manager, world.child)
    written = note(world.parent, world.child)
    with pytest.raises(Http404):
        access_update(world.other_parent, world.child.pk, update.pk)
    with pytest.raises(Http404):
        access_note(world.other_parent, world.child.pk, written.pk)
    # Asked through his own child, another child's update is missing.
    with pytest.raises(Http404):
        access_update(world.other_parent, world.other_child.pk, update.pk)


def test_empty_text_and_missing_marker_are_refused(world):
    with pytest.raises(ValidationError) as caught:
        post(world.case_manager, world.child, text="   ", day="")
    assert set(caught.value.message_dict) == {"text", "day"}
    with pytest.raises(ValidationError) as caught:
        note(world.parent, world.child, text="\n", kind="nonsense")
    assert set(caught.value.message_dict) == {"text", "kind"}
    with pytest.raises(ValidationError):
        post(world.case_manager, world.child, text="x" * 2001)
    assert not QuickUpdate.objects.exists() and not HomeNote.objects.exists()


def test_an_access_worked_out_for_someone_else_is_refused(world):
    with pytest.raises(PermissionDenied):
        actions.check_post_update(
            world.child,
            actor=world.provider,
            access=access_of(world.case_manager, world.child),
            text="Hi",
            day="good",
        )


def test_withdraw_keeps_the_row_and_is_audited(world):
    update = post(world.case_manager, world.child)
    access, found = access_update(world.case_manager, world.child.pk, update.pk, action="withdraw")
    actions.do_withdraw_update(found, actor=world.case_manager, access=access)
    update.refresh_from_db()
    assert update.is_withdrawn and update.withdrawn_by == world.case_manager
    assert update.text == "Casey read two pages aloud today."
    assert AuditEvent.objects.filter(action="update.withdrawn", target_id=str(update.pk)).exists()
    with pytest.raises(PermissionDenied):
        access_update(world.case_manager, world.child.pk, update.pk, action="withdraw")
    written = note(world.parent, world.child)
    with pytest.raises(PermissionDenied):
        access_note(world.case_manager, world.child.pk, written.pk, action="withdraw")
    access, found_note = access_note(world.parent, world.child.pk, written.pk, action="withdraw")
    actions.do_withdraw_note(found_note, actor=world.parent, access=access)
    assert HomeNote.objects.get(pk=written.pk).is_withdrawn


def test_the_language_written_in_is_kept_and_an_unknown_one_refused(world):
    assert post(world.case_manager, world.child, language="es").language == "es"
    with pytest.raises(ValidationError) as caught:
        post(world.case_manager, world.child, language="xx")
    assert "language" in caught.value.message_dict
