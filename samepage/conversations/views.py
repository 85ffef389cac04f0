"""Conversation pages: the list of a child's conversations, one thread, starting one,
withdrawing a message, an attachment, and the fragment htmx polls for new messages.
Thin: permissions decide, actions write, selectors read. Every page works without
JavaScript; with it, new messages appear every 20 seconds without reloading."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samepage.conversations import actions, selectors
from samepage.conversations.forms import MessageForm, StartThreadForm
from samepage.conversations.models import Message, Thread
from samepage.conversations.permissions import (
    ConversationAccess,
    access_conversations,
    access_message,
    access_thread,
    check_may_post,
    check_may_post_team,
)
from samepage.conversations.presenters import shown_messages
from samepage.core.access_log import record_access
from samepage.core.bounds import is_record_id, paginate
from samepage.core.forms import add_validation_errors
from samepage.core.htmx import HtmxHttpRequest, see_other
from samepage.core.uploads import file_response
from samepage.teams.permissions import Part


def _record(request: HttpRequest, access: ConversationAccess) -> None:
    record_access(user=request.user, access=access.record, part=Part.MESSAGES, via="page")


@require_GET
@login_required
def conversation_list(request: HttpRequest, student_id: int) -> HttpResponse:
    access = access_conversations(request.user, student_id)
    page = paginate(
        selectors.threads_for(access), request.GET.get("page"), selectors.THREADS_PER_PAGE
    )
    _record(request, access)
    threads = list(page)
    user_id = access.user_id
    rows = [
        {
            "thread": t,
            "name": selectors.thread_name(t, user_id),
            "unread": t.unread,  # type: ignore[attr-defined]
            "count": t.message_count,  # type: ignore[attr-defined]
        }
        for t in threads
    ]
    # Until its first message the team thread is offered as an empty one to write in.
    has_team = selectors.team_thread(access.student) is not None
    context = {
        "student": access.student,
        "access": access,
        "record": access.record,
        "rows": rows,
        "page": page,
        "show_empty_team": not has_team and page.number == 1,
    }
    return render(request, "conversations/list.html", context)


def _thread_page(
    request: HttpRequest,
    access: ConversationAccess,
    thread: Thread | None,
    *,
    form: MessageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    _record(request, access)
    user = request.user
    if thread is not None:
        rows = selectors.messages_of(thread)
        page = paginate(rows, request.GET.get("page"), selectors.MESSAGES_PER_PAGE)
        found: list[Message] = list(page)
        mark = selectors.read_mark(thread, access.user_id)
        read_to = mark.last_read_message_id if mark is not None else 0
        newest = found[0] if found and page.number == 1 else None
        shown = shown_messages(reversed(found), reader=user, read_to=read_to)
        seen = selectors.seen_by(thread, newest, exclude_id=access.user_id)
        # A form sent back with its errors (400) changes nothing, read marks included.
        if newest is not None and newest.pk > read_to and status == 200:
            actions.do_mark_read(thread, actor=user, access=access, up_to=newest)
        post_url = reverse("conversations:thread", args=[access.student.pk, thread.pk])
        try:
            check_may_post(access, thread)
            can_post = True
        except PermissionDenied:
            can_post = False
    else:
        page = None
        shown, seen, newest = [], None, None
        post_url = reverse("conversations:team", args=[access.student.pk])
        can_post = access.may_message_family
    first_new = next((m.pk for m in shown if m.is_new), None)
    context: dict[str, Any] = {
        "student": access.student,
        "access": access,
        "record": access.record,
        "thread": thread,
        "name": (
            selectors.thread_name(thread, access.user_id)
            if thread is not None
            else Thread.Kind.TEAM.label
        ),
        "shown": shown,
        "first_new": first_new,
        "page": page,
        "seen": seen,
        "newest_id": newest.pk if newest is not None else (shown[-1].pk if shown else 0),
        "polling": page is None or page.number == 1,
        "post_url": post_url,
        "can_post": can_post,
        "form": form or MessageForm(),
    }
    return render(request, "conversations/thread.html", context, status=status)


def _post(request: HttpRequest, access: ConversationAccess, thread: Thread | None) -> HttpResponse:
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if thread is None:
                message = actions.check_post_to_team(
                    actor=request.user,
                    access=access,
                    body=data["body"],
                    attachment=data["attachment"],
                )
            else:
                message = actions.check_post_message(
                    thread,
                    actor=request.user,
                    access=access,
                    body=data["body"],
                    attachment=data["attachment"],
                )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Your message was sent."))
            url = reverse("conversations:thread", args=[access.student.pk, message.thread_id])
            return see_other(f"{url}#message-{message.pk}")
    return _thread_page(request, access, thread, form=form, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def team(request: HttpRequest, student_id: int) -> HttpResponse:
    """The team thread: its page once it exists; until then an empty one to write in."""
    access = access_conversations(request.user, student_id)
    thread = selectors.team_thread(access.student)
    if request.method == "POST":
        if thread is not None:
            check_may_post(access, thread)
        else:
            check_may_post_team(access)
        return _post(request, access, thread)
    if thread is not None:
        return redirect("conversations:thread", student_id=access.student.pk, thread_id=thread.pk)
    return _thread_page(request, access, None)


@require_http_methods(["GET", "POST"])
@login_required
def thread_detail(request: HttpRequest, student_id: int, thread_id: int) -> HttpResponse:
    if request.method == "POST":
        access, thread = access_thread(request.user, student_id, thread_id, action="post")
        return _post(request, access, thread)
    access, thread = access_thread(request.user, student_id, thread_id)
    return _thread_page(request, access, thread)


@require_GET
@login_required
def poll(request: HtmxHttpRequest, student_id: int, thread_id: int) -> HttpResponse:
    """Messages newer than ``?after=`` (htmx asks every 20 seconds), the "seen by" line,
    and the poller again with the newest id. Marks them read: they are on screen."""
    access, thread = access_thread(request.user, student_id, thread_id)
    if not request.htmx:
        # Opened as a page (no JavaScript, a bookmark): the thread itself is the page.
        return redirect("conversations:thread", student_id=access.student.pk, thread_id=thread.pk)
    raw = request.GET.get("after", "")
    after = int(raw) if is_record_id(raw) else 0
    found = list(selectors.messages_of(thread).filter(pk__gt=after)[: selectors.MESSAGES_PER_PAGE])
    newest = found[0] if found else None
    if newest is not None:
        _record(request, access)
        actions.do_mark_read(thread, actor=request.user, access=access, up_to=newest)
    latest = newest or selectors.messages_of(thread).filter(pk=after).first()
    context = {
        "student": access.student,
        "thread": thread,
        "shown": shown_messages(reversed(found), reader=request.user),
        "seen": selectors.seen_by(thread, latest, exclude_id=access.user_id),
        "newest_id": newest.pk if newest is not None else after,
        "oob": True,
    }
    return render(request, "conversations/_partials/poll.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def start(request: HttpRequest, student_id: int) -> HttpResponse:
    access = access_conversations(request.user, student_id)
    if not access.can_start_thread:
        raise PermissionDenied
    people = selectors.people_to_write_to(access)
    form = StartThreadForm(
        request.POST or None,
        request.FILES or None,
        people=people,
        can_start_staff=access.can_start_staff_thread,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                message = actions.check_start_thread(
                    actor=request.user,
                    access=access,
                    kind=data["kind"],
                    title=data["title"],
                    with_id=data["with_id"],
                    body=data["body"],
                    attachment=data["attachment"],
                )
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                messages.success(request, _("Your message was sent."))
                return see_other(
                    reverse("conversations:thread", args=[access.student.pk, message.thread_id])
                )
        status = 400
    _record(request, access)
    context = {"student": access.student, "access": access, "record": access.record, "form": form}
    return render(request, "conversations/start.html", context, status=status)


@require_POST
@login_required
def withdraw(
    request: HttpRequest, student_id: int, thread_id: int, message_id: int
) -> HttpResponse:
    access, thread, message = access_message(
        request.user, student_id, thread_id, message_id, action="withdraw"
    )
    actions.check_withdraw_message(message, actor=request.user, access=access)
    messages.success(request, _("Your message was withdrawn. The team sees that it was."))
    url = reverse("conversations:thread", args=[access.student.pk, thread.pk])
    return see_other(f"{url}#message-{message.pk}")


@require_GET
@login_required
def attachment(
    request: HttpRequest, student_id: int, thread_id: int, message_id: int
) -> HttpResponseBase:
    access, _thread, message = access_message(request.user, student_id, thread_id, message_id)
    stored = getattr(message, "attachment", None)
    if stored is None or message.is_withdrawn:
        raise Http404
    record_access(user=request.user, access=access.record, part=Part.MESSAGES, via="page")
    return file_response(stored, inline=request.GET.get("inline") == "1")
