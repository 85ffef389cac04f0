"""Writing conversations through the actions, and who may read and write what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samepage import factories as f
from samepage.conversations import actions
from samepage.conversations.models import Message, Thread, ThreadRead
from samepage.conversations.permissions import (
    access_message,
    access_thread,
    can_read_thread,
    conversation_access_for,
)
from samepage.conversations.selectors import people_to_write_to, threads_for, unread_total
from samepage.conversations.tests.helpers import (
    access_of,
    checked_png,
    private,
    reply,
    staff_thread,
    to_team,
)
from samepage.core.models import AuditEvent
from samepage.notifications.tests.helpers import grant_consent
from samepage.teams.models import Capability, TeamMembership
from samepage.teams.permissions import Part, student_access

pytestmark = pytest.mark.django_db


def test_the_team_thread_is_made_by_its_first_message_and_only_once(world):
    assert not Thread.objects.exists()
    first = to_team(world.parent, world.child, "Hello")
    second = to_team(world.case_manager, world.child, "Welcome")
    assert first.thread_id == second.thread_id
    assert Thread.objects.filter(kind=Thread.Kind.TEAM).count() == 1
    assert AuditEvent.objects.filter(action="thread.started").count() == 1
    assert AuditEvent.objects.filter(action="message.posted").count() == 2


def test_a_message_keeps_its_authors_language(world):
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    message = to_team(world.parent, world.child, "Hola a todos")
    assert message.language == "es"
    told = to_team(world.case_manager, world.child, "Hi", language="en")
    assert told.language == "en"


@pytest.mark.parametrize("body", ["", "   ", "\n\n"])
def test_an_empty_message_is_refused_with_a_clear_error(world, body):
    with pytest.raises(ValidationError) as caught:
        to_team(world.parent, world.child, body)
    assert caught.value.message_dict == {"body": ["Write a message before sending it."]}
    assert not Message.objects.exists()
    assert not Thread.objects.exists()


def test_a_too_long_message_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        to_team(world.parent, world.child, "x" * 10_001)
    assert "10,000" in caught.value.message_dict["body"][0]


def test_the_author_withdraws_a_message_the_row_stays_and_is_audited(world):
    message = to_team(world.parent, world.child, "Oops, wrong child")
    actions.check_withdraw_message(
        message, actor=world.parent, access=access_of(world.parent, world.child)
    )
    message.refresh_from_db()
    assert message.is_withdrawn
    assert message.body == "Oops, wrong child"
    assert AuditEvent.objects.filter(action="message.withdrawn", target_id=str(message.pk)).exists()


def test_only_the_author_withdraws(world):
    message = to_team(world.parent, world.child, "Mine")
    with pytest.raises(PermissionDenied):
        actions.check_withdraw_message(
            message, actor=world.case_manager, access=access_of(world.case_manager, world.child)
        )
    access_thread(world.case_manager, world.child.pk, message.thread_id)  # may read it
    with pytest.raises(PermissionDenied):
        access_message(
            world.case_manager, world.child.pk, message.thread_id, message.pk, action="withdraw"
        )


def test_an_access_worked_out_for_someone_else_is_refused(world):
    with pytest.raises(PermissionDenied):
        actions.check_post_to_team(
            actor=world.provider, access=access_of(world.parent, world.child), body="Hi"
        )


def test_an_attachment_is_stored_with_the_message(world):
    message = to_team(world.parent, world.child, "Homework photo", attachment=checked_png())
    stored = Message.objects.select_related("attachment").get(pk=message.pk).attachment
    assert stored.content_type == "image/png"
    assert stored.name == "homework.png"
    assert len(stored.sha256) == 64


def test_staff_only_threads_are_never_readable_by_the_family_or_an_advocate(world):
    grant_consent(world, world.advocate, ["messages"])
    message = staff_thread(world.case_manager, world.child)
    thread = message.thread
    for user in (world.parent, world.advocate):
        access = conversation_access_for(user, world.child)
        assert access is not None and access.can_read
        assert not can_read_thread(access, thread)
        assert thread not in threads_for(access)
    for user in (world.provider, world.district_admin):
        assert can_read_thread(conversation_access_for(user, world.child), thread)


def test_a_teacher_who_is_also_the_childs_parent_never_sees_staff_only_threads(world):
    f.make_guardian(world.child, world.provider)
    staff_thread(world.case_manager, world.child)
    access = conversation_access_for(world.provider, world.child)
    assert access is not None and access.record.is_family
    assert not access.can_see_staff_threads
    assert not threads_for(access).filter(kind=Thread.Kind.STAFF).exists()
    with pytest.raises(PermissionDenied):
        staff_thread(world.provider, world.child)


def test_the_family_cannot_start_a_staff_only_thread(world):
    with pytest.raises(PermissionDenied):
        staff_thread(world.parent, world.child)


def test_a_staff_only_thread_needs_a_title(world):
    with pytest.raises(ValidationError) as caught:
        staff_thread(world.case_manager, world.child, title="  ")
    assert "title" in caught.value.message_dict


def test_a_private_thread_is_read_by_its_two_people_only(world):
    message = private(world.parent, world.child, world.case_manager)
    thread = message.thread
    assert thread.person_a_id == min(world.parent.pk, world.case_manager.pk)
    assert can_read_thread(conversation_access_for(world.case_manager, world.child), thread)
    for third in (world.provider, world.district_admin):
        assert not can_read_thread(conversation_access_for(third, world.child), thread)
    # Writing again to the same person reuses the thread.
    again = private(world.case_manager, world.child, world.parent, "Sure")
    assert again.thread_id == thread.pk


def test_a_private_thread_only_with_someone_who_sees_the_messages(world):
    # The general-education teacher has no messages part; the restricted parent nothing.
    allowed = {p.pk for p in people_to_write_to(access_of(world.parent, world.child))}
    assert world.case_manager.pk in allowed
    assert world.gen_ed_teacher.pk not in allowed
    assert world.restricted_parent.pk not in allowed
    assert world.parent.pk not in allowed
    with pytest.raises(ValidationError):
        private(world.parent, world.child, world.gen_ed_teacher)
    with pytest.raises(ValidationError):
        private(world.parent, world.child, world.other_parent)


def test_no_writing_to_a_private_thread_once_the_other_person_lost_access(world):
    message = private(world.case_manager, world.child, world.provider)
    TeamMembership.objects.filter(student=world.child, user=world.provider).update(
        end_date=world.today
    )
    with pytest.raises(PermissionDenied):
        reply(world.case_manager, message.thread, "Still there?")
    # And the person who left reads nothing of the child any more.
    assert conversation_access_for(world.provider, world.child) is None


def test_staff_without_message_family_may_not_write_where_the_family_reads(world):
    membership = TeamMembership.objects.get(student=world.child, user=world.provider)
    membership.capabilities = [c for c in membership.capabilities if c != "message_family"]
    membership.save(update_fields=["capabilities"])
    access = access_of(world.provider, world.child)
    with pytest.raises(PermissionDenied):
        to_team(world.provider, world.child, "Hi")
    # Only staff are offered for a private thread; staff-only threads still work.
    offered = {p.pk for p in people_to_write_to(access)}
    assert world.parent.pk not in offered
    assert world.case_manager.pk in offered
    staff_thread(world.provider, world.child)


def test_an_advocate_reads_and_writes_in_the_team_thread_only_with_messages_consent(world):
    grant_consent(world, world.advocate, ["plans"])
    assert conversation_access_for(world.advocate, world.child) is None
    grant_consent(world, world.advocate, ["messages"])
    message = to_team(world.advocate, world.child, "Hello from the advocate")
    assert message.author == world.advocate


def _parts(user, student) -> set[str]:
    access = student_access(user, student)
    assert access is not None
    return access.parts


def test_a_membership_that_may_message_the_family_sees_the_messages_part(world):
    """teams.permissions: a general-education teacher with "message the family" (and
    not the full record) gets the messages part, and nothing else more."""
    membership = TeamMembership.objects.get(student=world.child, user=world.gen_ed_teacher)
    before = set(_parts(world.gen_ed_teacher, world.child))
    assert Part.MESSAGES not in before
    membership.capabilities = [*membership.capabilities, Capability.MESSAGE_FAMILY]
    membership.save(update_fields=["capabilities"])
    after = set(_parts(world.gen_ed_teacher, world.child))
    assert after - before == {Part.MESSAGES}
    to_team(world.gen_ed_teacher, world.child, "Casey did great in class today.")


def test_unread_counts_and_read_marks(world):
    first = to_team(world.case_manager, world.child, "One")
    to_team(world.case_manager, world.child, "Two")
    staff_thread(world.case_manager, world.child)
    parent = access_of(world.parent, world.child)
    assert unread_total(parent) == 2
    # The author's own messages are read; a staff-only thread counts for staff only.
    assert unread_total(access_of(world.case_manager, world.child)) == 0
    assert unread_total(access_of(world.provider, world.child)) == 3
    actions.do_mark_read(first.thread, actor=world.parent, access=parent, up_to=first)
    assert unread_total(parent) == 1
    # Never backwards.
    latest = Message.objects.order_by("-pk").filter(thread=first.thread).first()
    assert latest is not None
    actions.do_mark_read(first.thread, actor=world.parent, access=parent, up_to=latest)
    actions.do_mark_read(first.thread, actor=world.parent, access=parent, up_to=first)
    mark = ThreadRead.objects.get(thread=first.thread, user=world.parent)
    assert mark.last_read_message_id == latest.pk
    assert unread_total(parent) == 0


def test_withdrawn_messages_do_not_count_as_unread(world):
    message = to_team(world.case_manager, world.child, "Sent to the wrong family")
    actions.check_withdraw_message(
        message, actor=world.case_manager, access=access_of(world.case_manager, world.child)
    )
    assert unread_total(access_of(world.parent, world.child)) == 0


def test_an_expired_consent_ends_an_advocates_private_thread(world):
    grant = grant_consent(world, world.advocate, ["messages"])
    message = private(world.advocate, world.child, world.parent)
    assert can_read_thread(conversation_access_for(world.parent, world.child), message.thread)
    grant.expires_on = world.today - timedelta(days=1)
    grant.starts_on = world.today - timedelta(days=10)
    grant.save(update_fields=["expires_on", "starts_on"])
    assert conversation_access_for(world.advocate, world.child) is None
    with pytest.raises(PermissionDenied):
        reply(world.parent, message.thread, "Are you there?")
