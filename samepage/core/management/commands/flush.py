"""Django's flush, lifting the audit table's append-only guard for the wipe only."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from samepage.core import audit_guard


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        audit_guard.remove(connection)
        try:
            super().handle(**options)
        finally:
            audit_guard.install(connection)
