"""Who may read and write which conversations about a child.

Built on ``access_student`` with the "messages" part: whoever may not see the student
answers 404; whoever may see the student but not its messages answers 403. Then, per
thread (a thread someone may not read answers 404, like a missing one):

- the team thread: everyone with the messages part;
- a staff-only thread: staff who may see staff-only notes, never a family member (a
  teacher who is also this child's parent is family here);
- a private thread: its two people, each only while they still see the messages.

Writing to a thread a family member or an advocate reads (the team thread, a private
one with them) needs "message the family" from staff. ``can_read_thread`` is the one
rule: pages, API and the notices of a message (``notifications.kinds``) all ask it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from samepage.conversations.models import Message, Thread
from samepage.core.bounds import is_record_id
from samepage.schools.models import Student
from samepage.teams.models import Capability
from samepage.teams.permissions import Part, StudentAccess, access_student, student_access


@dataclass
class ConversationAccess:
    """What one person may do with one student's conversations (templates ask these)."""

    record: StudentAccess

    @property
    def student(self) -> Student:
        return self.record.student

    @property
    def user_id(self) -> int:
        return self.record.user_id or 0

    @property
    def can_read(self) -> bool:
        return Part.MESSAGES in self.record.parts

    @property
    def can_see_staff_threads(self) -> bool:
        return self.can_read and self.record.is_staff and self.record.can_see_staff_notes

    @property
    def may_message_family(self) -> bool:
        """Write where a family member or an advocate reads."""
        if not self.can_read:
            return False
        if self.record.is_family or not self.record.is_staff:
            return True
        return Capability.MESSAGE_FAMILY in self.record.capabilities

    @property
    def can_start_staff_thread(self) -> bool:
        return self.can_see_staff_threads

    @property
    def can_start_private(self) -> bool:
        return self.can_read

    @property
    def can_start_thread(self) -> bool:
        return self.can_start_staff_thread or self.can_start_private


def conversation_access(record: StudentAccess | None) -> ConversationAccess | None:
    if record is None or Part.MESSAGES not in record.parts:
        return None
    return ConversationAccess(record)


def conversation_access_for(user: Any, student: Student) -> ConversationAccess | None:
    """What ``user`` may do with ``student``'s conversations, or None."""
    return conversation_access(student_access(user, student))


def access_conversations(user: Any, student_id: Any) -> ConversationAccess:
    """A student's conversations: 404 if the student is not visible, 403 without messages."""
    student = access_student(user, student_id, part=Part.MESSAGES)
    return ConversationAccess(student.access)  # type: ignore[attr-defined]


def _readable_kinds(access: ConversationAccess) -> Q:
    """The threads of one student this person reads (the student left to the caller)."""
    user_id = access.user_id
    condition = Q(kind=Thread.Kind.TEAM) | Q(kind=Thread.Kind.PRIVATE, person_a_id=user_id)
    condition |= Q(kind=Thread.Kind.PRIVATE, person_b_id=user_id)
    if access.can_see_staff_threads:
        condition |= Q(kind=Thread.Kind.STAFF)
    return condition


def visible_threads(access: ConversationAccess) -> QuerySet[Thread]:
    """The threads of the student this person may read (one definition for every list)."""
    if not access.can_read:
        return Thread.objects.none()
    return Thread.objects.filter(_readable_kinds(access), student_id=access.student.pk)


def visible_threads_of_many(accesses: Iterable[ConversationAccess]) -> QuerySet[Thread]:
    """``visible_threads`` for several students of one person at once (a home's caseload):
    students whose accesses read the same kinds of thread share one condition, so the
    query stays the same size however many students there are."""
    groups: dict[bool, tuple[Q, list[int]]] = {}
    user_ids = set()
    for access in accesses:
        if not access.can_read:
            continue
        user_ids.add(access.user_id)
        kinds = groups.setdefault(access.can_see_staff_threads, (_readable_kinds(access), []))
        kinds[1].append(access.student.pk)
    if len(user_ids) > 1:
        raise ValueError("visible_threads_of_many takes one person's accesses")
    condition = Q(pk__in=[])
    for readable, student_ids in groups.values():
        condition |= readable & Q(student_id__in=student_ids)
    return Thread.objects.filter(condition) if groups else Thread.objects.none()


