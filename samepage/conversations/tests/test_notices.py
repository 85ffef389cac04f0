"""A message's notices, emails and digests reach only those who may read its thread."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from samepage import factories as f
from samepage.conversations.tests.helpers import private, staff_thread, to_team
from samepage.notifications.actions import do_set_email_preferences
from samepage.notifications.emails import send_digest_now, send_notice_email_now
from samepage.notifications.models import Notice
from samepage.notifications.tests.helpers import grant_consent

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
AFTERNOON = datetime(2026, 6, 10, 14, 0, tzinfo=CHICAGO)


@pytest.fixture(autouse=True)
def _afternoon() -> Iterator[None]:
    # Outside everyone's quiet hours and past the digest hour.
    with time_machine.travel(AFTERNOON, tick=True):
        yield


def _told(kind: str = "message.posted") -> set[str]:
    return set(Notice.objects.filter(kind=kind).values_list("recipient__full_name", flat=True))


def test_a_team_message_notifies_everyone_who_reads_the_team_thread(
    world, django_capture_on_commit_callbacks
):
    grant_consent(world, world.advocate, ["messages"])
    with django_capture_on_commit_callbacks(execute=True):
        message = to_team(world.case_manager, world.child, "Casey read a whole book!")
    assert _told() == {"Alice Lane", "Priya Speech", "Ada Advocate"}
    notice = Notice.objects.get(recipient=world.parent)
    assert notice.link.endswith(f"/conversations/{message.thread_id}/#message-{message.pk}")
    assert notice.title == "Carol Case wrote in a conversation about Casey"


def test_a_staff_only_message_notifies_only_staff_who_read_staff_threads(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    grant_consent(world, world.advocate, ["messages"])
    with django_capture_on_commit_callbacks(execute=True):
        staff_thread(world.case_manager, world.child, title="Home worries", body="Secret")
    assert _told() == {"Priya Speech"}
    assert all(world.parent.email not in m.to for m in mailoutbox)
    assert all(world.advocate.email not in m.to for m in mailoutbox)
    for sent in mailoutbox:
        assert "Home worries" not in sent.body and "Secret" not in sent.body


def test_a_private_message_notifies_only_the_other_person(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        private(world.parent, world.child, world.case_manager, "Just for you")
    assert _told() == {"Carol Case"}


def test_a_staff_member_who_becomes_family_gets_no_email_of_a_staff_thread(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    do_set_email_preferences(world.provider, actor=world.provider, channels={"messages": "none"})
    with django_capture_on_commit_callbacks(execute=True):
        staff_thread(world.case_manager, world.child)
    notice = Notice.objects.get(recipient=world.provider)
    do_set_email_preferences(world.provider, actor=world.provider, channels={"messages": "each"})
    f.make_guardian(world.child, world.provider)  # now also this child's parent
    assert send_notice_email_now(notice.pk) is False
    assert mailoutbox == []


def test_the_digest_leaves_out_a_staff_only_message_for_someone_now_family(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    world.provider.time_zone = "America/Chicago"
    world.provider.save(update_fields=["time_zone"])
    do_set_email_preferences(world.provider, actor=world.provider, channels={"messages": "digest"})
    with django_capture_on_commit_callbacks(execute=True):
        staff_thread(world.case_manager, world.child)
        to_team(world.case_manager, world.child, "For everyone")
    made = datetime(2026, 6, 9, 15, 0, tzinfo=CHICAGO)
    Notice.objects.filter(recipient=world.provider).update(created_at=made)
    f.make_guardian(world.child, world.provider)
    assert send_digest_now(world.provider.pk, made + timedelta(hours=16, minutes=5)) is True
    [digest] = [m for m in mailoutbox if world.provider.email in m.to]
    # One item: the team message; the staff-only one stays unsent.
    assert digest.body.count("wrote in a conversation about Casey") == 1
    assert Notice.objects.filter(recipient=world.provider, emailed_at__isnull=True).count() == 1


def test_a_message_notice_email_names_no_words_of_the_message(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        to_team(world.case_manager, world.child, "<script>alert(1)</script> private words")
    [sent] = [m for m in mailoutbox if world.parent.email in m.to]
    assert "private words" not in sent.body
    assert "<script" not in sent.body
