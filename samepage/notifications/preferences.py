"""Reads of how and when email reaches a person: per category, and their quiet hours."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from samepage.core.dates import zone_of
from samepage.notifications.kinds import CATEGORIES, category_of
from samepage.notifications.models import (
    QUIET_FROM,
    QUIET_UNTIL,
    Channel,
    EmailSchedule,
    NotificationPreference,
)

# The hour of a person's own morning after which their daily digest is due.
DIGEST_AT = time(7, 0)


def is_staff_member(user: Any) -> bool:
    return getattr(user, "staff_profile", None) is not None


def default_channel(user: Any) -> str:
    """What a person gets by email before they choose.

    Families hear of each thing as it happens: a notice is about their own child, comes
    rarely, and is often something to act on (a draft to read before a meeting). Staff
    get a daily digest: a case manager on forty teams would otherwise get dozens of
    emails a day, and they work in SamePage anyway.
    """
    return Channel.DIGEST if is_staff_member(user) else Channel.EACH


def channels_of(user: Any) -> dict[str, str]:
    """The person's channel for each category (their choice, else the default); one query."""
    chosen = dict(
        NotificationPreference.objects.filter(user=user).values_list("category", "channel")
    )
    default = default_channel(user)
    return {category: chosen.get(category, default) for category in CATEGORIES}


def channel_for(user: Any, kind: str) -> str:
    """How a notice of ``kind`` reaches ``user`` by email."""
    category = category_of(kind)
    if category is None:
        return Channel.NONE
    chosen = (
        NotificationPreference.objects.filter(user=user, category=category)
        .values_list("channel", flat=True)
        .first()
    )
    return chosen or default_channel(user)


def schedule_of(user: Any) -> EmailSchedule:
    """The person's email schedule; an unsaved default one when they have none yet."""
    found = EmailSchedule.objects.filter(user=user).first()
    return found or EmailSchedule(user=user, quiet_from=QUIET_FROM, quiet_until=QUIET_UNTIL)


def _at(day: Any, moment: time, zone: Any) -> datetime:
    # A wall time that a DST change skips (02:30 on a spring-forward day) comes out an
    # hour later; one it repeats comes out as the first of the two.
    return datetime.combine(day, moment, tzinfo=zone)


def quiet_hours_end(
    user: Any, now: datetime, schedule: EmailSchedule | None = None
) -> datetime | None:
    """When the person's quiet hours end, if ``now`` falls in them; else None.

    Quiet hours are wall times in the person's own zone, so they follow the clock across
    a DST change. A window whose start is after its end spans midnight (21:00–07:00); a
    window whose start equals its end means no quiet hours.
    """
    schedule = schedule or schedule_of(user)
    start, end = schedule.quiet_from, schedule.quiet_until
    if start == end:
        return None
    zone = zone_of(user)
    today = timezone.localdate(now, zone)
    clock = now.astimezone(zone).time()
    if start < end:
        quiet = start <= clock < end
        ends = _at(today, end, zone)
    else:
        quiet = clock >= start or clock < end
        ends = _at(today + timedelta(days=1) if clock >= start else today, end, zone)
    return ends if quiet else None


def may_choose_texts(user: Any) -> bool:
    """Text messages are for families: staff work in SamePage and get email."""
    return not is_staff_member(user)


def texted_categories(user: Any) -> set[str]:
    """The categories the person chose text messages for (none for staff); one query."""
    if not may_choose_texts(user):
        return set()
    return set(
        NotificationPreference.objects.filter(user=user, by_text=True).values_list(
            "category", flat=True
        )
    )


def texts_for(user: Any, kind: str) -> bool:
    """Whether a notice of ``kind`` also reaches ``user`` by text message: they chose it
    for its category, and have a phone number to send it to."""
    category = category_of(kind)
    if category is None or not getattr(user, "phone_number", "") or not may_choose_texts(user):
        return False
    return NotificationPreference.objects.filter(
        user=user, category=category, by_text=True
    ).exists()
