"""Every write to conversations: write in the team thread, start a staff-only or private
thread, withdraw a message, mark a thread read.

Each takes a keyword-only ``actor`` and the ``ConversationAccess`` the permission layer
worked out for them, checks it is theirs and allows the write, runs in one transaction
and writes its audit row. A message announces itself with a "message.posted" event
(part "messages"); the notices' own audience rule keeps a staff-only or private
message's notice to those who may read its thread. Marking read is the reader's own
bookkeeping, as opening a notice is, and keeps no audit row.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samepage.accounts.models import User
from samepage.conversations.models import (
    MAX_MESSAGE_TEXT,
    MAX_TITLE,
    Message,
    MessageAttachment,
    Thread,
    ThreadRead,
)
from samepage.conversations.permissions import (
    ConversationAccess,
    check_may_post,
    check_may_post_team,
)
from samepage.conversations.selectors import people_to_write_to, private_thread_between
from samepage.core.audit import record_audit
from samepage.core.events import Event, publish
from samepage.core.uploads import CheckedUpload, store
from samepage.teams.permissions import Part, check_access_for


def _check(access: ConversationAccess | None, *, actor: Any) -> ConversationAccess:
    record = access.record if access is not None else None
    student = access.student if access is not None else None
    if access is None or student is None:
        raise PermissionDenied(_("Your role does not allow this."))
    check_access_for(record, actor=actor, student=student)
    if not access.can_read:
        raise PermissionDenied(_("This part of the record is not shared with you."))
    return access


def _body(value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({"body": [_("Write a message before sending it.")]})
    if len(text) > MAX_MESSAGE_TEXT:
        limit = number_format(MAX_MESSAGE_TEXT, force_grouping=True)
        raise ValidationError(
            {"body": [_("Please keep a message under %(n)s characters.") % {"n": limit}]}
        )
    return text


def _language(actor: Any, language: str | None) -> str:
    """The language the author writes in: the one they said, else their own."""
    known = {"en", "es"}
    for candidate in (language, getattr(actor, "language", None), get_language()):
        code = (candidate or "").split("-")[0].lower()
        if code in known:
            return code
    return "en"


def _write(
    thread: Thread,
    *,
    actor: Any,
    body: str,
    language: str | None,
    attachment: CheckedUpload | None,
) -> Message:
    now = timezone.now()
    message = Message.objects.create(
        thread=thread,
        author=actor,
        body=body,
        language=_language(actor, language),
        created_at=now,
    )
    if attachment is not None:
        store(attachment, MessageAttachment(message=message))
    Thread.objects.filter(pk=thread.pk).update(last_message_at=now)
    thread.last_message_at = now
    # The author has read their own message.
    ThreadRead.objects.update_or_create(
        thread=thread,
        user=actor,
        defaults={"last_read_message_id": message.pk, "read_at": now},
    )
    record_audit(
        actor=actor,
        action="message.posted",
        target=message,
        changes={
            "student": thread.student_id,
            "thread": thread.pk,
            "kind": thread.kind,
            "attachment": attachment.sha256 if attachment is not None else None,
        },
    )
    publish(Event("message.posted", actor, thread.student, Part.MESSAGES, message))
    return message


def _team_thread(access: ConversationAccess, actor: Any) -> Thread:
    """The student's team thread, made now if this is its first message."""
    student = access.student
    found = Thread.objects.select_for_update().filter(student=student, kind=Thread.Kind.TEAM)
    thread = found.first()
    if thread is not None:
        return thread
    try:
        with transaction.atomic():
            thread = Thread.objects.create(student=student, kind=Thread.Kind.TEAM, started_by=actor)
    except IntegrityError:
        # Someone else wrote the first message a moment ago.
        return Thread.objects.get(student=student, kind=Thread.Kind.TEAM)
    record_audit(
        actor=actor,
        action="thread.started",
        target=thread,
        changes={"student": student.pk, "kind": thread.kind},
    )
    return thread


def check_post_to_team(
    *,
    actor: Any,
    access: ConversationAccess | None,
    body: str,
    language: str | None = None,
    attachment: CheckedUpload | None = None,
) -> Message:
    """Write in the student's team thread (made when its first message is written)."""
    access = _check(access, actor=actor)
    check_may_post_team(access)
    text = _body(body)
    with transaction.atomic():
        thread = _team_thread(access, actor)
        thread.student = access.student
        return _write(thread, actor=actor, body=text, language=language, attachment=attachment)


