"""Read queries for conversations: a constant number of queries however many threads or
messages there are (the tests pin them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from samepage.accounts.models import User
from samepage.conversations.models import Message, Thread, ThreadRead
from samepage.conversations.permissions import (
    ConversationAccess,
    conversation_access,
    visible_threads,
    visible_threads_of_many,
)
from samepage.core.dates import district_today
from samepage.schools.models import Guardian, Student
from samepage.teams.models import ConsentGrant, TeamMembership
from samepage.teams.permissions import Part, student_access, student_accesses

# How many messages a thread page shows at a time (the newest first).
MESSAGES_PER_PAGE = 30
THREADS_PER_PAGE = 30


def _read_mark(user_id: int, field: str = "last_read_message_id") -> Subquery:
    return Subquery(
        ThreadRead.objects.filter(thread=OuterRef("pk"), user_id=user_id).values(field)[:1],
        output_field=IntegerField(),
    )


def _unread_count(user_id: int) -> Coalesce:
    """Messages of the thread after the person's read mark, written by someone else."""
    unread = (
        Message.objects.filter(thread=OuterRef("pk"), withdrawn_at__isnull=True)
        .exclude(author_id=user_id)
        .filter(pk__gt=Coalesce(OuterRef("read_to"), Value(0)))
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))


def threads_for(access: ConversationAccess) -> QuerySet[Thread]:
    """The threads this person may read, most recent activity first, each with
    ``unread`` (messages by others they have not read) and ``message_count``. One query."""
    user_id = access.user_id
    count = (
        Message.objects.filter(thread=OuterRef("pk"))
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        visible_threads(access)
        .select_related("person_a", "person_b", "started_by")
        .annotate(read_to=_read_mark(user_id))
        .annotate(
            unread=_unread_count(user_id),
            message_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        )
        .order_by("-last_message_at", "-id")
    )


def unread_total(access: ConversationAccess) -> int:
    """How many messages by others this person has not read, in every thread they see."""
    user_id = access.user_id
    total = (
        visible_threads(access)
        .annotate(read_to=_read_mark(user_id))
        .annotate(unread=_unread_count(user_id))
        .aggregate(total=Sum("unread"))["total"]
    )
    return int(total or 0)


def unread_by_student(user: Any, students: Iterable[Student | int]) -> dict[int, int]:
    """How many messages by others ``user`` has not read, per student, in the threads
    the permission layer lets them read (a staff-only thread counts only for staff who
    may see staff-only notes; a private one only for its two people). Students with
    nothing unread, or whose messages ``user`` may not read, are left out. Students are
    rows or ids (``student_accesses``).

    A fixed number of queries however many students: their accesses together
    (``student_accesses``), then one query over all their readable threads."""
    accesses = [
        access
        for record in student_accesses(user, students).values()
        if (access := conversation_access(record)) is not None
    ]
    if not accesses:
        return {}
    user_id = accesses[0].user_id
    # Threads with nothing unread are skipped here, not in SQL: a filter on the count
    # repeats its subquery in WHERE, so every thread was counted twice (a caseload's
    # threads are a few per student).
    rows = (
        visible_threads_of_many(accesses)
        .annotate(read_to=_read_mark(user_id))
        .annotate(unread=_unread_count(user_id))
        .order_by()
        .values_list("student_id", "unread")
    )
    counts: dict[int, int] = {}
    for student_id, unread in rows:
        if unread:
            counts[student_id] = counts.get(student_id, 0) + unread
    return counts


def mark_unread_messages(user: Any, students: Iterable[Student]) -> None:
    """Set ``unread_messages`` on each of ``students`` (a page of a home's list) for
    ``user``: ``unread_by_student`` for all of them at once, so no query per row."""
    students = list(students)
    counts = unread_by_student(user, students)
    for student in students:
        student.unread_messages = counts.get(student.pk, 0)  # type: ignore[attr-defined]


def team_thread(student: Student) -> Thread | None:
    return Thread.objects.filter(student=student, kind=Thread.Kind.TEAM).first()


def messages_of(thread: Thread) -> QuerySet[Message]:
    """A thread's messages, newest first, with their authors and attachments."""
    return (
        Message.objects.filter(thread=thread)
        .select_related("author", "attachment")
        .order_by("-created_at", "-id")
    )


def read_mark(thread: Thread, user_id: int) -> ThreadRead | None:
    return ThreadRead.objects.filter(thread=thread, user_id=user_id).first()


@dataclass(frozen=True)
class SeenBy:
    """Who has read up to a message (the latest ones), for "Seen by …"."""

    message_id: int
    names: list[str]


def seen_by(thread: Thread, latest: Message | None, *, exclude_id: int | None) -> SeenBy | None:
    """The people (not the reader, not the author) who have read up to ``latest``."""
    if latest is None:
        return None
    reads = (
        ThreadRead.objects.filter(thread=thread, last_read_message_id__gte=latest.pk)
        .exclude(user_id__in=[exclude_id, latest.author_id])
        .select_related("user")
        .order_by("read_at", "id")
    )
    return SeenBy(latest.pk, [r.user.display_name for r in reads])


def people_to_write_to(access: ConversationAccess) -> list[User]:
    """Everyone on the child's team who may see its messages, but the person themselves:
    whom a private thread may be with. Each one's access is the permission layer's answer.
    Staff who may not message the family are offered only other staff."""
    student = access.student
    today = district_today(student.district)
    ids = set(
        TeamMembership.objects.current(today)
        .filter(student=student)
        .values_list("user_id", flat=True)
    )
    ids |= set(
        Guardian.objects.filter(student=student, is_restricted=False).values_list(
            "user_id", flat=True
        )
    )
    ids |= set(
        ConsentGrant.objects.active(today)
        .filter(student=student)
        .values_list("grantee_id", flat=True)
    )
    if student.account_id is not None:
        ids.add(student.account_id)
    ids.discard(access.user_id)
    found = []
    for person in User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk"):
        other = student_access(person, student)
        if other is None or Part.MESSAGES not in other.parts:
            continue
        if not access.may_message_family and (other.is_family or not other.is_staff):
            continue
        found.append(person)
    return found


def private_thread_between(student: Student, one_id: int, other_id: int) -> Thread | None:
    low, high = sorted((one_id, other_id))
    return Thread.objects.filter(
        Q(student=student, kind=Thread.Kind.PRIVATE, person_a_id=low, person_b_id=high)
    ).first()


def thread_name(thread: Thread, reader_id: int | None) -> Any:
    """What a thread is called for this reader."""
    if thread.kind == Thread.Kind.PRIVATE:
        other = thread.person_b if thread.person_a_id == reader_id else thread.person_a
        return other.display_name if other is not None else ""
    return thread.title or thread.get_kind_display()
