"""Each notice is emailed once, in its recipient's language."""

from __future__ import annotations

import pytest
from django.conf import settings

from samepage import factories as f
from samepage.notifications.emails import send_notice_email_now
from samepage.notifications.models import Notice
from samepage.notifications.tasks import send_notice_email
from samepage.notifications.tests.helpers import FAILING_BACKEND
from samepage.plans.actions import lifecycle

pytestmark = pytest.mark.django_db


def _share(world, capture):
    plan = f.make_plan(world.child, actor=world.case_manager)
    version = f.fill_plan(plan)
    with capture(execute=True):
        return lifecycle.do_share_draft(version, actor=world.case_manager)


def test_each_recipient_gets_one_email_in_their_language(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    _share(world, django_capture_on_commit_callbacks)
    to_parent = [m for m in mailoutbox if world.parent.email in m.to]
    assert len(to_parent) == 1
    assert to_parent[0].subject == "Se compartió con usted un borrador del plan de Casey"
    assert "Hola, Alice Lane" in to_parent[0].body
    # Staff get a daily digest unless they choose otherwise: no email yet.
    assert not [m for m in mailoutbox if world.provider.email in m.to]
    notice = Notice.objects.get(recipient=world.parent, kind="plan.draft_shared")
    assert settings.SITE_URL + notice.link in to_parent[0].body
    assert notice.emailed_at is not None
    # The actor is told nothing, by email either.
    assert not [m for m in mailoutbox if world.case_manager.email in m.to]


def test_a_task_run_twice_sends_once(world, mailoutbox, django_capture_on_commit_callbacks):
    _share(world, django_capture_on_commit_callbacks)
    notice = Notice.objects.get(recipient=world.parent, kind="plan.draft_shared")
    sent = len(mailoutbox)
    assert send_notice_email_now(notice.pk) is False
    send_notice_email.enqueue(notice.pk)
    assert len(mailoutbox) == sent


def test_a_failed_send_records_nothing_so_a_later_run_sends(
    world, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    _share(world, django_capture_on_commit_callbacks)
    notice = Notice.objects.get(recipient=world.parent, kind="plan.draft_shared")
    assert notice.emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_notice_email_now(notice.pk) is True
    assert len([m for m in mailoutbox if world.parent.email in m.to]) == 1
    notice.refresh_from_db()
    assert notice.emailed_at is not None


def test_a_failed_email_is_retried_by_the_held_email_run(world, mailoutbox, settings):
    from datetime import timedelta

    from django.utils import timezone

    from samepage.notifications.emails import RETRY_FOR, send_held_emails
    from samepage.notifications.models import RETRY_BACKOFF, Delivery
    from samepage.notifications.tests.helpers import make_notice

    notice = make_notice(world.parent, world.child)
    settings.EMAIL_BACKEND = FAILING_BACKEND
    now = timezone.now()
    assert send_notice_email_now(notice.pk, now) is False  # logged, no crash
    notice.refresh_from_db()
    assert notice.emailed_at is None
    assert notice.held_until == now + RETRY_BACKOFF[0]
    # Still failing at the retry: held again, for longer.
    retry = now + RETRY_BACKOFF[0]
    assert send_held_emails(retry) == 0
    notice.refresh_from_db()
    assert notice.held_until == retry + RETRY_BACKOFF[1]
    assert Delivery.objects.get(notice=notice).attempts == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_held_emails(retry) == 0  # not due yet
    assert send_held_emails(retry + RETRY_BACKOFF[1]) == 1
    assert len(mailoutbox) == 1
    # One held since before RETRY_FOR is left in the centre, not retried forever.
    old = make_notice(world.parent, world.child, created_at=now - RETRY_FOR - timedelta(hours=1))
    Notice.objects.filter(pk=old.pk).update(held_until=now)
    assert send_held_emails(now + timedelta(minutes=1)) == 0
