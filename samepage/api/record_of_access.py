"""Every API read of a part of a child's record leaves one AccessEvent (IDEA 300.614)."""

from __future__ import annotations

from typing import Any

from samepage.core.access_log import record_access
from samepage.core.models import AccessEvent
from samepage.schools.models import Student


def note_view(user: Any, student: Student, part: str) -> None:
    """Record that ``user`` read ``part`` of ``student`` (returned by access_student)."""
    access = student.access  # type: ignore[attr-defined]
    record_access(user=user, access=access, part=part, via=AccessEvent.Via.API)
