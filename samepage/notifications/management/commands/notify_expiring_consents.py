"""Tell families and the people they gave consent to that a consent ends soon
(``SAMEPAGE_CONSENT_EXPIRY_NOTICE_DAYS`` before). Run daily; running it twice tells
nobody twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samepage.notifications import reminders


class Command(BaseCommand):
    help = "Notify families and grantees of consents ending soon (safe to run repeatedly)."

    def handle(self, *args: Any, **options: Any) -> None:
        seen = reminders.notify_expiring_consents()
        self.stdout.write(f"{seen} consent(s) ending soon")
