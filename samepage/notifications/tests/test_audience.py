"""A kind's audience narrows who hears of an event past the part check: when the notice
is made, and again when it is emailed alone or in a digest (one rule, ``may_hear_of``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from samepage.core.events import Event
from samepage.notifications.actions import do_set_email_preferences, make_notices, recipients
from samepage.notifications.emails import send_digests, send_notice_email_now
from samepage.notifications.kinds import KINDS, NoticeKind
from samepage.notifications.models import Notice
from samepage.notifications.permissions import may_hear_of
from samepage.notifications.sms import send_notice_sms_now
from samepage.teams.models import TeamMembership
from samepage.teams.permissions import Part, student_access

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")

# Who may read the private target right now (the test changes it to end someone's access).
_readers: set[int] = set()


def _staff_only(user, access, target) -> bool:
    return access.is_staff and not access.is_family


def _private(user, access, target) -> bool:
    return user.pk in _readers


@pytest.fixture(autouse=True)
def _test_kinds(monkeypatch):
    monkeypatch.setitem(
        KINDS,
        "test.staff_only",
        NoticeKind(
            "A staff-only message about %(student)s",
            lambda target: f"/students/{target.student_id}/",
            "team",
            audience=_staff_only,
        ),
    )
    monkeypatch.setitem(
        KINDS,
        "test.private",
        NoticeKind(
            "A private message about %(student)s",
            lambda target: f"/students/{target.student_id}/",
            "team",
            audience=_private,
        ),
    )
    _readers.clear()


def _event(world, kind: str, actor=None) -> Event:
    # Any record of the student serves as the target: the case manager's membership.
    target = TeamMembership.objects.get(student=world.child, user=world.case_manager)
    return Event(kind, actor or world.case_manager, world.child, Part.MESSAGES, target)


def test_a_staff_only_notice_reaches_only_staff_who_see_messages(world):
    told = {u.full_name for u in recipients(_event(world, "test.staff_only"))}
    # The family, the advocate, the child's own account and limited staff hear nothing.
    assert told == {"Priya Speech"}
    for user in (world.parent, world.student_user, world.gen_ed_teacher, world.advocate):
        access = student_access(user, world.child)
        assert not may_hear_of(
            user, access, part=Part.MESSAGES, kind="test.staff_only", target=object()
        )


def test_a_private_notice_reaches_only_its_other_participant(world):
    _readers.update({world.case_manager.pk, world.parent.pk})
    made = make_notices(_event(world, "test.private"))
    assert [n.recipient for n in made] == [world.parent]
    assert made[0].part == Part.MESSAGES


def test_a_kind_without_audience_keeps_the_part_rule(world):
    told = {u.full_name for u in recipients(_event(world, "concern.added"))}
    assert "Alice Lane" in told
    assert "Priya Speech" in told


def test_the_audience_is_asked_again_when_the_email_goes(world, mailoutbox):
    _readers.update({world.case_manager.pk, world.parent.pk})
    [notice] = make_notices(_event(world, "test.private"))
    _readers.discard(world.parent.pk)  # e.g. removed from the thread since
    assert send_notice_email_now(notice.pk) is False
    assert mailoutbox == []
    _readers.add(world.parent.pk)
    assert send_notice_email_now(notice.pk) is True
    assert len(mailoutbox) == 1


def test_the_audience_is_asked_again_for_the_digest(world, mailoutbox):
    world.provider.time_zone = "America/Chicago"
    world.provider.save(update_fields=["time_zone"])
    do_set_email_preferences(world.provider, actor=world.provider, channels={"team": "digest"})
    _readers.update({world.case_manager.pk, world.provider.pk})
    [private] = make_notices(_event(world, "test.private"))
    [staff] = make_notices(_event(world, "test.staff_only"))
    made = datetime(2026, 6, 9, 15, 0, tzinfo=CHICAGO)
    Notice.objects.filter(pk__in=[private.pk, staff.pk]).update(created_at=made)
    _readers.discard(world.provider.pk)
    assert send_digests(made + timedelta(hours=16, minutes=5)) == 1
    [digest] = mailoutbox
    assert "A staff-only message about Casey" in digest.body
    assert "A private message" not in digest.body
    assert Notice.objects.get(pk=private.pk).emailed_at is None


def test_a_notice_whose_target_is_gone_is_not_emailed(world, mailoutbox):
    _readers.update({world.case_manager.pk, world.parent.pk})
    [notice] = make_notices(_event(world, "test.private"))
    Notice.objects.filter(pk=notice.pk).update(target_id=10**12)
    assert send_notice_email_now(notice.pk) is False
    assert mailoutbox == []


def test_the_audience_is_asked_again_when_the_text_goes(world, settings, caplog):
    settings.SAMEPAGE_SMS_BACKEND = "console"
    do_set_email_preferences(
        world.parent,
        actor=world.parent,
        channels={},
        texts={"team": True},
        phone_number="+15125550100",
    )
    _readers.update({world.case_manager.pk, world.parent.pk})
    [notice] = make_notices(_event(world, "test.private"))
    _readers.discard(world.parent.pk)
    assert send_notice_sms_now(notice.pk) is False
    assert "Text message to" not in caplog.text
    _readers.add(world.parent.pk)
    assert send_notice_sms_now(notice.pk) is True
    assert "Text message to +15125550100" in caplog.text
