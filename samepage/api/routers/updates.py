"""Quick updates, home notes and a child's timeline.

Thin, like the pages in samepage/updates/views.py: ``updates.permissions`` decides
(student missing or not visible → 404; messages not shared, or the write not allowed →
403), the actions validate, write and audit, the selectors and the timeline read. Every
read leaves one AccessEvent with part "messages" (the timeline without messages:
"plans"). Listing updates, or a timeline showing them, leaves the reader's read receipts
as the timeline page does; ``seen_by`` carries them back to staff who may post updates
only (null for the family and advocates).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Status

from samepage.api.auth import api_user
from samepage.api.pagination import Keyset, PageIn, body, page_of
from samepage.api.schemas import ErrorOut, RecordId, ValidationErrorOut
from samepage.api.schemas_updates import (
    HomeNoteIn,
    HomeNoteOut,
    TimelineEntryOut,
    UpdateIn,
    UpdateOut,
)
from samepage.core.access_log import record_access
from samepage.core.models import AccessEvent
from samepage.teams.permissions import Part
from samepage.updates import actions, selectors, timeline
from samepage.updates.models import HomeNote, QuickUpdate, QuickUpdateSeen
from samepage.updates.permissions import (
    UpdatesAccess,
    access_note,
    access_update,
    access_updates,
)

router = Router(tags=["updates"])

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {400: ValidationErrorOut, **READ}

# Newest first, from the (student, -created_at, -id) index of each table.
UPDATES = Keyset("updates", ("-created_at", "-pk"))
NOTES = Keyset("home_notes", ("-created_at", "-pk"))
UpdatePage = page_of(UpdateOut)
HomeNotePage = page_of(HomeNoteOut)
TimelinePage = page_of(TimelineEntryOut)


def _note_view(user: Any, access: UpdatesAccess, part: str = Part.MESSAGES) -> None:
    record_access(user=user, access=access.record, part=part, via=AccessEvent.Via.API)


def _seen(receipts: list[QuickUpdateSeen] | None) -> list[dict[str, Any]] | None:
    if receipts is None:
        return None
    return [{"name": r.user.display_name, "seen_at": r.seen_at} for r in receipts]


def _receipts(
    updates: list[QuickUpdate], access: UpdatesAccess
) -> dict[int, list[QuickUpdateSeen]] | None:
    """Who has seen each update (one query), for staff who may see it; else None."""
    if not access.can_see_receipts:
        return None
    live = [u for u in updates if not u.is_withdrawn]
    found = selectors.receipts_for(live, reader_id=access.record.user_id)
    return {u.pk: found.get(u.pk, []) for u in updates}


def _update(
    update: QuickUpdate,
    words: dict[str, str],
    receipts: dict[int, list[QuickUpdateSeen]] | None = None,
) -> dict[str, Any]:
    withdrawn = update.is_withdrawn
    return {
        "id": update.pk,
        "student_id": update.student_id,
        "author": update.author,
        "day": update.day,
        "text": "" if withdrawn else update.text,
        "language": update.language,
        "tags": [
            {
                "kind": tag.kind,
                "lineage_id": str(tag.lineage_id),
                "text": timeline.tag_text(tag, words),
            }
            for tag in update.tags.all()
        ]
        if not withdrawn
        else [],
        "created_at": update.created_at,
        "withdrawn_at": update.withdrawn_at,
        "seen_by": _seen(receipts.get(update.pk, []) if receipts is not None else None),
    }


def _words(updates: list[QuickUpdate], access: UpdatesAccess) -> dict[str, str]:
    tagged = any(list(u.tags.all()) for u in updates)
    return selectors.current_wording(access.student) if tagged else {}


def _home_note(note: HomeNote) -> dict[str, Any]:
    withdrawn = note.is_withdrawn
    has_file = timeline.attachment_of(note) is not None and not withdrawn
    return {
        "id": note.pk,
        "student_id": note.student_id,
        "author": note.author,
        "kind": note.kind,
        "text": "" if withdrawn else note.text,
        "language": note.language,
        "attachment_url": reverse("updates:note_file", args=[note.student_id, note.pk])
        if has_file
        else "",
        "created_at": note.created_at,
        "withdrawn_at": note.withdrawn_at,
    }


@router.get(
    "/students/{student_id}/updates",
    response={200: UpdatePage, **WRITE},
    summary="Quick updates from staff to the family, newest first",
)
def list_updates(request: HttpRequest, student_id: RecordId, page: Query[PageIn]) -> dict[str, Any]:
    user = api_user(request)
    access = access_updates(user, student_id)
    UPDATES.check(page)
    _note_view(user, access)
    found = UPDATES.page(selectors.updates_for(access.student), page)
    actions.do_mark_updates_seen(found.items, actor=user, access=access)
    words = _words(found.items, access)
    receipts = _receipts(found.items, access)
    return body(found, [_update(u, words, receipts) for u in found.items])


@router.post(
    "/students/{student_id}/updates",
    response={201: UpdateOut, **WRITE},
    summary="Post a quick update (staff on the team who may message the family)",
)
def post_update(
    request: HttpRequest, student_id: RecordId, payload: UpdateIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    access = access_updates(user, student_id, action="post_update")
    update = actions.check_post_update(
        access.student,
        actor=user,
        access=access,
        text=payload.text,
        day=payload.day,
        tags=payload.tags,
        language=payload.language,
    )
    fresh = selectors.updates_for(access.student).get(pk=update.pk)
    return Status(201, _update(fresh, _words([fresh], access), _receipts([fresh], access)))


@router.post(
    "/students/{student_id}/updates/{update_id}/withdraw",
    response={200: UpdateOut, **WRITE},
    summary="Withdraw your own quick update (kept, shown as withdrawn)",
)
def withdraw_update(
    request: HttpRequest, student_id: RecordId, update_id: RecordId
) -> dict[str, Any]:
    user = api_user(request)
    access, update = access_update(user, student_id, update_id, action="withdraw")
    actions.do_withdraw_update(update, actor=user, access=access)
    fresh = selectors.updates_for(access.student).get(pk=update.pk)
    return _update(fresh, {}, _receipts([fresh], access))


@router.get(
    "/students/{student_id}/home-notes",
    response={200: HomeNotePage, **WRITE},
    summary="Home notes from the family to the team, newest first",
)
def list_home_notes(
    request: HttpRequest, student_id: RecordId, page: Query[PageIn]
) -> dict[str, Any]:
    user = api_user(request)
    access = access_updates(user, student_id)
    NOTES.check(page)
    _note_view(user, access)
    found = NOTES.page(selectors.notes_for(access.student), page)
    return body(found, [_home_note(n) for n in found.items])


@router.post(
    "/students/{student_id}/home-notes",
    response={201: HomeNoteOut, **WRITE},
    summary="Write a home note (the family; a file is attached on the page)",
)
def write_home_note(
    request: HttpRequest, student_id: RecordId, payload: HomeNoteIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    access = access_updates(user, student_id, action="write_note")
    note = actions.check_write_note(
        access.student,
        actor=user,
        access=access,
        text=payload.text,
        kind=payload.kind,
        language=payload.language,
    )
    return Status(201, _home_note(selectors.notes_for(access.student).get(pk=note.pk)))


@router.post(
    "/students/{student_id}/home-notes/{note_id}/withdraw",
    response={200: HomeNoteOut, **WRITE},
    summary="Withdraw your own home note (kept, shown as withdrawn)",
)
def withdraw_home_note(
    request: HttpRequest, student_id: RecordId, note_id: RecordId
) -> dict[str, Any]:
    user = api_user(request)
    access, note = access_note(user, student_id, note_id, action="withdraw")
    actions.do_withdraw_note(note, actor=user, access=access)
    return _home_note(selectors.notes_for(access.student).get(pk=note.pk))


def _entry(entry: timeline.Entry, access: UpdatesAccess) -> dict[str, Any]:
    student_id = access.student.pk
    row = entry.row
    page = reverse("updates:timeline", args=[student_id]) + f"#{entry.anchor}"
    withdrawn = bool(getattr(row, "withdrawn_at", None))
    words = getattr(row, "text", None) if entry.kind in ("update", "home_note") else None
    if entry.kind == "message":
        words = row.body
        page = reverse("conversations:thread", args=[student_id, row.thread_id])
    author = {
        "update": "author",
        "home_note": "author",
        "message": "author",
        "draft_shared": "shared_by",
        "question_answered": "author",
        "concern_decided": "decided_by",
    }.get(entry.kind)
    return {
        "kind": entry.kind,
        "id": entry.pk,
        "at": entry.at,
        "author": getattr(row, author) if author else None,
        "text": "" if withdrawn or words is None else words,
        "withdrawn": withdrawn,
        "link": page,
        "seen_by": _seen(entry.seen_by)
        if entry.kind == "update" and access.can_see_receipts
        else None,
    }


@router.get(
    "/students/{student_id}/timeline",
    response={200: TimelinePage, **WRITE},
    summary=(
        "The child's timeline, newest first: updates, home notes, messages of threads you "
        "may read, and the plan's events if you may see the plans. `show` narrows it to "
        "some of updates, notes, messages, plan (comma-separated)"
    ),
)
def get_timeline(
    request: HttpRequest, student_id: RecordId, page: Query[PageIn], show: str = ""
) -> dict[str, Any]:
    user = api_user(request)
    access = access_updates(user, student_id, action="timeline")
    groups = [g.strip() for g in show.split(",") if g.strip()][:10]
    found = timeline.timeline_page(access, cursor=page.cursor, limit=page.limit, groups=groups)
    _note_view(user, access, Part.MESSAGES if access.can_read else Part.PLANS)
    if access.can_read:
        actions.do_mark_updates_seen(timeline.shown_updates(found), actor=user, access=access)
    return {"items": [_entry(e, access) for e in found.entries], "next": found.next}
