"""Seal committed audit events into keyed checkpoints (also run after every write)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samepage.core.audit_seal import seal_pending


class Command(BaseCommand):
    help = (
        "Seal committed audit events into keyed checkpoints. Safe to run at any time, "
        "twice, or alongside the sealing that follows each write (e.g. from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = seal_pending()
        if result.checkpoints:
            self.stdout.write(
                f"Sealed {result.sealed} events into {result.checkpoints} checkpoints "
                f"(newest: {result.newest})."
            )
        else:
            self.stdout.write("Nothing to seal (or another sealer is at work).")
