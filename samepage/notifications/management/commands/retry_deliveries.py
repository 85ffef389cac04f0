"""Try again the notice emails and text messages that failed and whose next attempt is
due (after 1, 5 and 30 minutes, then 2 hours; then they are given up and shown to the
district's administrators). Run it every few minutes; running it twice sends nothing
twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samepage.notifications import retries


class Command(BaseCommand):
    help = "Retry failed notice emails and text messages that are due (safe to run repeatedly)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = retries.retry_deliveries()
        self.stdout.write(f"{sent} delivery(ies) sent")