def can_read_thread(access: ConversationAccess | None, thread: Thread) -> bool:
    """Whether the person whose ``access`` this is may read ``thread``."""
    if access is None or not access.can_read or thread.student_id != access.student.pk:
        return False
    if thread.kind == Thread.Kind.TEAM:
        return True
    if thread.kind == Thread.Kind.STAFF:
        return access.can_see_staff_threads
    return thread.has_person(access.user_id)


def family_reads(thread: Thread, other: StudentAccess | None = None) -> bool:
    """Whether a family member or an advocate reads ``thread``. For a private thread,
    ``other`` is the other person's access (None: they no longer have any)."""
    if thread.kind == Thread.Kind.TEAM:
        return True
    if thread.kind == Thread.Kind.STAFF:
        return False
    return other is not None and (other.is_family or not other.is_staff)


def may_hear_of_message(user: Any, record: StudentAccess, message: Message) -> bool:
    """The notice hook: may this person, with ``record``, read ``message``'s thread?"""
    return can_read_thread(conversation_access(record), message.thread)


def _pk(value: Any) -> int:
    text = str(value)
    if not is_record_id(text):
        raise Http404
    return int(text)


def access_thread(
    user: Any, student_id: Any, thread_id: Any, *, action: str = "view"
) -> tuple[ConversationAccess, Thread]:
    """One thread of this student for ``action`` ("view" or "post").

    A thread of another student, or one this person may not read, answers 404 like a
    missing one; writing where they may read but not write answers 403.
    """
    access = access_conversations(user, student_id)
    thread = (
        visible_threads(access)
        .select_related("person_a", "person_b")
        .filter(pk=_pk(thread_id))
        .first()
    )
    if thread is None or not can_read_thread(access, thread):
        raise Http404
    thread.student = access.student
    if action == "post":
        check_may_post(access, thread)
    elif action != "view":
        raise PermissionDenied
    return access, thread


def other_access(access: ConversationAccess, thread: Thread) -> StudentAccess | None:
    """The other person's access to the student, for a private thread (None otherwise)."""
    other_id = thread.other_person_id(access.user_id)
    if other_id is None:
        return None
    other = thread.person_b if thread.person_b_id == other_id else thread.person_a
    return student_access(other, access.student)


def check_may_post(access: ConversationAccess, thread: Thread) -> None:
    """Refuse (403) writing to ``thread``."""
    if not can_read_thread(access, thread):
        raise PermissionDenied(_("You cannot write in this conversation."))
    if thread.kind == Thread.Kind.PRIVATE:
        other = other_access(access, thread)
        if other is None or Part.MESSAGES not in other.parts:
            raise PermissionDenied(
                _("The other person no longer has access to this child's messages.")
            )
        if family_reads(thread, other) and not access.may_message_family:
            raise PermissionDenied(_("Your role does not allow messaging the family."))
        return
    if family_reads(thread) and not access.may_message_family:
        raise PermissionDenied(_("Your role does not allow messaging the family."))


def check_may_post_team(access: ConversationAccess) -> None:
    """Refuse (403) writing to the team thread (which may not exist yet)."""
    if not access.may_message_family:
        raise PermissionDenied(_("Your role does not allow messaging the family."))


def access_message(
    user: Any, student_id: Any, thread_id: Any, message_id: Any, *, action: str = "view"
) -> tuple[ConversationAccess, Thread, Message]:
    """One message of a thread this person may read; "withdraw" is for its author only."""
    access, thread = access_thread(user, student_id, thread_id)
    message = (
        Message.objects.select_related("author", "attachment")
        .filter(pk=_pk(message_id), thread=thread)
        .first()
    )
    if message is None:
        raise Http404
    message.thread = thread
    if action == "withdraw":
        if message.author_id != access.user_id:
            raise PermissionDenied(_("Only the person who wrote a message can withdraw it."))
    elif action != "view":
        raise PermissionDenied
    return access, thread, message
