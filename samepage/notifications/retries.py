"""Failed deliveries tried again: every few minutes by ``retry_deliveries`` (the command
or the task), and at once when an administrator asks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from samepage.accounts.models import User
from samepage.core.audit import record_audit
from samepage.notifications import deliveries, emails, sms
from samepage.notifications.models import Delivery, DeliveryChannel

logger = logging.getLogger(__name__)

SENDERS: dict[str, Callable[[int, datetime], bool]] = {
    DeliveryChannel.EMAIL: emails.send_notice_email_now,
    DeliveryChannel.SMS: sms.send_notice_sms_now,
    DeliveryChannel.DIGEST: emails.retry_digest,
}


def _try(notice_id: int, channel: str, now: datetime) -> bool:
    try:
        return SENDERS[channel](notice_id, now)
    except Exception:
        logger.exception("Retrying the %s of notice %s failed.", channel, notice_id)
        return False


def retry_deliveries(now: datetime | None = None) -> int:
    """Try again each delivery that is due; how many went. Safe to run twice, or two at
    once: each sender locks its row and finds a delivery already sent."""
    now = now or timezone.now()
    return sum(
        _try(notice_id, channel, now)
        for notice_id, channel in deliveries.due_deliveries(now)
        if channel in SENDERS
    )


def do_retry_delivery_now(delivery: Delivery, *, actor: User) -> bool:
    """An administrator tries a failed delivery again now; True when it went. Audited:
    it sends a message to someone at the administrator's request."""
    now = timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk, sent_at__isnull=True).update(
            next_attempt_at=now, given_up_at=None
        )
        record_audit(
            actor=actor,
            action="notifications.delivery_retried",
            target=delivery.notice,
            changes={"channel": delivery.channel, "attempts": delivery.attempts},
        )
    return _try(delivery.notice_id, delivery.channel, now)
