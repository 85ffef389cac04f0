"""The daily digest: one email a morning, in the person's zone and language, listing the
notices not yet emailed; sent once however often the job runs, retried after a failure."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from samepage.notifications.actions import do_set_email_preferences
from samepage.notifications.emails import (
    digest_recipient_ids,
    send_digests,
    send_notice_email_now,
)
from samepage.notifications.models import EmailSchedule, Notice
from samepage.notifications.tests.helpers import FAILING_BACKEND, make_notice

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
TOKYO = ZoneInfo("Asia/Tokyo")


def _in_zone(user, zone: str) -> None:
    user.time_zone = zone
    user.save(update_fields=["time_zone"])


def _to(mailoutbox, user) -> list:
    return [m for m in mailoutbox if user.email in m.to]


def _notices(user, student, at: datetime, n: int = 2) -> list[Notice]:
    return [
        make_notice(user, student, created_at=at - timedelta(minutes=i), kind=kind)
        for i, kind in zip(range(n), ["plan.draft_shared", "concern.added"], strict=False)
    ]


def test_staff_get_one_morning_digest_listing_each_notice_with_its_link(world, mailoutbox):
    _in_zone(world.case_manager, "America/Chicago")
    notices = _notices(world.case_manager, world.child, datetime(2026, 6, 9, 15, 0, tzinfo=CHICAGO))
    # Staff's default is the digest: no email of its own.
    assert send_notice_email_now(notices[0].pk) is False
    assert send_digests(datetime(2026, 6, 10, 6, 59, tzinfo=CHICAGO)) == 0  # before 07:00
    assert send_digests(datetime(2026, 6, 10, 7, 5, tzinfo=CHICAGO)) == 1
    [digest] = _to(mailoutbox, world.case_manager)
    assert digest.subject == "SamePage: 2 new notifications"
    for notice in notices:
        assert str(notice.title) in digest.body
        assert django_settings.SITE_URL + notice.link in digest.body
    assert all(
        n.emailed_at is not None for n in Notice.objects.filter(pk__in=[x.pk for x in notices])
    )
    assert EmailSchedule.objects.get(user=world.case_manager).last_digest_on == date(2026, 6, 10)


def test_running_the_digest_twice_sends_once_and_tomorrow_again(world, mailoutbox):
    _in_zone(world.case_manager, "America/Chicago")
    _notices(world.case_manager, world.child, datetime(2026, 6, 9, 15, 0, tzinfo=CHICAGO))
    assert send_digests(datetime(2026, 6, 10, 7, 5, tzinfo=CHICAGO)) == 1
    assert send_digests(datetime(2026, 6, 10, 7, 6, tzinfo=CHICAGO)) == 0
    # A notice later that day waits for tomorrow's digest.
    make_notice(
        world.case_manager, world.child, created_at=datetime(2026, 6, 10, 9, 0, tzinfo=CHICAGO)
    )
    assert send_digests(datetime(2026, 6, 10, 18, 0, tzinfo=CHICAGO)) == 0
    assert send_digests(datetime(2026, 6, 11, 7, 1, tzinfo=CHICAGO)) == 1
    assert len(_to(mailoutbox, world.case_manager)) == 2
    assert "1 new notification" in _to(mailoutbox, world.case_manager)[1].subject


def test_the_digest_comes_at_each_persons_own_morning(world, mailoutbox):
    _in_zone(world.case_manager, "America/Chicago")
    _in_zone(world.provider, "Asia/Tokyo")
    at = datetime(2026, 6, 9, 12, 0, tzinfo=CHICAGO)
    _notices(world.case_manager, world.child, at)
    _notices(world.provider, world.child, at)
    # 20:00 in Tokyo is 06:00 in Chicago: Tokyo's digest only.
    instant = datetime(2026, 6, 10, 20, 0, tzinfo=TOKYO)
    assert send_digests(instant) == 1
    assert len(_to(mailoutbox, world.provider)) == 1
    assert _to(mailoutbox, world.case_manager) == []
    # Chicago's 07:30, an hour and a half later (Tokyo already had today's).
    assert send_digests(datetime(2026, 6, 10, 7, 30, tzinfo=CHICAGO)) == 1
    assert len(_to(mailoutbox, world.case_manager)) == 1
    assert len(_to(mailoutbox, world.provider)) == 1


def test_on_the_dst_change_day_the_digest_waits_for_seven_on_the_new_clock(world, mailoutbox):
    _in_zone(world.case_manager, "America/Chicago")
    _notices(world.case_manager, world.child, datetime(2026, 10, 31, 15, 0, tzinfo=CHICAGO))
    # 12:30 UTC on 2026-11-01 is 06:30 CST (it would be 07:30 on the old clock).
    assert send_digests(datetime(2026, 11, 1, 12, 30, tzinfo=ZoneInfo("UTC"))) == 0
    assert send_digests(datetime(2026, 11, 1, 13, 0, tzinfo=ZoneInfo("UTC"))) == 1


def test_the_digest_is_in_the_persons_language(world, mailoutbox):
    world.case_manager.language = "es"
    world.case_manager.save(update_fields=["language"])
    _in_zone(world.case_manager, "America/Chicago")
    _notices(world.case_manager, world.child, datetime(2026, 6, 9, 15, 0, tzinfo=CHICAGO), n=1)
    send_digests(datetime(2026, 6, 10, 8, 0, tzinfo=CHICAGO))
    [digest] = _to(mailoutbox, world.case_manager)
    assert digest.subject == "SamePage: 1 notificación nueva"
    assert "Se compartió con usted un borrador del plan de Casey" in digest.body
    assert '<html lang="es">' in digest.alternatives[0][0]


def test_a_name_with_markup_in_a_digest_is_escaped_in_its_html(world, mailoutbox):
    _in_zone(world.case_manager, "America/Chicago")
    make_notice(
        world.case_manager,
        world.child,
        kind="concern.added",
        params={"student": "<b>Casey</b>", "actor": '<script>alert("x")</script>'},
        created_at=datetime(2026, 6, 9, 15, 0, tzinfo=CHICAGO),
    )
    send_digests(datetime(2026, 6, 10, 8, 0, tzinfo=CHICAGO))
    [digest] = _to(mailoutbox, world.case_manager)
    html, mimetype = digest.alternatives[0]
    assert mimetype == "text/html"
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Casey&lt;/b&gt;" in html


def test_a_family_that_chose_the_digest_gets_it_and_no_single_emails(world, mailoutbox):
    _in_zone(world.parent, "America/Chicago")
    do_set_email_preferences(world.parent, actor=world.parent, channels={"plans": "digest"})
    notice = make_notice(
        world.parent, world.child, created_at=datetime(2026, 6, 9, 15, 0, tzinfo=CHICAGO)
    )
    concern = make_notice(
        world.parent,
        world.child,
        kind="concern.added",
        created_at=datetime(2026, 6, 9, 15, 0, tzinfo=CHICAGO),
    )
    assert send_notice_email_now(notice.pk) is False
    send_digests(datetime(2026, 6, 10, 8, 0, tzinfo=CHICAGO))
    [digest] = _to(mailoutbox, world.parent)
    assert str(notice.title) in digest.body
    # Concerns are still "each": not in the digest.
    assert str(concern.title) not in digest.body
    concern.refresh_from_db()
    assert concern.emailed_at is None


def test_a_failing_email_backend_leaves_the_digest_to_the_next_run(world, mailoutbox, settings):
    _in_zone(world.case_manager, "America/Chicago")
    notices = _notices(world.case_manager, world.child, datetime(2026, 6, 9, 15, 0, tzinfo=CHICAGO))
    settings.EMAIL_BACKEND = FAILING_BACKEND
    assert send_digests(datetime(2026, 6, 10, 7, 5, tzinfo=CHICAGO)) == 0  # no crash
    assert not Notice.objects.filter(pk__in=[n.pk for n in notices], emailed_at__isnull=False)
    assert not EmailSchedule.objects.filter(user=world.case_manager, last_digest_on__isnull=False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_digests(datetime(2026, 6, 10, 7, 20, tzinfo=CHICAGO)) == 1
    assert len(_to(mailoutbox, world.case_manager)) == 1


def test_a_failing_email_backend_leaves_a_held_email_held(world, mailoutbox, settings):
    from samepage.notifications.emails import send_held_emails

    _in_zone(world.parent, "America/Chicago")
    notice = make_notice(world.parent, world.child)
    Notice.objects.filter(pk=notice.pk).update(
        held_until=datetime(2026, 6, 10, 7, 0, tzinfo=CHICAGO)
    )
    settings.EMAIL_BACKEND = FAILING_BACKEND
    assert send_held_emails(datetime(2026, 6, 10, 8, 0, tzinfo=CHICAGO)) == 0
    notice.refresh_from_db()
    assert notice.emailed_at is None
    assert notice.held_until == datetime(2026, 6, 10, 8, 1, tzinfo=CHICAGO)  # the retry
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_held_emails(datetime(2026, 6, 10, 8, 1, tzinfo=CHICAGO)) == 1


def test_the_commands_run_the_jobs(world, mailoutbox):
    _in_zone(world.case_manager, "America/Chicago")
    _notices(world.case_manager, world.child, datetime(2026, 6, 10, 9, 0, tzinfo=CHICAGO))
    call_command("send_digests")  # the clock: 14:00 in Chicago (the tests' afternoon)
    call_command("send_held_emails")
    assert len(_to(mailoutbox, world.case_manager)) == 1


def test_people_done_for_the_day_are_not_looked_at_again(world, mailoutbox):
    """A family whose notices are never emailed (their choice is "none"), or someone whose
    digest went, is marked done for their day and is not a candidate until tomorrow."""
    _in_zone(world.parent, "America/Chicago")
    _in_zone(world.case_manager, "America/Chicago")
    do_set_email_preferences(world.parent, actor=world.parent, channels={"plans": "none"})
    at = datetime(2026, 6, 9, 15, 0, tzinfo=CHICAGO)
    make_notice(world.parent, world.child, created_at=at)
    make_notice(world.case_manager, world.child, created_at=at)
    morning = datetime(2026, 6, 10, 7, 30, tzinfo=CHICAGO)
    assert set(digest_recipient_ids(morning)) == {world.parent.pk, world.case_manager.pk}
    assert send_digests(morning) == 1  # the case manager's; the parent gets none
    assert digest_recipient_ids(morning) == []
    assert _to(mailoutbox, world.parent) == []
    # Before seven the next day nobody is due; after it, both are looked at again.
    assert digest_recipient_ids(datetime(2026, 6, 11, 6, 0, tzinfo=CHICAGO)) == []
    assert digest_recipient_ids(datetime(2026, 6, 11, 7, 0, tzinfo=CHICAGO)) == [world.parent.pk]


def test_a_person_who_lost_access_gets_no_email_naming_the_child(world, mailoutbox):
    # Access is asked again when an email goes: a notice made while the provider was on
    # the team is not emailed, alone or in a digest, once the membership has ended.
    from samepage.teams.actions import do_end_team_membership
    from samepage.teams.models import TeamMembership

    _in_zone(world.provider, "America/Chicago")
    do_set_email_preferences(
        world.provider, actor=world.provider, channels={"plans": "each", "concerns": "digest"}
    )
    made = datetime(2026, 6, 9, 15, 0, tzinfo=CHICAGO)
    single, in_digest = _notices(world.provider, world.child, made)
    membership = TeamMembership.objects.get(student=world.child, user=world.provider)
    do_end_team_membership(membership, actor=world.case_manager, end_date=None)
    assert send_notice_email_now(single.pk, made) is False
    send_digests(datetime(2026, 6, 10, 7, 5, tzinfo=CHICAGO))
    assert _to(mailoutbox, world.provider) == []
    assert Notice.objects.get(pk=in_digest.pk).emailed_at is None
