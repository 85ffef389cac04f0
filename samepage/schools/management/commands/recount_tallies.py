"""Compare the stored per-school student counts with a fresh count, and repair them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samepage.schools import tallies


class Command(BaseCommand):
    help = (
        "Count every school's students afresh and compare with the stored tallies; "
        "rewrite the ones that differ (--check only reports, and fails if any differ)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="report differences and exit 1; change nothing"
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        wrong = tallies.drifts()
        for drift in wrong:
            self.stdout.write(
                f"school {drift.school_id}: stored {drift.stored}, counted {drift.counted}"
            )
        if check:
            if wrong:
                raise CommandError(f"{len(wrong)} school tallies differ from a fresh count")
            self.stdout.write("Every school tally matches a fresh count.")
            return
        fixed = tallies.repair()
        self.stdout.write(f"Rewrote {fixed} school tallies.")
