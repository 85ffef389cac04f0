"""Each notice's delivery by email or text: recorded, retried after a growing wait, and,
once given up, shown to the district's administrators, who may try it again.

The senders (``emails.send_notice_email_now``, ``sms.send_notice_sms_now``) call
``record_sent`` and ``record_failure`` while they hold the notice's (or the delivery's)
row lock, so two runs at once record one outcome. ``retries`` tries them again.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from samepage.core.bounds import is_record_id
from samepage.notifications.models import RETRY_BACKOFF, Delivery, Notice
from samepage.schools.models import StaffProfile

logger = logging.getLogger(__name__)

# A retry run handles this many at most; the next run the rest.
BATCH = 500
ERROR_CHARS = 500


def delivery_for(notice: Notice, channel: str, *, lock: bool = False) -> Delivery:
    """The notice's delivery by ``channel``, made at the first attempt (the unique
    constraint decides a race); locked for the caller's transaction when ``lock``."""
    delivery, _created = Delivery.objects.get_or_create(notice=notice, channel=channel)
    if lock:
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    return delivery


def next_attempt_after(attempts: int, now: datetime) -> datetime | None:
    """When to try again after ``attempts`` failed tries; None once they are used up."""
    if attempts > len(RETRY_BACKOFF):
        return None
    return now + RETRY_BACKOFF[attempts - 1]


def record_sent(notice: Notice, channel: str, now: datetime) -> Delivery:
    delivery = delivery_for(notice, channel)
    delivery.attempts += 1
    delivery.sent_at = now
    delivery.next_attempt_at = None
    delivery.given_up_at = None
    delivery.save(update_fields=["attempts", "sent_at", "next_attempt_at", "given_up_at"])
    return delivery


def record_failure(notice: Notice, channel: str, error: BaseException, now: datetime) -> Delivery:
    """One more failed try: when the next one is due, or given up after the last."""
    delivery = delivery_for(notice, channel)
    delivery.attempts += 1
    delivery.last_error = f"{type(error).__name__}: {error}"[:ERROR_CHARS]
    delivery.next_attempt_at = next_attempt_after(delivery.attempts, now)
    delivery.given_up_at = now if delivery.next_attempt_at is None else None
    delivery.save(update_fields=["attempts", "last_error", "next_attempt_at", "given_up_at"])
    if delivery.given_up_at is not None:
        logger.error(
            "Gave up the %s of notice %s after %s attempts: %s",
            channel,
            notice.pk,
            delivery.attempts,
            delivery.last_error,
        )
    return delivery


def record_held(notice: Notice, channel: str, until: datetime) -> Delivery:
    """A delivery waiting for the person's quiet hours to end (no attempt counted)."""
    delivery = delivery_for(notice, channel)
    if delivery.next_attempt_at != until:
        delivery.next_attempt_at = until
        delivery.save(update_fields=["next_attempt_at"])
    return delivery


def record_not_needed(notice: Notice, channel: str) -> None:
    """Nothing to send any more (the person's choice changed, their access ended): no
    retry waits, and no failure is shown."""
    Delivery.objects.filter(notice=notice, channel=channel, sent_at__isnull=True).update(
        next_attempt_at=None
    )


def due_deliveries(now: datetime) -> list[tuple[int, str]]:
    """Deliveries whose next attempt is due, oldest first: (notice id, channel)."""
    return list(
        Delivery.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("notice_id", "channel")[:BATCH]
    )


# --- What district administrators see -------------------------------------------------


def may_see_failed_deliveries(user: object) -> bool:
    """District administrators only (their own district's failures)."""
    staff = getattr(user, "staff_profile", None) if getattr(user, "is_authenticated", 0) else None
    return staff is not None and staff.role == StaffProfile.Role.DISTRICT_ADMIN


def failed_deliveries(user: object) -> QuerySet[Delivery]:
    """The failed deliveries of the administrator's district still to be sent, newest
    first; none for anyone else. One query with the notice and its recipient joined."""
    if not may_see_failed_deliveries(user):
        return Delivery.objects.none()
    district_id = user.staff_profile.district_id  # type: ignore[attr-defined]
    return (
        Delivery.objects.filter(
            sent_at__isnull=True, attempts__gt=0, notice__student__district_id=district_id
        )
        # Waiting for a retry, or given up; not one no longer needed (the person turned
        # that email off, or may no longer hear of the notice).
        .filter(Q(next_attempt_at__isnull=False) | Q(given_up_at__isnull=False))
        .select_related("notice", "notice__recipient")
        .order_by("-created_at", "-id")
    )


def access_failed_delivery(user: object, delivery_id: object) -> Delivery:
    """One failed delivery the administrator may see; anything else answers 404."""
    if not is_record_id(str(delivery_id)):
        raise Http404
    delivery = failed_deliveries(user).filter(pk=int(str(delivery_id))).first()
    if delivery is None:
        raise Http404
    return delivery
