"""Tell each owner once that the follow-up day of a try has come. Run daily (cron);
safe to run twice or more: a try is reminded once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samepage.problems.actions import do_send_follow_up_reminders


class Command(BaseCommand):
    help = "Remind owners of tries whose follow-up day has come (once per try)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = do_send_follow_up_reminders()
        self.stdout.write(f"{sent} follow-up reminder(s) sent.")
