"""Who may read a child's problem-solving log and write in it.

Built on ``access_student`` with the "profile" part: tricky situations are about what
upsets and calms the child, so whoever may see the profile sees the log. A student one
may not see answers 404; a student whose profile is not shared (an advocate whose consent
leaves the profile out) answers 403. The rules, each in one place:

- raise a situation, add an idea: everyone who sees the log (staff on the team, the
  general-education teacher included; the family; the student; advocates whose consent
  covers the profile; leaders);
- agree what to try: staff on the child's team (the case manager among them);
- record an outcome: the try's owner, or staff on the team;
- edit, close or reopen a situation: the person who raised it, or staff on the team;
- add what helped to the profile: whoever may write in the profile (its own rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from samepage.problems.models import AgreedTry, TrickySituation
from samepage.profiles.permissions import ProfileAccess
from samepage.schools.models import Student
from samepage.teams.permissions import Part, StudentAccess, access_student


@dataclass
class ProblemAccess:
    """What one person may do with one student's problem-solving log (templates ask)."""

    record: StudentAccess

    @property
    def student(self) -> Student:
        return self.record.student

    @property
    def user_id(self) -> int | None:
        return self.record.user_id

    @property
    def can_view(self) -> bool:
        return Part.PROFILE in self.record.parts

    @property
    def can_raise(self) -> bool:
        return self.can_view

    @property
    def can_add_idea(self) -> bool:
        return self.can_view

    @property
    def is_team_staff(self) -> bool:
        """Staff on this child's team: their membership, not a leader's blanket reach."""
        return self.can_view and self.record.is_staff and bool(self.record.team_roles)

    @property
    def can_agree(self) -> bool:
        return self.is_team_staff

    @property
    def profile(self) -> ProfileAccess:
        return ProfileAccess(self.record, self.record.user_id or 0)

    @property
    def can_feed_profile(self) -> bool:
        return self.profile.can_write

    def can_record_outcome(self, agreed: AgreedTry) -> bool:
        return self.is_team_staff or (self.can_view and agreed.owner_id == self.user_id)

    def can_edit(self, situation: TrickySituation) -> bool:
        return self.is_team_staff or (self.can_view and situation.raised_by_id == self.user_id)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def check_log_action(access: ProblemAccess, action: str) -> None:
    """Refuse (403) unless ``access`` allows ``action`` on the log: view, raise, agree."""
    if action in ("view", "raise", "idea"):
        _require(access.can_view, _("This part of the record is not shared with you."))
    elif action == "agree":
        _require(
            access.can_agree,
            _("Staff on the child's team record what the team agreed to try."),
        )
    else:
        raise PermissionDenied


def access_problem_log(user: Any, student_id: Any, *, action: str = "view") -> ProblemAccess:
    """A student's problem-solving log if ``user`` may do ``action`` with it."""
    student = access_student(user, student_id, part=Part.PROFILE)
    access = ProblemAccess(student.access)  # type: ignore[attr-defined]
    check_log_action(access, action)
    return access


def situations_of(student: Student) -> QuerySet[TrickySituation]:
    return TrickySituation.objects.filter(student=student)


def access_situation(
    user: Any, student_id: Any, situation_id: Any, *, action: str = "view"
) -> tuple[ProblemAccess, TrickySituation]:
    """One situation of this student; another student's answers 404 like a missing one.

    ``action``: "view", "idea", "agree", or "edit" (edit, close, reopen).
    """
    access = access_problem_log(user, student_id, action="agree" if action == "agree" else "view")
    situation = (
        situations_of(access.student)
        .select_related("raised_by", "closed_by")
        .filter(pk=_pk(situation_id))
        .first()
    )
    if situation is None:
        raise Http404
    situation.student = access.student
    if action == "edit":
        _require(
            access.can_edit(situation),
            _("The person who raised this, or staff on the child's team, can change it."),
        )
    elif action not in ("view", "idea", "agree"):
        raise PermissionDenied
    return access, situation


def access_try(
    user: Any, student_id: Any, situation_id: Any, try_id: Any, *, action: str = "view"
) -> tuple[ProblemAccess, AgreedTry]:
    """One try of one situation of this student; ``outcome``: its owner or team staff;
    ``feed``: someone who may write in the profile."""
    access, situation = access_situation(user, student_id, situation_id)
    agreed = (
        AgreedTry.objects.select_related("owner", "agreed_by")
        .filter(pk=_pk(try_id), situation=situation)
        .first()
    )
    if agreed is None:
        raise Http404
    agreed.situation = situation
    if action == "outcome":
        _require(
            access.can_record_outcome(agreed),
            _("The person who owns this try, or staff on the child's team, record how it went."),
        )
    elif action == "feed":
        _require(
            access.can_feed_profile,
            _("Families, the student and school staff write in the profile. You can read it."),
        )
    elif action != "view":
        raise PermissionDenied
    return access, agreed


def owner_hears_of_try(user: Any, record: StudentAccess, agreed: AgreedTry) -> bool:
    """The notice hook for a try agreed or due: only its owner hears of it (who still
    sees the profile: the notices app asks the part first)."""
    return bool(agreed.owner_id == getattr(user, "pk", None))
