"""Recompute stored deadlines: one district's (``--district ID``) or every district's.
Run nightly (cron), as ``check_service_delivery``, and after a district's school calendar
or reporting periods change: those are district-wide inputs no student's event announces.
Safe to rerun: a refresh writes what the record says."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from samepage.deadlines.actions import refresh_district
from samepage.schools.models import District


class Command(BaseCommand):
    help = "Recompute students' deadlines from their records (safe to rerun)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", type=int, help="Only this district's students.")

    def handle(self, *args: Any, **options: Any) -> None:
        districts = District.objects.order_by("pk")
        if options.get("district") is not None:
            districts = districts.filter(pk=options["district"])
        total = sum(refresh_district(pk) for pk in districts.values_list("pk", flat=True))
        self.stdout.write(f"Deadlines refreshed for {total} student(s).")
