"""An email that would reach someone in their quiet hours waits until the hours end, in
the person's own time zone, DST changes included."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from samepage.notifications.actions import do_set_email_preferences
from samepage.notifications.emails import send_held_emails, send_notice_email_now
from samepage.notifications.models import Notice
from samepage.notifications.preferences import quiet_hours_end
from samepage.notifications.tests.helpers import make_notice

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
TOKYO = ZoneInfo("Asia/Tokyo")


def _in_zone(user, zone: str) -> None:
    user.time_zone = zone
    user.save(update_fields=["time_zone"])


def _to(mailoutbox, user) -> list:
    return [m for m in mailoutbox if user.email in m.to]


def test_an_email_in_quiet_hours_is_held_and_sent_when_they_end(world, mailoutbox):
    _in_zone(world.parent, "America/Chicago")
    evening = datetime(2026, 6, 10, 22, 15, tzinfo=CHICAGO)
    with time_machine.travel(evening, tick=False):
        notice = make_notice(world.parent, world.child)
        assert send_notice_email_now(notice.pk) is False
    notice.refresh_from_db()
    assert notice.emailed_at is None
    assert notice.held_until == datetime(2026, 6, 11, 7, 0, tzinfo=CHICAGO)
    assert _to(mailoutbox, world.parent) == []
    # Still quiet at 06:59: the held-email run sends nothing.
    assert send_held_emails(datetime(2026, 6, 11, 6, 59, tzinfo=CHICAGO)) == 0
    assert send_held_emails(datetime(2026, 6, 11, 7, 1, tzinfo=CHICAGO)) == 1
    assert len(_to(mailoutbox, world.parent)) == 1
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    assert notice.held_until is None
    # Run again: nothing more.
    assert send_held_emails(datetime(2026, 6, 11, 7, 5, tzinfo=CHICAGO)) == 0
    assert len(_to(mailoutbox, world.parent)) == 1


def test_quiet_hours_are_each_persons_own_zone(world, mailoutbox):
    """At one instant a parent in Chicago is in their afternoon and one in Tokyo is asleep."""
    _in_zone(world.parent, "America/Chicago")
    _in_zone(world.other_parent, "Asia/Tokyo")
    instant = datetime(2026, 6, 10, 15, 0, tzinfo=CHICAGO)  # 05:00 next day in Tokyo
    with time_machine.travel(instant, tick=False):
        here = make_notice(world.parent, world.child)
        there = make_notice(world.other_parent, world.other_child)
        assert send_notice_email_now(here.pk) is True
        assert send_notice_email_now(there.pk) is False
    there.refresh_from_db()
    assert there.held_until == datetime(2026, 6, 11, 7, 0, tzinfo=TOKYO)
    assert len(_to(mailoutbox, world.parent)) == 1
    assert _to(mailoutbox, world.other_parent) == []
    assert send_held_emails(datetime(2026, 6, 11, 7, 0, tzinfo=TOKYO)) == 1
    assert len(_to(mailoutbox, world.other_parent)) == 1


def test_on_the_dst_change_day_quiet_hours_end_at_seven_on_the_new_clock(world, mailoutbox):
    """2026-11-01: Chicago's clocks go back at 02:00. Held at 23:00 CDT the night before,
    the email goes at 07:00 CST, 13:00 UTC (not 12:00 UTC, which is 06:00 there)."""
    _in_zone(world.parent, "America/Chicago")
    with time_machine.travel(datetime(2026, 10, 31, 23, 0, tzinfo=CHICAGO), tick=False):
        notice = make_notice(world.parent, world.child)
        assert send_notice_email_now(notice.pk) is False
    notice.refresh_from_db()
    assert notice.held_until == datetime(2026, 11, 1, 13, 0, tzinfo=UTC)
    assert send_held_emails(datetime(2026, 11, 1, 12, 30, tzinfo=UTC)) == 0
    assert send_held_emails(datetime(2026, 11, 1, 13, 0, tzinfo=UTC)) == 1
    assert len(_to(mailoutbox, world.parent)) == 1


def test_quiet_hours_in_the_repeated_hour_of_a_dst_change_still_end_at_seven(world):
    _in_zone(world.parent, "America/Chicago")
    # 01:30 happens twice on 2026-11-01 in Chicago; both are quiet, ending 07:00 CST.
    for fold in (0, 1):
        moment = datetime(2026, 11, 1, 1, 30, tzinfo=CHICAGO, fold=fold)
        assert quiet_hours_end(world.parent, moment) == datetime(2026, 11, 1, 13, 0, tzinfo=UTC)


def test_a_person_chooses_their_quiet_hours_and_same_start_and_end_means_none(world):
    _in_zone(world.parent, "America/Chicago")
    late = datetime(2026, 6, 10, 23, 30, tzinfo=CHICAGO)
    do_set_email_preferences(
        world.parent, actor=world.parent, channels={}, quiet_from=time(9), quiet_until=time(17)
    )
    assert quiet_hours_end(world.parent, late) is None
    assert quiet_hours_end(world.parent, datetime(2026, 6, 10, 12, 0, tzinfo=CHICAGO)) == datetime(
        2026, 6, 10, 17, 0, tzinfo=CHICAGO
    )
    do_set_email_preferences(
        world.parent, actor=world.parent, channels={}, quiet_from=time(0), quiet_until=time(0)
    )
    assert quiet_hours_end(world.parent, late) is None


def test_a_held_email_whose_category_was_turned_off_is_not_sent(world, mailoutbox):
    _in_zone(world.parent, "America/Chicago")
    with time_machine.travel(datetime(2026, 6, 10, 22, 0, tzinfo=CHICAGO), tick=False):
        notice = make_notice(world.parent, world.child)
        send_notice_email_now(notice.pk)
    do_set_email_preferences(world.parent, actor=world.parent, channels={"plans": "none"})
    assert send_held_emails(datetime(2026, 6, 11, 8, 0, tzinfo=CHICAGO)) == 0
    assert _to(mailoutbox, world.parent) == []
    assert Notice.objects.get(pk=notice.pk).held_until is None  # not looked at again


def test_where_the_task_backend_can_wait_a_held_email_is_enqueued_for_when_quiet_ends(
    world, settings
):
    """The database backend runs a task at a set time: the held email is enqueued with
    ``run_after`` the end of quiet hours (the immediate backend leaves it to the
    ``send_held_emails`` run instead)."""
    from django_tasks import task_backends

    from samepage.notifications.tasks import send_notice_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _in_zone(world.parent, "America/Chicago")
    with time_machine.travel(datetime(2026, 6, 10, 22, 0, tzinfo=CHICAGO), tick=False):
        notice = make_notice(world.parent, world.child)
        assert send_notice_email.call(notice.pk) is False
    backend = task_backends["default"]
    [again] = backend.results  # type: ignore[attr-defined]
    assert again.args == [notice.pk]
    assert again.task.run_after == datetime(2026, 6, 11, 7, 0, tzinfo=CHICAGO)
