"""Notices by email, in the recipient's language, each sent at most once: one email per
notice, or one daily digest of them, as the person chose; never in their quiet hours."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from samepage.accounts.models import User
from samepage.core.dates import zone_of
from samepage.notifications import deliveries, preferences
from samepage.notifications.kinds import CATEGORIES, KINDS, category_of, kinds_in
from samepage.notifications.models import (
    Channel,
    Delivery,
    DeliveryChannel,
    EmailSchedule,
    Notice,
)
from samepage.notifications.permissions import may_still_hear_of
from samepage.notifications.unsubscribe import unsubscribe_url

logger = logging.getLogger(__name__)

# A digest lists the notices of this long ago at most: one that was never to be emailed
# (its category was "none") does not arrive weeks late when the person turns email on.
DIGEST_LOOKBACK = timedelta(days=7)
# Held emails are looked for among notices made this long ago at most (quiet hours end
# within a day; a failed email's retries, ``deliveries.RETRY_BACKOFF``, within hours).
RETRY_FOR = timedelta(days=2)
# A run of the held-email or digest job handles this many at most; the next run the rest.
BATCH = 500


def _send(person: User, subject: str, body: str, unsubscribe: str, html: str | None = None) -> None:
    """One email to ``person``, with the unsubscribe headers every SamePage email has."""
    message = EmailMultiAlternatives(
        " ".join(subject.split()),
        body,
        None,
        [person.email],
        headers={
            # RFC 2369 and RFC 8058: mail programs show an "unsubscribe" button that
            # POSTs to the link, which works without signing in.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    message.send()


def send_notice_email_now(notice_id: int, now: datetime | None = None) -> bool:
    """Send the notice's email unless it went already; True when this call sent it.

    The notice row is locked while sending and ``emailed_at`` set in the same
    transaction, so two runs at once send one email. Each try is recorded (a
    ``Delivery``); if sending fails, the email is held until the delivery's next attempt
    (a growing wait, then given up and shown to the district's administrators), and
    ``send_held_emails`` or ``retry_deliveries`` tries it again. A notice whose category
    the person gets as a digest, or not by email, is left to the digest (or to nobody);
    one that falls in the person's quiet hours is held (``held_until``) and sent by
    ``send_held_emails`` when they end.
    """
    now = now or timezone.now()
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notice_id, emailed_at__isnull=True)
            .first()
        )
        if notice is None:
            return False
        person = notice.recipient
        if not person.is_active or not person.email:
            return False
        if not may_still_hear_of(person, notice):
            # Their access ended after the notice was made (a consent revoked, a team
            # membership ended): no email names the child to them any more.
            _not_needed(notice)
            return False
        if preferences.channel_for(person, notice.kind) != Channel.EACH:
            _not_needed(notice)
            return False
        quiet_ends = preferences.quiet_hours_end(person, now)
        if quiet_ends is not None:
            if notice.held_until != quiet_ends:
                notice.held_until = quiet_ends
                notice.save(update_fields=["held_until"])
            # A retry that falls in quiet hours waits for their end too.
            Delivery.objects.filter(
                notice=notice, channel=DeliveryChannel.EMAIL, next_attempt_at__isnull=False
            ).update(next_attempt_at=quiet_ends)
            return False
        category = category_of(notice.kind) or ""
        unsubscribe = unsubscribe_url(person, category)
        context = {
            "notice": notice,
            "person": person,
            "url": settings.SITE_URL + notice.link,
            "category": CATEGORIES.get(category, ""),
            "unsubscribe_url": unsubscribe,
        }
        # Written in the recipient's language, whoever's action caused it.
        html = None
        with translation.override(person.language):
            context["details"] = _details(notice)
            subject = render_to_string("notifications/emails/notice_subject.txt", context)
            body = render_to_string("notifications/emails/notice.txt", context)
            if context["details"].get("html"):
                html = render_to_string("notifications/emails/notice.html", context)
        try:
            _send(person, subject, body, unsubscribe, html)
        except Exception as error:
            # Sent by nobody yet: held for the delivery's next attempt, if any is left.
            logger.exception("Email for notice %s failed; retrying later.", notice.pk)
            delivery = deliveries.record_failure(notice, DeliveryChannel.EMAIL, error, now)
            notice.held_until = delivery.next_attempt_at
            notice.save(update_fields=["held_until"])
            return False
        deliveries.record_sent(notice, DeliveryChannel.EMAIL, now)
        notice.emailed_at = now
        notice.held_until = None
        notice.save(update_fields=["emailed_at", "held_until"])
    return True


def _details(notice: Notice) -> dict[str, str]:
    """What the notice's kind says beyond its title (a progress alert's words and
    chart), from its target as it is now; nothing when the kind adds nothing or the
    target is gone."""
    kind = KINDS.get(notice.kind)
    if kind is None or kind.email_details is None or notice.target_type_id is None:
        return {}
    model = notice.target_type.model_class()
    target = model._default_manager.filter(pk=notice.target_id).first() if model else None
    return kind.email_details(target) if target is not None else {}


def _not_needed(notice: Notice) -> None:
    if notice.held_until is not None:
        notice.held_until = None
        notice.save(update_fields=["held_until"])
    deliveries.record_not_needed(notice, DeliveryChannel.EMAIL)


def held_notice_ids(now: datetime) -> list[int]:
    """Notices held for quiet hours that have ended, or for a retry that is due, oldest
    first (a notice's quiet hours end within a day: only a failing one is older)."""
    return list(
        Notice.objects.filter(
            emailed_at__isnull=True, held_until__lte=now, created_at__gte=now - RETRY_FOR
        )
        .order_by("held_until", "pk")
        .values_list("pk", flat=True)[:BATCH]
    )


def send_held_emails(now: datetime | None = None) -> int:
    """Send every held email whose quiet hours ended; how many went. A failure is logged
    and that notice stays held, so the next run tries it again."""
    now = now or timezone.now()
    sent = 0
    for notice_id in held_notice_ids(now):
        try:
            sent += send_notice_email_now(notice_id, now)
        except Exception:
            logger.exception("Held email for notice %s failed; the next run retries.", notice_id)
    return sent


def _digest_is_due(now: datetime, time_zone: str, last_digest_on: Any) -> bool:
    zone = zone_of(_Zone(time_zone))
    local = now.astimezone(zone)
    return local.time() >= preferences.DIGEST_AT and last_digest_on != timezone.localdate(now, zone)


@dataclass
class _Zone:  # a person's zone name, as ``zone_of`` reads it
    time_zone: str


def digest_recipient_ids(now: datetime) -> list[int]:
    """The people whose digest may be due: with notices not yet emailed lately, past the
    digest hour in their own zone, and without today's digest yet.

    One query (the not-emailed index, the person and their schedule joined); the hour
    and the day are worked out here for each person's zone. Everyone is looked at, not
    a first few: a person whose notices are never emailed (their category is "none")
    is marked done for the day like anyone else and cannot crowd others out.
    """
    rows = (
        Notice.objects.filter(emailed_at__isnull=True, created_at__gte=now - DIGEST_LOOKBACK)
        .order_by("recipient_id")
        .values_list(
            "recipient_id", "recipient__time_zone", "recipient__email_schedule__last_digest_on"
        )
        .distinct()
    )
    return [pk for pk, zone, last in rows if _digest_is_due(now, zone, last)]


def send_digest_now(user_id: int, now: datetime | None = None) -> bool:
    """Send the person their daily digest if it is due; True when this call sent it.

    Due once their local time has passed ``DIGEST_AT`` on a day they had none yet. It
    lists their notices not yet emailed in the categories they get as a digest, and
    marks them emailed with the day's date in the same transaction as the send: run
    twice, it sends once. If sending fails, each notice's digest delivery records it and
    the digest waits for the next attempt (1, 5, 30 minutes, 2 hours, then given up).
    """
    now = now or timezone.now()
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        return False
    zone = zone_of(person)
    today = timezone.localdate(now, zone)
    if now.astimezone(zone).time() < preferences.DIGEST_AT:
        return False
    with transaction.atomic():
        EmailSchedule.objects.get_or_create(user=person)
        schedule = EmailSchedule.objects.select_for_update().get(user=person)
        if schedule.last_digest_on == today:
            return False
        channels = preferences.channels_of(person)
        categories = sorted(c for c, channel in channels.items() if channel == Channel.DIGEST)
        notices = []
        if categories and person.email:
            notices = list(
                Notice.objects.select_for_update()
                .filter(
                    recipient=person,
                    emailed_at__isnull=True,
                    created_at__gte=now - DIGEST_LOOKBACK,
                    kind__in=kinds_in(set(categories)),
                )
                .order_by("created_at", "pk")
            )
        # A notice of a child the person may no longer see is left out (and stays
        # unsent): access is asked again when the email goes, not only when it was made.
        access: dict[int, Any] = {}
        notices = [n for n in notices if may_still_hear_of(person, n, access)]
        # A digest that failed waits for its next attempt (``deliveries``), and leaves
        # out what was given up (an administrator's "retry now" brings one back).
        failed = {
            d.notice_id: d
            for d in Delivery.objects.filter(
                notice__in=notices, channel=DeliveryChannel.DIGEST, sent_at__isnull=True
            )
        }
        if any(d.next_attempt_at and d.next_attempt_at > now for d in failed.values()):
            return False
        notices = [n for n in notices if n.pk not in failed or not failed[n.pk].given_up_at]
        if notices:
            try:
                _send_digest(person, notices, categories)
            except Exception as error:
                # Recorded for the administrators, and tried again after a wait.
                logger.exception("Digest for person %s failed; retrying later.", person.pk)
                for notice in notices:
                    deliveries.record_failure(notice, DeliveryChannel.DIGEST, error, now)
                return False
            Notice.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=now)
            Delivery.objects.filter(
                notice__in=notices, channel=DeliveryChannel.DIGEST, sent_at__isnull=True
            ).update(sent_at=now, next_attempt_at=None, given_up_at=None)
        # Today's digest is done, sent or with nothing in it: a notice later today waits
        # for tomorrow's, and the person is not looked at again until then.
        schedule.last_digest_on = today
        schedule.save(update_fields=["last_digest_on"])
    return bool(notices)


