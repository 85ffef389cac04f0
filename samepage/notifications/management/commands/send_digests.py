"""Send each person's daily digest that is due. Run it every few minutes (cron, or a
scheduler enqueueing ``notifications.tasks.send_digests``): each person gets one digest
a day, after 07:00 in their own time zone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samepage.notifications import emails


class Command(BaseCommand):
    help = "Send the daily notification digests that are due (safe to run as often as you like)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = emails.send_digests()
        self.stdout.write(f"{sent} digest(s) sent")
