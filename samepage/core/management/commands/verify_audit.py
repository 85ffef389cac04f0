"""Check the audit trail's hash chain and report the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from samepage.core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify that no audit event was changed or removed since it was written."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at event {broken.seq}: {broken.reason}. "
                f"{checked} events before it are sound."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} events verified."))
