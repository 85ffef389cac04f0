"""Whose notices someone may see (their own, and nobody else's), and who may hear of
an event at all (``may_hear_of``: asked when a notice is made and again when it goes)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from samepage.accounts.models import User
from samepage.core.bounds import is_record_id
from samepage.notifications.kinds import KINDS
from samepage.notifications.models import Notice
from samepage.schools.models import Student
from samepage.teams.permissions import StudentAccess, student_access


def visible_to(user: Any) -> QuerySet[Notice]:
    """A person's own notices (nobody sees another's, staff included)."""
    if not getattr(user, "is_authenticated", False):
        return Notice.objects.none()
    return Notice.objects.filter(recipient=user)


def access_notice(user: Any, notice_id: Any) -> Notice:
    """One of ``user``'s notices; another person's, or none, answers 404."""
    if not is_record_id(str(notice_id)):
        raise Http404
    notice = visible_to(user).filter(pk=int(notice_id)).first()
    if notice is None:
        raise Http404
    return notice


def may_hear_of(
    user: User, access: StudentAccess | None, *, part: str, kind: str, target: Any
) -> bool:
    """Whether ``user``, with ``access`` to the student, may hear of an event of ``kind``
    about ``target`` in ``part`` of the record.

    The one rule, asked by ``actions.recipients`` when notices are made and by the email,
    digest and text senders when they go: first the permission layer's part check, then
    the kind's own ``audience`` (a staff-only thread's readers, a private thread's other
    participant). A notice from before parts were kept (``part`` blank) asks only that
    the person still sees the student.
    """
    if access is None:
        return False
    if part and not access.can_view(part):
        return False
    entry = KINDS.get(kind)
    if entry is not None and entry.audience is not None:
        if target is None:
            return False
        return bool(entry.audience(user, access, target))
    return True


def may_still_hear_of(
    person: User, notice: Notice, access_cache: dict[int, StudentAccess | None] | None = None
) -> bool:
    """Whether ``person`` may still hear of ``notice`` as it goes out (an email, a digest,
    a text): ``may_hear_of`` asked again now, with the notice's part and target, so a
    notice made while someone could see it does not reach them once they cannot.
    ``access_cache`` keeps one access per student across a digest."""
    cache = access_cache if access_cache is not None else {}
    if notice.student_id not in cache:
        student = Student.objects.select_related("district").filter(pk=notice.student_id).first()
        cache[notice.student_id] = student_access(person, student) if student else None
    access = cache[notice.student_id]
    if access is None:
        return False
    entry = KINDS.get(notice.kind)
    # The target is read again only for a kind that asks about it.
    target = notice.read_target() if entry is not None and entry.audience else None
    return may_hear_of(person, access, part=notice.part, kind=notice.kind, target=target)
