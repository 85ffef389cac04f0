"""Who may read a child's parent concerns, add one, and answer them.

Built on ``access_student`` with the "plans" part: concerns are part of the plan, so
whoever may not see the student answers 404 and whoever may see the student but not
its plans answers 403. Each write has its own rule:

- add: a guardian who is not restricted (restricted ones never see the student), the
  student once rights have transferred, or an advocate whose consent covers "plans",
  who writes on behalf of the guardian who gave that consent;
- record a concern heard by phone, and link, decline or defer: staff who may edit the
  plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from samepage.concerns.models import ParentConcern
from samepage.core.dates import district_today
from samepage.schools.models import Student
from samepage.teams.models import Capability, ConsentGrant, Scope
from samepage.teams.permissions import Part, StudentAccess, access_student, student_access


@dataclass
class ConcernAccess:
    """What one person may do with one student's concerns (templates ask these)."""

    record: StudentAccess
    # For an advocate: the guardian (or adult student) whose consent lets them write.
    on_behalf_of: Any = None

    @property
    def student(self) -> Student:
        return self.record.student

    @property
    def is_advocate(self) -> bool:
        return self.record.role == "advocate" and not self.record.is_family

    @property
    def is_minor_student(self) -> bool:
        return self.record.role == "student" and not self.record.can_consent

    @property
    def can_add(self) -> bool:
        if Part.PLANS not in self.record.parts:
            return False
        if self.record.is_family:
            return not self.is_minor_student
        return self.is_advocate and self.on_behalf_of is not None

    @property
    def can_respond(self) -> bool:
        """Record a concern heard by phone; link, decline or defer one."""
        return self.record.is_staff and Capability.EDIT_PLAN in self.record.capabilities


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _granting_person(user: Any, student: Student) -> Any:
    grants = (
        ConsentGrant.objects.active(district_today(student.district))
        .filter(grantee=user, student=student)
        .select_related("granted_by")
        .order_by("-signed_at")
    )
    return next((g.granted_by for g in grants if Scope.PLANS in g.scopes), None)


def concern_access(user: Any, student: Student, record: StudentAccess) -> ConcernAccess:
    access = ConcernAccess(record=record)
    if access.is_advocate:
        access.on_behalf_of = _granting_person(user, student)
    return access


def concern_access_for(user: Any, student: Student) -> ConcernAccess | None:
    """What ``user`` may do with ``student``'s concerns, or None if they may not see them."""
    record = student_access(user, student)
    if record is None or Part.PLANS not in record.parts:
        return None
    return concern_access(user, student, record)


def check_concern_action(access: ConcernAccess, action: str) -> None:
    """Refuse (403) unless the access allows ``action``: "view", "add" or "respond"."""
    if action == "view":
        return
    if action == "add":
        _require(
            access.can_add,
            _(
                "Only the family, the adult student or an advocate the family chose can add "
                "a concern. Staff record what they heard with “Heard from the family”."
            ),
        )
    elif action == "respond":
        _require(access.can_respond, _("Only staff who may edit the plan can answer concerns."))
    else:
        raise PermissionDenied


def access_concerns(user: Any, student_id: Any, *, action: str = "view") -> ConcernAccess:
    """A student's concerns if ``user`` may do ``action`` ("view", "add", "respond")."""
    student = access_student(user, student_id, part=Part.PLANS)
    access = concern_access(user, student, student.access)  # type: ignore[attr-defined]
    check_concern_action(access, action)
    return access


def access_concern(
    user: Any, student_id: Any, concern_id: Any, *, action: str = "view"
) -> tuple[ConcernAccess, ParentConcern]:
    """One concern of this student; another student's concern answers 404 like a missing one."""
    access = access_concerns(user, student_id, action=action)
    try:
        pk = int(concern_id)
    except (TypeError, ValueError):
        raise Http404 from None
    concern = (
        ParentConcern.objects.select_related("author", "on_behalf_of", "heard_from")
        .prefetch_related("outcomes__decided_by", "outcomes__plan")
        .filter(pk=pk, student=access.student)
        .first()
    )
    if concern is None:
        raise Http404
    concern.student = access.student
    return access, concern