def check_post_message(
    thread: Thread,
    *,
    actor: Any,
    access: ConversationAccess | None,
    body: str,
    language: str | None = None,
    attachment: CheckedUpload | None = None,
) -> Message:
    """Write in ``thread``, which the permission layer found for ``actor``."""
    access = _check(access, actor=actor)
    if thread.student_id != access.student.pk:
        raise PermissionDenied(_("Your role does not allow this."))
    check_may_post(access, thread)
    text = _body(body)
    with transaction.atomic():
        thread.student = access.student
        return _write(thread, actor=actor, body=text, language=language, attachment=attachment)


def check_start_thread(
    *,
    actor: Any,
    access: ConversationAccess | None,
    kind: str,
    body: str,
    title: str = "",
    with_id: Any = None,
    language: str | None = None,
    attachment: CheckedUpload | None = None,
) -> Message:
    """Start a staff-only thread (with a title) or a private one with one other person,
    with its first message. A private thread that exists already gets the message."""
    access = _check(access, actor=actor)
    errors: dict[str, list[Any]] = {}
    other: User | None = None
    if kind == Thread.Kind.STAFF:
        if not access.can_start_staff_thread:
            raise PermissionDenied(_("Only staff who see staff-only notes can start one."))
        title = (title or "").strip()
        if not title:
            errors["title"] = [_("Give the conversation a title.")]
        elif len(title) > MAX_TITLE:
            errors["title"] = [
                _("Please keep the title under %(n)s characters.") % {"n": MAX_TITLE}
            ]
    elif kind == Thread.Kind.PRIVATE:
        if not access.can_start_private:
            raise PermissionDenied(_("Your role does not allow this."))
        people = {p.pk: p for p in people_to_write_to(access)}
        try:
            other = people.get(int(with_id))
        except (TypeError, ValueError):
            other = None
        if other is None:
            errors["with_id"] = [_("Choose someone on this child's team.")]
        title = ""
    elif kind == Thread.Kind.TEAM:
        return check_post_to_team(
            actor=actor, access=access, body=body, language=language, attachment=attachment
        )
    else:
        errors["kind"] = [_("Choose who the conversation is with.")]
    try:
        text = _body(body)
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    student = access.student
    with transaction.atomic():
        thread = None
        if other is not None:
            thread = private_thread_between(student, actor.pk, other.pk)
        if thread is None:
            low, high = sorted((actor.pk, other.pk)) if other is not None else (None, None)
            thread = Thread.objects.create(
                student=student,
                kind=kind,
                title=title,
                started_by=actor,
                person_a_id=low,
                person_b_id=high,
            )
            record_audit(
                actor=actor,
                action="thread.started",
                target=thread,
                changes={"student": student.pk, "kind": kind, "with": other},
            )
        thread.student = student
        return _write(thread, actor=actor, body=text, language=language, attachment=attachment)


def check_withdraw_message(
    message: Message, *, actor: Any, access: ConversationAccess | None
) -> Message:
    """The author takes their message back: the row stays, shown as withdrawn."""
    access = _check(access, actor=actor)
    if message.author_id != actor.pk or message.thread.student_id != access.student.pk:
        raise PermissionDenied(_("Only the person who wrote a message can withdraw it."))
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
        if locked.withdrawn_at is not None:
            return locked
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["withdrawn_at"])
        record_audit(
            actor=actor,
            action="message.withdrawn",
            target=locked,
            changes={"student": access.student.pk, "thread": message.thread_id},
        )
    message.withdrawn_at = locked.withdrawn_at
    return message


def do_mark_read(
    thread: Thread, *, actor: Any, access: ConversationAccess | None, up_to: Message | None
) -> ThreadRead | None:
    """``actor`` has read ``thread`` up to ``up_to`` (never backwards)."""
    access = _check(access, actor=actor)
    if up_to is None or thread.student_id != access.student.pk:
        return None
    with transaction.atomic():
        mark, created = ThreadRead.objects.select_for_update().get_or_create(
            thread=thread,
            user=actor,
            defaults={"last_read_message_id": up_to.pk},
        )
        if not created and mark.last_read_message_id < up_to.pk:
            mark.last_read_message_id = up_to.pk
            mark.read_at = timezone.now()
            mark.save(update_fields=["last_read_message_id", "read_at"])
    return mark
