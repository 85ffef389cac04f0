"""Who may read a child's deadlines: whoever reads the child's plans (the family, the
student, staff who view the full record, an advocate whose consent covers plans), from
the one permission layer (teams/permissions.py). A student one may not see answers 404;
a record one sees without its plans (a general-education teacher) answers 403.
Deadlines are worked out, never written by people, so there is nothing else to allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from samepage.schools.models import Student
from samepage.teams.permissions import Part, StudentAccess, access_student

NOT_SHARED = _("This part of the record is not shared with you.")


@dataclass
class DeadlinesAccess:
    """What one person may do with one student's deadlines (templates ask these)."""

    record: StudentAccess

    @property
    def student(self) -> Student:
        return self.record.student

    @property
    def can_view(self) -> bool:
        return Part.PLANS in self.record.parts


def access_deadlines(user: Any, student_id: Any) -> DeadlinesAccess:
    """A student's deadlines if ``user`` may read them: 404 when the student is not
    visible, 403 when the plans are not shared with them."""
    student = access_student(user, student_id)
    access = DeadlinesAccess(student.access)  # type: ignore[attr-defined]
    if not access.can_view:
        raise PermissionDenied(str(NOT_SHARED))
    return access
