"""Stored deadlines for tests that need rows of their own, not the rules' (they are
derived data: a test may lay them down directly, as ``refresh_deadlines`` would)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from samepage.deadlines.models import Deadline, DeadlineStatus


def add_deadlines(student: Any, n: int, *, today: date, status: str = "open") -> list[Deadline]:
    """``n`` stored deadlines for ``student``, due one day apart from ``today`` on."""
    start = Deadline.objects.filter(student=student).count()
    rows = []
    for i in range(start, start + n):
        known = status != DeadlineStatus.UNKNOWN
        rows.append(
            Deadline.objects.create(
                student=student,
                rule_key="progress_report",
                occurrence=f"period:test-{i}",
                start_event="reporting_period_ended",
                start_date=today if known else None,
                due_date=today + timedelta(days=i) if known else None,
                status=status,
                about=f"Period {i}",
                citation="34 CFR 300.320(a)(3)(ii)",
                pack="federal",
            )
        )
    return rows
