"""Deadlines for the demo district: every student's worked out from what the other apps'
demo data put on the record (plans in effect and waiting for a signature, a deferred
concern, the reporting periods), so the Deadlines tab shows open, met and "unknown"
ones side by side. Called last by samepage/home/demo.py. Safe to call twice: a refresh
writes what the record says, and a second one changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from samepage.deadlines.actions import refresh_deadlines


def seed_deadlines(
    today: date, students: dict[str, Any], staff: dict[str, Any], people: dict[str, Any]
) -> None:
    for student in students.values():
        refresh_deadlines(student)
