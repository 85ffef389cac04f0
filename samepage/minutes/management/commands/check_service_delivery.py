"""Judge every service of every plan in effect against the delivery threshold, and tell
the team and the family of each month that fell below it (once). Run nightly (cron), as
``send_digests``: it catches a service nobody logged at all, which no log can."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samepage.minutes.actions import check_all_deliveries


class Command(BaseCommand):
    help = "Raise service delivery alerts (one per service and month, safe to rerun)."

    def handle(self, *args: Any, **options: Any) -> None:
        made = check_all_deliveries()
        self.stdout.write(f"{made} delivery alert(s) raised.")
