"""Notices nobody's action makes: a consent about to end, told to the family who gave it
and to the person it was given to, ``SAMEPAGE_CONSENT_EXPIRY_NOTICE_DAYS`` before; a
deadline coming up or overdue, told to its case managers (and the family where the step
is theirs), ``SAMEPAGE_DEADLINE_REMINDER_DAYS`` before and after.

Run daily (``manage.py notify_expiring_consents``). Safe to run twice, or to miss a day:
every consent ending within the window is looked at, and a notice's key carries the
expiry date, so each person hears once of each end date (an extended consent again).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from samepage.core.dates import district_today
from samepage.core.events import Event
from samepage.deadlines import reminders as deadline_reminders
from samepage.notifications import tasks
from samepage.notifications.actions import event_ids
from samepage.schools.models import District
from samepage.teams.models import ConsentGrant
from samepage.teams.permissions import Part


def notify_expiring_consents() -> int:
    """Hand each consent ending soon to the notices; how many consents were looked at.

    Each district by its own today: a consent runs through its expiry day there."""
    days = settings.SAMEPAGE_CONSENT_EXPIRY_NOTICE_DAYS
    seen = 0
    for district in District.objects.order_by("pk"):
        today = district_today(district)
        grants = (
            ConsentGrant.objects.active(today)
            .filter(student__district=district, expires_on__lte=today + timedelta(days=days))
            .select_related("student__district", "grantee")
            .order_by("expires_on", "pk")
        )
        for grant in grants:
            event = Event(
                "consent.expiring",
                None,
                grant.student,
                Part.SUMMARY,
                grant,
                {"on": grant.expires_on.isoformat()},
            )
            tasks.deliver_event.enqueue(*event_ids(event))
            seen += 1
    return seen


# The notice kind of each moment a deadline is told of.
DEADLINE_KINDS = {
    deadline_reminders.COMING_UP: "deadline.coming_up",
    deadline_reminders.OVERDUE: "deadline.overdue",
}


def send_deadline_reminders() -> int:
    """Hand each deadline coming within ``SAMEPAGE_DEADLINE_REMINDER_DAYS`` days, or
    overdue, to the notices; how many deadlines were told of.

    Each district by its own today. Safe to run twice, or to miss a day: a notice's key
    is the deadline's row, the moment (coming up, overdue) and the due date, so each
    person hears once of each, and again only if the due date moves.
    """
    days = settings.SAMEPAGE_DEADLINE_REMINDER_DAYS
    seen = 0
    for district in District.objects.order_by("pk"):
        today = district_today(district)
        for reminder in deadline_reminders.reminders_due(district, today, days):
            row = reminder.deadline
            if row.due_date is None:
                continue
            event = Event(
                DEADLINE_KINDS[reminder.moment],
                None,
                row.student,
                Part.PLANS,
                row,
                {"on": row.due_date.isoformat()},
            )
            tasks.deliver_event.enqueue(*event_ids(event))
            seen += 1
    return seen
