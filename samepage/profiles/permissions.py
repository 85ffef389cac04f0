"""Who may see and write which parts of a child's profile and student voice.

Built on the student permission layer (``Part.PROFILE``): a profile of a student someone
may not see answers 404; a visible profile they may not change answers 403.

The rules, each in one place:

- Everyone with the profile part sees the team-visible entries: the family, the student,
  staff on the team (general-education teachers included), school and district leaders,
  and advocates whose consent includes the "profile" scope.
- A private draft is seen only by its author.
- Health notes are narrower: the family (guardians and the student) and staff who may
  view the full record (``Capability.VIEW_RECORD``). A general-education teacher with the
  default capabilities and advocates do not see them, and so cannot write them either.
- Guardians (restricted ones see nothing at all) and the student write entries
  attributed to themselves; staff write entries marked "staff observation". Advocates
  read only.
- Only the author edits or archives an entry.
- The family asks for a staff observation to be corrected; staff who may view the full
  record answer.
- Student voice: the student's own account writes; staff on the team record what the
  student said in an interview. Everyone with the profile part reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from samepage.profiles.models import (
    Attribution,
    CorrectionRequest,
    ProfileEntry,
    ProfileSection,
    StudentVoiceEntry,
    Visibility,
    VoiceSource,
)
from samepage.schools.models import Student
from samepage.teams.models import Capability
from samepage.teams.permissions import Part, StudentAccess, access_student


@dataclass
class ProfileAccess:
    """What one person may do with one student's profile (templates ask these)."""

    student_access: StudentAccess
    user_id: int

    @property
    def is_student(self) -> bool:
        return self.student_access.student.account_id == self.user_id

    @property
    def can_view(self) -> bool:
        return Part.PROFILE in self.student_access.parts

    @property
    def can_see_health(self) -> bool:
        access = self.student_access
        return self.can_view and (
            access.is_family or (access.is_staff and Capability.VIEW_RECORD in access.capabilities)
        )

    @property
    def can_write(self) -> bool:
        access = self.student_access
        return self.can_view and (access.is_family or access.is_staff)

    @property
    def attribution(self) -> str | None:
        """How this person's entries are marked; None for people who may not write."""
        if not self.can_write:
            return None
        if self.is_student:
            return Attribution.STUDENT
        if self.student_access.is_family:
            return Attribution.GUARDIAN
        return Attribution.STAFF_OBSERVATION

    @property
    def can_request_correction(self) -> bool:
        return self.can_view and self.student_access.is_family

    @property
    def can_answer_corrections(self) -> bool:
        access = self.student_access
        return self.can_view and access.is_staff and Capability.VIEW_RECORD in access.capabilities

    @property
    def can_write_voice(self) -> bool:
        return self.can_view and (self.is_student or self.student_access.is_staff)

    @property
    def voice_source(self) -> str | None:
        if not self.can_write_voice:
            return None
        if self.is_student:
            return VoiceSource.WRITTEN_BY_STUDENT
        return VoiceSource.RECORDED_BY_STAFF

    def writable_sections(self) -> list[tuple[str, Any]]:
        """The sections this person may write in (health only if they may see it)."""
        return [
            (key, label)
            for key, label in ProfileSection.choices
            if key != ProfileSection.HEALTH or self.can_see_health
        ]

    def can_see_entry(self, entry: ProfileEntry) -> bool:
        if not self.can_view:
            return False
        if entry.visibility == Visibility.PRIVATE_DRAFT and entry.author_id != self.user_id:
            return False
        return entry.section != ProfileSection.HEALTH or self.can_see_health

    def can_edit_entry(self, entry: ProfileEntry) -> bool:
        return (
            self.can_write
            and entry.author_id == self.user_id
            and not entry.is_archived
            and self.can_see_entry(entry)
        )

    def can_correct_entry(self, entry: ProfileEntry) -> bool:
        return (
            self.can_request_correction
            and entry.is_staff_observation
            and entry.visibility == Visibility.TEAM
            and not entry.is_archived
        )

    def can_edit_voice(self, entry: StudentVoiceEntry) -> bool:
        return self.can_write_voice and entry.author_id == self.user_id


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def profile_access(user: Any, student: Student) -> ProfileAccess:
    """The ProfileAccess for a student returned by ``access_student``."""
    return ProfileAccess(student.access, user.pk)  # type: ignore[attr-defined]


