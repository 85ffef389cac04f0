"""Who may read and write quick updates and home notes, and read a child's timeline.

Built on ``access_student``: whoever may not see the student answers 404. Updates and
notes are the "messages" part of the record, so:

- read: anyone whose access has ``Part.MESSAGES`` (staff who may view the record, the
  family, an advocate whose consent covers messages);
- post a quick update: staff with the messages part and ``Capability.MESSAGE_FAMILY``;
- write a home note: the family with the messages part (a court-restricted guardian
  never reaches the student; a minor student has no messages part, an adult one has);
- withdraw: only the person who wrote it, once;
- read receipts ("Seen by …" under a quick update): staff who may post updates. Who in
  the family read what is the school's working knowledge, never shown to another family
  member or an advocate.

The timeline is open to anyone with the messages part or the plans part: each kind of
entry on it is shown only to those whose access has the part it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samepage.plans.permissions import PlanAccess
from samepage.schools.models import Student
from samepage.teams.models import Capability
from samepage.teams.permissions import Part, StudentAccess, access_student, student_access
from samepage.updates.models import HomeNote, QuickUpdate


@dataclass
class UpdatesAccess:
    """What one person may do with one student's updates and notes (templates ask these)."""

    record: StudentAccess

    @property
    def student(self) -> Student:
        return self.record.student

    @property
    def can_read(self) -> bool:
        return Part.MESSAGES in self.record.parts

    @property
    def can_post_update(self) -> bool:
        return (
            self.record.is_staff
            and Part.MESSAGES in self.record.parts
            and Capability.MESSAGE_FAMILY in self.record.capabilities
        )

    @property
    def can_see_receipts(self) -> bool:
        return self.can_post_update

    @property
    def can_write_note(self) -> bool:
        return self.record.is_family and Part.MESSAGES in self.record.parts

    @property
    def can_see_plan_events(self) -> bool:
        return Part.PLANS in self.record.parts

    @property
    def can_see_timeline(self) -> bool:
        return self.can_read or self.can_see_plan_events

    @property
    def plans(self) -> PlanAccess:
        """The plans' own rules (drafts and all), for the plan events on the timeline."""
        return PlanAccess(self.record)

    def may_withdraw(self, row: QuickUpdate | HomeNote) -> bool:
        return row.author_id == self.record.user_id and row.withdrawn_at is None


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


NOT_SHARED = gettext_lazy("This part of the record is not shared with you.")


def check_updates_action(access: UpdatesAccess, action: str) -> None:
    """Refuse (403) unless ``access`` allows ``action``."""
    if action == "timeline":
        _require(access.can_see_timeline, str(NOT_SHARED))
        return
    _require(access.can_read, str(NOT_SHARED))
    if action == "view":
        return
    if action == "post_update":
        _require(
            access.can_post_update,
            _("Only staff on the team who may message the family can post a quick update."),
        )
    elif action == "write_note":
        _require(
            access.can_write_note,
            _("Home notes are written by the family, or by the student once they are an adult."),
        )
    else:
        raise PermissionDenied


def updates_access_for(user: Any, student: Student) -> UpdatesAccess | None:
    """What ``user`` may do with ``student``'s updates and notes (None: not on the team)."""
    record = student_access(user, student)
    return UpdatesAccess(record) if record is not None else None


def access_updates(user: Any, student_id: Any, *, action: str = "view") -> UpdatesAccess:
    """A student's updates and notes if ``user`` may do ``action`` ("view", "timeline",
    "post_update", "write_note"): 404 when the student is not visible, else 403."""
    student = access_student(user, student_id)
    access = UpdatesAccess(student.access)  # type: ignore[attr-defined]
    check_updates_action(access, action)
    return access


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _check_withdraw(access: UpdatesAccess, row: QuickUpdate | HomeNote) -> None:
    _require(
        row.author_id == access.record.user_id, _("Only the person who wrote it can withdraw it.")
    )
    _require(row.withdrawn_at is None, _("This was already withdrawn."))


def access_update(
    user: Any, student_id: Any, update_id: Any, *, action: str = "view"
) -> tuple[UpdatesAccess, QuickUpdate]:
    """One quick update of this student; another student's answers 404 like a missing one.

    ``action="withdraw"``: only its writer, and only once.
    """
    access = access_updates(user, student_id)
    update = (
        QuickUpdate.objects.select_related("author")
        .filter(pk=_pk(update_id), student=access.student)
        .first()
    )
    if update is None:
        raise Http404
    if action == "withdraw":
        _check_withdraw(access, update)
    elif action != "view":
        raise PermissionDenied
    update.student = access.student
    return access, update


def access_note(
    user: Any, student_id: Any, note_id: Any, *, action: str = "view"
) -> tuple[UpdatesAccess, HomeNote]:
    """One home note of this student; another student's answers 404 like a missing one.

    ``action="withdraw"``: only its writer, and only once; ``action="file"``: its
    attachment, which a withdrawn note no longer has (404).
    """
    access = access_updates(user, student_id)
    note = (
        HomeNote.objects.select_related("author", "attachment")
        .filter(pk=_pk(note_id), student=access.student)
        .first()
    )
    if note is None:
        raise Http404
    if action == "withdraw":
        _check_withdraw(access, note)
    elif action == "file":
        if note.is_withdrawn or not hasattr(note, "attachment"):
            raise Http404
    elif action != "view":
        raise PermissionDenied
    note.student = access.student
    return access, note