def _send_digest(person: User, notices: list[Notice], categories: list[str]) -> None:
    unsubscribe = {c: unsubscribe_url(person, c) for c in categories}
    with translation.override(person.language):
        # Each title is worked out in the person's language, inside the override.
        items: list[dict[str, Any]] = [
            {"title": n.title, "url": settings.SITE_URL + n.link} for n in notices
        ]
        context = {
            "person": person,
            "items": items,
            "count": len(items),
            "unsubscribe": [(CATEGORIES[c], url) for c, url in unsubscribe.items()],
        }
        subject = render_to_string("notifications/emails/digest_subject.txt", context)
        body = render_to_string("notifications/emails/digest.txt", context)
        html = render_to_string("notifications/emails/digest.html", context)
    # The header's one click turns off every category this digest covers; the body has
    # a link for each.
    _send(person, subject, body, unsubscribe_url(person, categories), html)


def retry_digest(notice_id: int, now: datetime) -> bool:
    """The digest of the notice's recipient again (a failed digest's retry)."""
    recipient_id = Notice.objects.filter(pk=notice_id).values_list("recipient_id", flat=True)
    found = recipient_id.first()
    return found is not None and send_digest_now(found, now)


def send_digests(now: datetime | None = None) -> int:
    """Every digest that is due, one person at a time; how many went. One person's
    failure is logged and retried on the next run, and does not stop the others."""
    now = now or timezone.now()
    sent = 0
    for user_id in digest_recipient_ids(now):
        try:
            sent += send_digest_now(user_id, now)
        except Exception:
            logger.exception("Digest for person %s failed; the next run retries.", user_id)
    return sent