def access_profile(user: Any, student_id: Any, *, action: str = "view") -> Student:
    """The student whose profile ``user`` may ``view``, ``write``, ``answer`` or use for
    ``voice`` (write student voice). The ProfileAccess rides along as
    ``student.profile_access``."""
    student = access_student(user, student_id, part=Part.PROFILE)
    access = profile_access(user, student)
    if action == "view":
        pass
    elif action == "write":
        _require(
            access.can_write,
            _("Families, the student and school staff write in the profile. You can read it."),
        )
    elif action == "answer":
        _require(
            access.can_answer_corrections,
            _("Only staff who may view the full record answer correction requests."),
        )
    elif action == "voice":
        _require(
            access.can_write_voice,
            _("Student voice is written by the student, or recorded by staff in an interview."),
        )
    else:
        raise PermissionDenied
    student.profile_access = access  # type: ignore[attr-defined]
    return student


def access_entry(
    user: Any, student_id: Any, entry_id: Any, *, action: str = "view"
) -> ProfileEntry:
    """One entry of this student's profile that ``user`` may see.

    Another student's entry, someone else's private draft, a health note the person may
    not see, or an archived entry answers 404 like a missing one. ``edit`` (and archive)
    is the author's; ``correct`` asks for a staff observation to be corrected.
    """
    student = access_profile(user, student_id)
    access: ProfileAccess = student.profile_access  # type: ignore[attr-defined]
    entry = (
        ProfileEntry.objects.select_related("author")
        .filter(pk=_pk(entry_id), student=student, archived_at__isnull=True)
        .first()
    )
    if entry is None or not access.can_see_entry(entry):
        raise Http404
    entry.student = student
    if action == "view":
        pass
    elif action == "edit":
        _require(access.can_edit_entry(entry), _("Only the person who wrote this can change it."))
    elif action == "correct":
        _require(
            access.can_request_correction,
            _("The family asks for corrections of staff observations."),
        )
        _require(
            access.can_correct_entry(entry),
            _("Only a staff observation shared with the team can be corrected this way."),
        )
    else:
        raise PermissionDenied
    return entry


def access_correction(
    user: Any, student_id: Any, request_id: Any, *, action: str = "view"
) -> CorrectionRequest:
    """A correction request on an entry of this student that ``user`` may see."""
    student = access_profile(user, student_id)
    access: ProfileAccess = student.profile_access  # type: ignore[attr-defined]
    correction = (
        CorrectionRequest.objects.select_related("entry", "entry__author", "requested_by")
        .filter(pk=_pk(request_id), entry__student=student)
        .first()
    )
    if correction is None or not access.can_see_entry(correction.entry):
        raise Http404
    correction.entry.student = student
    if action == "view":
        pass
    elif action == "answer":
        _require(
            access.can_answer_corrections,
            _("Only staff who may view the full record answer correction requests."),
        )
    else:
        raise PermissionDenied
    return correction


def access_voice_entry(
    user: Any, student_id: Any, voice_id: Any, *, action: str = "view"
) -> StudentVoiceEntry:
    """One student voice entry of this student; ``edit`` is its author's."""
    student = access_profile(user, student_id)
    access: ProfileAccess = student.profile_access  # type: ignore[attr-defined]
    entry = (
        StudentVoiceEntry.objects.select_related("author")
        .filter(pk=_pk(voice_id), student=student)
        .first()
    )
    if entry is None:
        raise Http404
    entry.student = student
    if action == "view":
        pass
    elif action == "edit":
        _require(access.can_edit_voice(entry), _("Only the person who wrote this can change it."))
    else:
        raise PermissionDenied
    return entry
