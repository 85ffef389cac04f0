"""Who may read a child's service minutes and who may log them.

Built on ``access_student``: whoever may not see the student answers 404, and a session
or a service of another student answers 404 like a missing one. From the one permission
layer (teams/permissions.py), nothing decided here a second time:

- read (the services, their delivery in plain words, the make-up ledger, the sessions):
  anyone whose access has ``Part.PROGRESS`` (staff who may view the record, the family,
  the student, an advocate whose consent covers progress);
- log a session, or void one (a colleague's typo included): staff with
  ``Capability.LOG_SERVICES`` who may also read them (a form that shows the services
  and their sessions is a read);
- a session's staff-only note: staff who may see staff-only notes, never the family or
  an advocate.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy

from samepage.core.bounds import is_record_id
from samepage.minutes.models import NonSchoolDay, ServiceSession
from samepage.schools.models import District, Student
from samepage.schools.permissions import access_district_settings
from samepage.teams.models import Capability
from samepage.teams.permissions import Part, StudentAccess, access_student, student_access

NOT_SHARED = gettext_lazy("This part of the record is not shared with you.")
LOGGERS_ONLY = gettext_lazy("Only staff on the team who may log service minutes can do this.")


@dataclass
class MinutesAccess:
    """What one person may do with one student's service minutes (templates ask these)."""

    record: StudentAccess

    @property
    def student(self) -> Student:
        return self.record.student

    @property
    def can_view(self) -> bool:
        return Part.PROGRESS in self.record.parts

    @property
    def can_log(self) -> bool:
        return (
            self.record.is_staff
            and self.can_view
            and Capability.LOG_SERVICES in self.record.capabilities
        )

    @property
    def can_void(self) -> bool:
        return self.can_log

    @property
    def can_see_staff_notes(self) -> bool:
        return self.record.can_see_staff_notes


def check_minutes_action(access: MinutesAccess, action: str) -> None:
    """Refuse (403) unless ``access`` allows ``action``: "view", "log" or "void"."""
    if not access.can_view:
        raise PermissionDenied(str(NOT_SHARED))
    if action == "view":
        return
    if action in ("log", "void"):
        if not access.can_log:
            raise PermissionDenied(str(LOGGERS_ONLY))
        return
    raise PermissionDenied


def minutes_access_for(user: Any, student: Student) -> MinutesAccess | None:
    """What ``user`` may do with ``student``'s service minutes (None: cannot see them)."""
    record = student_access(user, student)
    return MinutesAccess(record) if record is not None else None


def access_minutes(user: Any, student_id: Any, *, action: str = "view") -> MinutesAccess:
    """A student's service minutes if ``user`` may do ``action``: 404 when the student
    is not visible, else 403."""
    student = access_student(user, student_id)
    access = MinutesAccess(student.access)  # type: ignore[attr-defined]
    check_minutes_action(access, action)
    return access


def _pk(value: Any) -> int:
    text = str(value)
    if not is_record_id(text):
        raise Http404
    return int(text)


def lineage_of(value: Any) -> uuid.UUID:
    """A service's lineage from a form or a path; 404 for anything that is not one."""
    try:
        return uuid.UUID(str(value).strip())
    except (AttributeError, ValueError):
        raise Http404 from None


def access_session(
    user: Any, student_id: Any, session_id: Any, *, action: str = "view"
) -> tuple[MinutesAccess, ServiceSession]:
    """One session of this student; another student's answers 404. ``action="void"``:
    whoever may log sessions."""
    access = access_minutes(user, student_id, action="view")
    session = (
        ServiceSession.objects.select_related("entered_by", "voided_by")
        .filter(pk=_pk(session_id), student=access.student)
        .first()
    )
    if session is None:
        raise Http404
    if action != "view":
        check_minutes_action(access, action)
    session.student = access.student
    return access, session


# --- the district's school calendar and delivery threshold ------------------------


CALENDAR_ONLY = gettext_lazy(
    "Only the district's special education administrator sets the school calendar."
)
THRESHOLD_ONLY = gettext_lazy(
    "Only the district's special education administrator sets the service-minutes settings."
)


def access_minutes_settings(user: Any, *, refusal: Any = CALENDAR_ONLY) -> District:
    """The district whose school calendar and service-minutes settings ``user`` sets: its
    administrator only (403 for anyone else, as the progress rules)."""
    return access_district_settings(user, refusal=refusal)


def access_closure(user: Any, closure_id: Any) -> NonSchoolDay:
    """One day without school of the administrator's own district; another district's
    answers 404 like a missing one."""
    district = access_minutes_settings(user)
    closure = NonSchoolDay.objects.filter(pk=_pk(closure_id), district=district).first()
    if closure is None:
        raise Http404
    closure.district = district
    return closure
