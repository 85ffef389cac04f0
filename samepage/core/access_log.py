"""Recording views of a child's record (IDEA 300.614): one insert per request."""

from __future__ import annotations

from typing import Any

from samepage.core.models import AccessEvent


def record_access(*, user: Any, access: Any, part: str, via: str) -> AccessEvent:
    """Log that ``user`` viewed ``part`` of ``access.student`` (a StudentAccess)."""
    return AccessEvent.objects.create(
        user=user,
        student_id=access.student.pk,
        part=part,
        role=access.role,
        via=via,
        purpose=access.purpose,
    )
