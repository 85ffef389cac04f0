"""Tell case managers (and the family, for their own signature or consent) of deadlines
due within ``SAMEPAGE_DEADLINE_REMINDER_DAYS`` days and of those just overdue. Run
daily; running it twice tells nobody twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samepage.notifications import reminders


class Command(BaseCommand):
    help = "Remind case managers and families of deadlines coming up or overdue (safe to rerun)."

    def handle(self, *args: Any, **options: Any) -> None:
        seen = reminders.send_deadline_reminders()
        self.stdout.write(f"{seen} deadline(s) coming up or overdue")
