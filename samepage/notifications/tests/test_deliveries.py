"""A delivery that fails is recorded, retried after 1, 5, 30 minutes and 2 hours, then
given up and shown to the district's administrators, who may retry it; nothing is sent
twice however often a job or task runs."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samepage.core.models import AuditEvent
from samepage.notifications.actions import do_set_email_preferences
from samepage.notifications.emails import send_digests, send_held_emails, send_notice_email_now
from samepage.notifications.models import RETRY_BACKOFF, Delivery, Notice
from samepage.notifications.retries import retry_deliveries
from samepage.notifications.tasks import send_notice_email
from samepage.notifications.tests.helpers import FAILING_BACKEND, make_notice

pytestmark = pytest.mark.django_db

WORKING = "django.core.mail.backends.locmem.EmailBackend"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _fail_until_given_up(notice, now):
    """The first attempt and every retry fail; the moment of the last attempt."""
    assert send_notice_email_now(notice.pk, now) is False
    at = now
    for wait in RETRY_BACKOFF:
        assert retry_deliveries(at + wait - timedelta(seconds=1)) == 0  # not due yet
        at = at + wait
        assert retry_deliveries(at) == 0
    return at


def test_a_failing_email_is_retried_with_growing_waits_then_given_up(world, settings, mailoutbox):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    notice = make_notice(world.parent, world.child)
    now = timezone.now()
    assert send_notice_email_now(notice.pk, now) is False
    delivery = Delivery.objects.get(notice=notice, channel="email")
    assert (delivery.attempts, delivery.next_attempt_at) == (1, now + timedelta(minutes=1))
    assert delivery.last_error == "OSError: mail server down"
    assert delivery.sent_at is None and delivery.given_up_at is None
    at = now
    for attempt, wait in enumerate(RETRY_BACKOFF[1:], start=2):
        at = at + RETRY_BACKOFF[attempt - 2]
        assert retry_deliveries(at) == 0
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        assert delivery.next_attempt_at == at + wait
    at = at + RETRY_BACKOFF[-1]
    assert retry_deliveries(at) == 0
    delivery.refresh_from_db()
    assert delivery.attempts == len(RETRY_BACKOFF) + 1
    assert delivery.next_attempt_at is None
    assert delivery.given_up_at == at
    # Given up: no job tries it again, and the notice is not held either.
    assert retry_deliveries(at + timedelta(days=1)) == 0
    assert send_held_emails(at + timedelta(days=1)) == 0
    assert Notice.objects.get(pk=notice.pk).held_until is None
    assert Delivery.objects.get(pk=delivery.pk).attempts == len(RETRY_BACKOFF) + 1
    assert mailoutbox == []


def test_a_failing_then_working_backend_sends_once_however_often_jobs_run(
    world, settings, mailoutbox
):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    notice = make_notice(world.parent, world.child)
    now = timezone.now()
    assert send_notice_email_now(notice.pk, now) is False
    settings.EMAIL_BACKEND = WORKING
    due = now + RETRY_BACKOFF[0]
    assert retry_deliveries(due) == 1
    # The retry job, the held-email job, the command and the task again: nothing more.
    assert retry_deliveries(due) == 0
    assert send_held_emails(due) == 0
    call_command("retry_deliveries")
    send_notice_email.enqueue(notice.pk)
    assert len(mailoutbox) == 1
    delivery = Delivery.objects.get(notice=notice)
    assert delivery.sent_at == due and delivery.attempts == 2
    assert delivery.next_attempt_at is None
    assert Notice.objects.get(pk=notice.pk).emailed_at == due


def test_a_working_send_is_recorded(world, mailoutbox):
    notice = make_notice(world.parent, world.child)
    assert send_notice_email_now(notice.pk) is True
    delivery = Delivery.objects.get(notice=notice)
    assert delivery.attempts == 1 and delivery.sent_at is not None and not delivery.failed


def test_district_administrators_see_their_districts_failures_and_retry_them(
    world, settings, mailoutbox
):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    notice = make_notice(world.parent, world.child)
    _fail_until_given_up(notice, timezone.now())
    delivery = Delivery.objects.get(notice=notice)
    admin = _client(world.district_admin)
    assert "/notifications/deliveries/" in admin.get("/notifications/settings/").content.decode()
    page = admin.get("/notifications/deliveries/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Alice Lane" in html
    assert "OSError: mail server down" in html
    assert "5 attempts" in html and "Stopped trying." in html
    assert f"/notifications/deliveries/{delivery.pk}/retry/" in html

    settings.EMAIL_BACKEND = WORKING
    response = admin.post(f"/notifications/deliveries/{delivery.pk}/retry/")
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert Delivery.objects.get(pk=delivery.pk).sent_at is not None
    audit = AuditEvent.objects.get(action="notifications.delivery_retried")
    assert audit.actor_id == world.district_admin.pk
    # Sent: it is no longer listed, and retrying again sends nothing.
    assert "Alice Lane" not in admin.get("/notifications/deliveries/").content.decode()
    assert admin.post(f"/notifications/deliveries/{delivery.pk}/retry/").status_code == 404
    assert len(mailoutbox) == 1


def test_a_retry_that_fails_again_says_so(world, settings, mailoutbox):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    notice = make_notice(world.parent, world.child)
    _fail_until_given_up(notice, timezone.now())
    delivery = Delivery.objects.get(notice=notice)
    response = _client(world.district_admin).post(
        f"/notifications/deliveries/{delivery.pk}/retry/", follow=True
    )
    assert "could not be sent this time either" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.attempts == len(RETRY_BACKOFF) + 2
    assert delivery.given_up_at is not None


def test_nobody_else_sees_the_failures(world, settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    notice = make_notice(world.parent, world.child)
    send_notice_email_now(notice.pk)
    delivery = Delivery.objects.get(notice=notice)
    for user in (
        world.parent,
        world.case_manager,
        world.school_leader,
        world.advocate,
    ):
        client = _client(user)
        assert client.get("/notifications/deliveries/").status_code == 404, user
        assert client.post(f"/notifications/deliveries/{delivery.pk}/retry/").status_code == 404
        assert (
            "/notifications/deliveries/"
            not in client.get("/notifications/settings/").content.decode()
        )
    # Another district's administrator has the page, without this district's failures.
    elsewhere = _client(world.outsider_admin)
    page = elsewhere.get("/notifications/deliveries/")
    assert page.status_code == 200 and "Alice Lane" not in page.content.decode()
    assert elsewhere.post(f"/notifications/deliveries/{delivery.pk}/retry/").status_code == 404
    assert Client().get("/notifications/deliveries/").status_code == 302  # sign in first


def test_the_failures_page_is_paginated_and_in_spanish(world, settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    for _ in range(3):
        send_notice_email_now(make_notice(world.parent, world.child).pk)
    world.district_admin.language = "es"
    world.district_admin.save(update_fields=["language"])
    admin = _client(world.district_admin)
    html = admin.get("/notifications/deliveries/").content.decode()
    assert "Correos y mensajes de texto que no se pudieron enviar" in html
    assert html.count("Reintentar ahora") == 3
    assert admin.get("/notifications/deliveries/?page=2").status_code == 200
    assert admin.get("/notifications/deliveries/?page=abc").status_code == 400
    assert admin.post("/notifications/deliveries/abc/retry/").status_code == 404


# Session, person, their roles in one query (administrator?), one page of failures with
# their notices and recipients; then the page's header.
QUERIES_FAILED = 5


def test_the_failures_page_takes_a_fixed_number_of_queries(world, settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    admin = _client(world.district_admin)
    send_notice_email_now(make_notice(world.parent, world.child).pk)
    admin.get("/notifications/deliveries/")
    with CaptureQueriesContext(connection) as one:
        admin.get("/notifications/deliveries/")
    for _ in range(5):
        send_notice_email_now(make_notice(world.parent, world.child).pk)
    with CaptureQueriesContext(connection) as six:
        admin.get("/notifications/deliveries/")
    assert len(one) == len(six) == QUERIES_FAILED


def test_a_failing_digest_is_recorded_waits_and_goes_once(world, settings, mailoutbox):
    chicago = ZoneInfo("America/Chicago")
    world.case_manager.time_zone = "America/Chicago"
    world.case_manager.save(update_fields=["time_zone"])
    made = datetime(2026, 6, 9, 15, 0, tzinfo=chicago)
    notices = [make_notice(world.case_manager, world.child, created_at=made) for _ in range(2)]
    settings.EMAIL_BACKEND = FAILING_BACKEND
    morning = datetime(2026, 6, 10, 7, 5, tzinfo=chicago)
    assert send_digests(morning) == 0
    failed = Delivery.objects.filter(channel="digest").order_by("notice_id")
    assert [(d.notice_id, d.attempts) for d in failed] == [(n.pk, 1) for n in notices]
    assert {d.next_attempt_at for d in failed} == {morning + RETRY_BACKOFF[0]}
    # Shown to the administrators, like a failed email of its own.
    page = _client(world.district_admin).get("/notifications/deliveries/").content.decode()
    assert "Carol Case" in page and "Daily digest email" in page
    # The digest job runs again before the wait is over: no new attempt.
    assert send_digests(morning + timedelta(seconds=30)) == 0
    assert Delivery.objects.get(notice=notices[0], channel="digest").attempts == 1
    settings.EMAIL_BACKEND = WORKING
    assert retry_deliveries(morning + RETRY_BACKOFF[0]) == 1
    assert send_digests(morning + RETRY_BACKOFF[0]) == 0
    assert len(mailoutbox) == 1
    assert not Delivery.objects.filter(channel="digest", sent_at__isnull=True).exists()
    assert (
        "Carol Case"
        not in _client(world.district_admin).get("/notifications/deliveries/").content.decode()
    )


def test_a_failure_no_longer_needed_leaves_the_list(world, settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    notice = make_notice(world.parent, world.child)
    send_notice_email_now(notice.pk)
    admin = _client(world.district_admin)
    assert "Alice Lane" in admin.get("/notifications/deliveries/").content.decode()
    # The parent turns off email for plans; the retry finds nothing to send.
    do_set_email_preferences(world.parent, actor=world.parent, channels={"plans": "none"})
    assert retry_deliveries(timezone.now() + RETRY_BACKOFF[0]) == 0
    assert "Alice Lane" not in admin.get("/notifications/deliveries/").content.decode()
