"""Send notice emails held for quiet hours that have now ended. Needed where the task
backend cannot run a task later by itself (the embedded "immediate" backend); harmless
alongside the database backend, which runs each held email when its quiet hours end."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samepage.notifications import emails


class Command(BaseCommand):
    help = "Send notice emails held for quiet hours that have ended (safe to run repeatedly)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = emails.send_held_emails()
        self.stdout.write(f"{sent} held email(s) sent")
