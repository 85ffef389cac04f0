"""Check the audit trail (events, keyed checkpoints, the anchor) and say what is wrong."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samepage.core.audit_verify import verify_trail


class Command(BaseCommand):
    help = (
        "Verify that no audit event or checkpoint was forged, changed or removed since it "
        "was written. Exits non-zero if anything is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--show", type=int, default=50, help="How many problems to list (default 50)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_trail()
        for note in report.notes:
            self.stdout.write(f"Note: {note}")
        summary = (
            f"{report.sealed_events} sealed events in {report.checkpoints} checkpoints, "
            f"{report.unsealed_events} not sealed yet, {report.legacy_events} legacy events"
        )
        if report.intact:
            anchored = f"; newest checkpoint matches {report.anchor}" if report.anchor else ""
            self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {summary}{anchored}."))
            return
        shown = report.problems[: options["show"]]
        for problem in shown:
            self.stderr.write(f"FAILED {problem}")
        if len(report.problems) > len(shown):
            self.stderr.write(f"... and {len(report.problems) - len(shown)} more")
        raise CommandError(
            f"Audit trail NOT intact: {len(report.problems)} problems; first: "
            f"{report.problems[0]}. ({summary}.)"
        )
