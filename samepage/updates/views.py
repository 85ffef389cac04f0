"""The timeline, posting a quick update, writing a home note, withdrawing either, and a
home note's file. Thin: permissions decide, actions write, selectors and the timeline read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samepage.core.access_log import record_access
from samepage.core.bounds import BadQuery
from samepage.core.forms import add_validation_errors, report_errors
from samepage.core.htmx import see_other
from samepage.core.uploads import file_response
from samepage.teams.permissions import Part
from samepage.updates import actions, timeline
from samepage.updates.forms import HomeNoteForm, QuickUpdateForm
from samepage.updates.permissions import (
    UpdatesAccess,
    access_note,
    access_update,
    access_updates,
)
from samepage.updates.selectors import tag_choices


def _record(request: HttpRequest, access: UpdatesAccess, part: str = Part.MESSAGES) -> None:
    record_access(user=request.user, access=access.record, part=part, via="page")


def _timeline_url(access: UpdatesAccess, anchor: str = "") -> str:
    url = reverse("updates:timeline", args=[access.student.pk])
    return f"{url}#{anchor}" if anchor else url


@require_GET
@login_required
def timeline_view(request: HttpRequest, student_id: int) -> HttpResponse:
    access = access_updates(request.user, student_id, action="timeline")
    groups = request.GET.getlist("show")
    try:
        page = timeline.timeline_page(access, cursor=request.GET.get("cursor"), groups=groups)
    except ValidationError as e:
        raise BadQuery(" ".join(e.messages)) from e
    _record(request, access, Part.MESSAGES if access.can_read else Part.PLANS)
    if access.can_read:
        actions.do_mark_updates_seen(
            timeline.shown_updates(page), actor=request.user, access=access
        )
    shown = page.groups or timeline.visible_groups(access)
    context: dict[str, Any] = {
        "student": access.student,
        "access": access,
        "record": access.record,
        "page": page,
        "groups": [
            (key, timeline.GROUPS[key], key in shown) for key in timeline.visible_groups(access)
        ],
        "filtered": bool(page.groups),
        "older_query": _older_query(request, page.next),
    }
    return render(request, "updates/timeline.html", context)


def _older_query(request: HttpRequest, cursor: str | None) -> str:
    if cursor is None:
        return ""
    query = request.GET.copy()
    query["cursor"] = cursor
    return "?" + query.urlencode()


def _update_page(
    request: HttpRequest, access: UpdatesAccess, form: QuickUpdateForm, *, status: int = 200
) -> HttpResponse:
    _record(request, access)
    context = {"student": access.student, "access": access, "record": access.record, "form": form}
    return render(request, "updates/post_update.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def post_update(request: HttpRequest, student_id: int) -> HttpResponse:
    access = access_updates(request.user, student_id, action="post_update")
    choices = tag_choices(access.student)
    if request.method == "GET":
        return _update_page(request, access, QuickUpdateForm(choices=choices))
    form = QuickUpdateForm(request.POST, choices=choices)
    if form.is_valid():
        data = form.cleaned_data
        try:
            update = actions.check_post_update(
                access.student,
                actor=request.user,
                access=access,
                text=data["text"],
                day=data["day"],
                tags=data.get("tags") or [],
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Your update was posted. The family will be told."))
            return see_other(_timeline_url(access, f"update-{update.pk}"))
    return _update_page(request, access, form, status=400)


def _note_page(
    request: HttpRequest, access: UpdatesAccess, form: HomeNoteForm, *, status: int = 200
) -> HttpResponse:
    _record(request, access)
    context = {"student": access.student, "access": access, "record": access.record, "form": form}
    return render(request, "updates/write_note.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def write_note(request: HttpRequest, student_id: int) -> HttpResponse:
    access = access_updates(request.user, student_id, action="write_note")
    if request.method == "GET":
        return _note_page(request, access, HomeNoteForm())
    form = HomeNoteForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            note = actions.check_write_note(
                access.student,
                actor=request.user,
                access=access,
                text=data["text"],
                kind=data["kind"],
                upload=data.get("attachment") or None,
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Your note was sent to the team."))
            return see_other(_timeline_url(access, f"home_note-{note.pk}"))
    return _note_page(request, access, form, status=400)


@require_POST
@login_required
def withdraw_update(request: HttpRequest, student_id: int, update_id: int) -> HttpResponse:
    access, update = access_update(request.user, student_id, update_id, action="withdraw")
    try:
        actions.do_withdraw_update(update, actor=request.user, access=access)
    except ValidationError as e:
        report_errors(request, e)
    else:
        messages.success(request, _("Your update was withdrawn. It shows as withdrawn."))
    return see_other(_timeline_url(access, f"update-{update.pk}"))


@require_POST
@login_required
def withdraw_note(request: HttpRequest, student_id: int, note_id: int) -> HttpResponse:
    access, note = access_note(request.user, student_id, note_id, action="withdraw")
    try:
        actions.do_withdraw_note(note, actor=request.user, access=access)
    except ValidationError as e:
        report_errors(request, e)
    else:
        messages.success(request, _("Your note was withdrawn. It shows as withdrawn."))
    return see_other(_timeline_url(access, f"home_note-{note.pk}"))


@require_GET
@login_required
def note_file(request: HttpRequest, student_id: int, note_id: int) -> FileResponse:
    access, note = access_note(request.user, student_id, note_id, action="file")
    _record(request, access)
    return file_response(note.attachment, inline=request.GET.get("view") == "1")
