"""Team conversations: list a child's threads, read a thread's messages, write, withdraw,
mark read.

Thin, like the pages in samepage/conversations/views.py: ``conversations.permissions``
decides (student missing or not visible, or a thread the caller may not read → 404;
messages not shared, or a write not allowed → 403), the actions validate, write and
audit, the selectors read. Every read leaves one AccessEvent with part "messages".
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from samepage.api.auth import api_user
from samepage.api.pagination import Keyset, PageIn, body, page_of
from samepage.api.schemas import ErrorOut, RecordId, ValidationErrorOut
from samepage.api.schemas_conversations import (
    MessageIn,
    MessageOut,
    ReadIn,
    ReadOut,
    ThreadIn,
    ThreadOut,
)
from samepage.conversations import actions, selectors
from samepage.conversations.models import Message, Thread
from samepage.conversations.permissions import (
    ConversationAccess,
    access_conversations,
    access_message,
    access_thread,
)
from samepage.conversations.presenters import shown_for, translation_backend_name
from samepage.core.access_log import record_access
from samepage.core.markup import render_markup
from samepage.core.models import AccessEvent
from samepage.core.translation import Shown
from samepage.teams.permissions import Part

router = Router(tags=["conversations"])

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {400: ValidationErrorOut, **READ}

# Most recent activity first; newest message first (a client shows the latest, then
# asks for older ones with ``next``).
THREADS = Keyset("threads", ("-last_message_at", "-pk"))
MESSAGES = Keyset("messages", ("-created_at", "-pk"))
ThreadPage = page_of(ThreadOut)
MessagePage = page_of(MessageOut)


def _note_view(user: Any, access: ConversationAccess) -> None:
    record_access(user=user, access=access.record, part=Part.MESSAGES, via=AccessEvent.Via.API)


def _thread(thread: Thread, access: ConversationAccess) -> dict[str, Any]:
    other = None
    if thread.kind == Thread.Kind.PRIVATE:
        other = thread.person_b if thread.person_a_id == access.user_id else thread.person_a
    return {
        "id": thread.pk,
        "kind": thread.kind,
        "name": str(selectors.thread_name(thread, access.user_id)),
        "with_person": other,
        "unread": getattr(thread, "unread", 0),
        "message_count": getattr(thread, "message_count", 0),
        "last_message_at": thread.last_message_at,
    }


def _translation(shown: Shown | None) -> dict[str, Any] | None:
    """A translation the backend made for this reader; None when there is none (same
    language, no backend, or the backend failed: the original is what they read)."""
    if shown is None or not shown.translated:
        return None
    return {
        "text": shown.text,
        "html": str(render_markup(shown.text)),
        "language": shown.language,
        "from_language": shown.original_language,
        "backend": translation_backend_name(),
        "label": shown.label,
    }


def _messages(messages: list[Message], student_id: int) -> list[dict[str, Any]]:
    """A page of messages as the caller reads them: translated in one batch, as the
    thread page is (``presenters.shown_for``)."""
    shown = shown_for(messages)
    return [_message(m, student_id, shown.get(m.pk)) for m in messages]


def _message(message: Message, student_id: int, shown: Shown | None) -> dict[str, Any]:
    withdrawn = message.is_withdrawn
    stored = None if withdrawn else getattr(message, "attachment", None)
    attachment = None
    if stored is not None:
        url = reverse("conversations:attachment", args=[student_id, message.thread_id, message.pk])
        attachment = {
            "name": stored.name,
            "content_type": stored.content_type,
            "size": stored.size,
            "url": url,
        }
    return {
        "id": message.pk,
        "thread_id": message.thread_id,
        "author": message.author,
        "body": "" if withdrawn else message.body,
        "html": "" if withdrawn else str(render_markup(message.body)),
        "language": message.language,
        "translation": None if withdrawn else _translation(shown),
        "created_at": message.created_at,
        "withdrawn": withdrawn,
        "attachment": attachment,
    }


def _fresh(message: Message, student_id: int) -> dict[str, Any]:
    """One message just written or withdrawn, read back as a page of one."""
    row = Message.objects.select_related("author", "attachment").get(pk=message.pk)
    return _messages([row], student_id)[0]


@router.get(
    "/students/{student_id}/threads",
    response={200: ThreadPage, **WRITE},
    summary="The child's conversations the caller may read, most recent activity first",
)
def list_threads(request: HttpRequest, student_id: RecordId, page: Query[PageIn]) -> dict[str, Any]:
    user = api_user(request)
    access = access_conversations(user, student_id)
    THREADS.check(page)
    _note_view(user, access)
    found = THREADS.page(selectors.threads_for(access), page, few=True)
    return body(found, [_thread(t, access) for t in found.items])


@router.post(
    "/students/{student_id}/threads",
    response={201: MessageOut, **WRITE},
    summary=(
        "Start a staff-only or private conversation with its first message, or write in "
        'the team thread (kind "team")'
    ),
)
def start_thread(
    request: HttpRequest, student_id: RecordId, payload: ThreadIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    access = access_conversations(user, student_id)
    message = actions.check_start_thread(
        actor=user,
        access=access,
        kind=payload.kind,
        title=payload.title,
        with_id=payload.with_id,
        body=payload.body,
        language=payload.language,
    )
    return Status(201, _fresh(message, access.student.pk))


@router.get(
    "/students/{student_id}/threads/{thread_id}/messages",
    response={200: MessagePage, **WRITE},
    summary="A conversation's messages, newest first (withdrawn ones say so)",
)
def list_messages(
    request: HttpRequest, student_id: RecordId, thread_id: RecordId, page: Query[PageIn]
) -> dict[str, Any]:
    user = api_user(request)
    access, thread = access_thread(user, student_id, thread_id)
    MESSAGES.check(page)
    _note_view(user, access)
    found = MESSAGES.page(selectors.messages_of(thread), page, few=True)
    return body(found, _messages(list(found.items), access.student.pk))


@router.post(
    "/students/{student_id}/threads/{thread_id}/messages",
    response={201: MessageOut, **WRITE},
    summary="Write in a conversation",
)
def post_message(
    request: HttpRequest, student_id: RecordId, thread_id: RecordId, payload: MessageIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    access, thread = access_thread(user, student_id, thread_id, action="post")
    message = actions.check_post_message(
        thread, actor=user, access=access, body=payload.body, language=payload.language
    )
    return Status(201, _fresh(message, access.student.pk))


@router.post(
    "/students/{student_id}/threads/{thread_id}/read",
    response={200: ReadOut, **WRITE},
    summary="Mark a conversation read up to a message (the newest when none is named)",
)
def mark_read(
    request: HttpRequest, student_id: RecordId, thread_id: RecordId, payload: ReadIn
) -> dict[str, Any]:
    user = api_user(request)
    access, thread = access_thread(user, student_id, thread_id)
    rows = selectors.messages_of(thread)
    up_to = rows.filter(pk=payload.message_id).first() if payload.message_id else rows.first()
    if payload.message_id and up_to is None:
        raise ValidationError({"message_id": [_("No message of this conversation has that id.")]})
    mark = actions.do_mark_read(thread, actor=user, access=access, up_to=up_to)
    return {
        "thread_id": thread.pk,
        "last_read_message_id": mark.last_read_message_id if mark is not None else 0,
    }


@router.post(
    "/students/{student_id}/threads/{thread_id}/messages/{message_id}/withdraw",
    response={200: MessageOut, **WRITE},
    summary="Withdraw your own message (it stays, shown as withdrawn)",
)
def withdraw_message(
    request: HttpRequest, student_id: RecordId, thread_id: RecordId, message_id: RecordId
) -> dict[str, Any]:
    user = api_user(request)
    access, _thread, message = access_message(
        user, student_id, thread_id, message_id, action="withdraw"
    )
    actions.check_withdraw_message(message, actor=user, access=access)
    return _fresh(message, access.student.pk)
