"""Background work for notifications: thin, takes ids, safe to run twice."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from samepage.core.events import Event
from samepage.notifications import actions, emails, preferences, retries, sms
from samepage.notifications.kinds import ALSO_MEANS
from samepage.notifications.models import Delivery, DeliveryChannel, Notice


def announce(event: Event) -> None:
    """The events handler (subscribed in ``NotificationsConfig.ready``), run after the
    commit of the action that published ``event``: the request that made it does not
    wait while the permission layer is asked about each person who might hear of it."""
    deliver_event.enqueue(*actions.event_ids(event))
    # The same thing, as another kind for another audience (``kinds.ALSO_MEANS``).
    for kind in ALSO_MEANS.get(event.kind, ()):
        deliver_event.enqueue(*actions.event_ids(replace(event, kind=kind)))


@task()
def deliver_event(
    kind: str,
    actor_id: int | None,
    student_id: int,
    part: str,
    target_type_id: int,
    target_id: int,
    extra: dict[str, Any],
) -> int:
    """Make the event's notices and email each after they commit; how many were made.

    Safe to run twice: the second run finds every notice made and sends nothing.
    """
    event = actions.event_from_ids(
        kind, actor_id, student_id, part, target_type_id, target_id, extra
    )
    if event is None:
        return 0
    with transaction.atomic():
        made = actions.make_notices(event)
        for notice in made:
            transaction.on_commit(partial(send_notice_email.enqueue, notice.pk), robust=True)
            if preferences.texts_for(notice.recipient, notice.kind):
                transaction.on_commit(partial(send_notice_sms.enqueue, notice.pk), robust=True)
    return len(made)


@task()
def send_notice_email(notice_id: int) -> bool:
    """Email one notice to its recipient, in their language. Enqueued after the commit
    that made the notice; a second run finds it sent and sends nothing (False).

    One held for the person's quiet hours is enqueued again to run when they end, where
    the task backend can wait (the database backend); where it cannot (the embedded
    "immediate" backend), ``send_held_emails`` run every few minutes sends it.
    """
    sent = emails.send_notice_email_now(notice_id)
    if not sent and send_notice_email.get_backend().supports_defer:
        held_until = (
            Notice.objects.filter(pk=notice_id, emailed_at__isnull=True)
            .values_list("held_until", flat=True)
            .first()
        )
        if held_until is not None and held_until > timezone.now():
            send_notice_email.using(run_after=held_until).enqueue(notice_id)
    return sent


@task()
def send_held_emails() -> int:
    """Send the emails held for quiet hours that have ended (safe to run twice)."""
    return emails.send_held_emails()


@task()
def send_digests() -> int:
    """Send each daily digest that is due (safe to run twice: one a day per person)."""
    return emails.send_digests()


@task()
def send_notice_sms(notice_id: int) -> bool:
    """Text one notice to its recipient, in their language (safe to run twice). One held
    for quiet hours, or failed, is enqueued again for its next attempt where the backend
    can wait; elsewhere ``retry_deliveries`` run every few minutes sends it."""
    sent = sms.send_notice_sms_now(notice_id)
    if not sent and send_notice_sms.get_backend().supports_defer:
        next_at = (
            Delivery.objects.filter(
                notice_id=notice_id, channel=DeliveryChannel.SMS, sent_at__isnull=True
            )
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        if next_at is not None and next_at > timezone.now():
            send_notice_sms.using(run_after=next_at).enqueue(notice_id)
    return sent


@task()
def retry_deliveries() -> int:
    """Try again the emails and texts whose next attempt is due (safe to run twice)."""
    return retries.retry_deliveries()
