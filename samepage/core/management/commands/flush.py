"""Django's flush, lifting the audit tables' append-only guard for the wipe only.

The wiped trail's anchor goes too, or ``verify_audit`` would take the wipe for an attack.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from samepage.core import audit_guard
from samepage.core.audit_seal import forget_anchor


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        audit_guard.remove(connection)
        try:
            super().handle(**options)
            forget_anchor(options["database"])
        finally:
            audit_guard.install(connection)
