"""The child's profile ("About me"), correction requests and student voice.

Thin, like the pages in samepage/profiles/views.py: the same permission functions
(missing or not visible → 404, visible but not allowed → 403), actions and selectors.
Every read leaves one AccessEvent (part "profile", via "api"). A stale revision answers
409 with both texts, so nothing is lost.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from samepage.accounts.models import User
from samepage.api.auth import api_user
from samepage.api.pagination import Keyset, PageIn, body, page_of
from samepage.api.record_of_access import note_view
from samepage.api.schemas import ErrorOut, RecordId, ValidationErrorOut
from samepage.api.schemas_profiles import (
    AnswerIn,
    ArchiveIn,
    CorrectionIn,
    CorrectionOut,
    EntryConflictOut,
    EntryIn,
    EntryUpdateIn,
    ProfileEntryOut,
    ProfileOut,
    RevisionOut,
    VoiceEntryOut,
    VoiceIn,
)
from samepage.core.conflicts import EditConflict
from samepage.profiles import actions, selectors
from samepage.profiles.models import (
    CorrectionRequest,
    ProfileEntry,
    ProfileEntryRevision,
    StudentVoiceEntry,
    StudentVoiceRevision,
)
from samepage.profiles.permissions import (
    ProfileAccess,
    access_correction,
    access_entry,
    access_profile,
    profile_access,
)
from samepage.schools.models import Student
from samepage.teams.permissions import Part

router = Router(tags=["profiles"])

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {400: ValidationErrorOut, **READ}


def _access(student: Student) -> ProfileAccess:
    return student.profile_access  # type: ignore[attr-defined,no-any-return]


def _person(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.display_name}


def _correction(c: CorrectionRequest) -> dict[str, Any]:
    return {
        "id": c.pk,
        "entry_id": c.entry_id,
        "text": c.text,
        "status": c.status,
        "requested_by": _person(c.requested_by),
        "requested_at": c.created_at,
        "answer": c.answer,
        "answered_by": _person(c.answered_by),
        "answered_at": c.answered_at,
    }


def _entry(
    entry: ProfileEntry, access: ProfileAccess, corrections: list[CorrectionRequest]
) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "section": entry.section,
        "section_label": str(entry.get_section_display()),
        "text": entry.text,
        "attribution": entry.attribution,
        "attribution_label": str(entry.get_attribution_display()),
        "author": _person(entry.author),
        "visibility": entry.visibility,
        "revision": entry.revision,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
        "can_edit": access.can_edit_entry(entry),
        "can_request_correction": access.can_correct_entry(entry),
        "corrections": [_correction(c) for c in corrections],
    }


def _revision(r: ProfileEntryRevision | StudentVoiceRevision) -> dict[str, Any]:
    return {
        "number": r.number,
        "text": r.text,
        "visibility": getattr(r, "visibility", None),
        "author": _person(r.author),
        "saved_at": r.saved_at,
    }


def _voice(entry: StudentVoiceEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "prompt": entry.prompt,
        "prompt_label": str(entry.get_prompt_display()),
        "text": entry.text,
        "source": entry.source,
        "from_interview": entry.from_interview,
        "author": _person(entry.author),
        "revision": entry.revision,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
    }


def _conflict(conflict: EditConflict) -> Status[dict[str, Any]]:
    return Status(
        409,
        {
            "detail": str(conflict.message),
            "revision": conflict.revision,
            "theirs": {k: str(v) for k, v in conflict.theirs.items()},
            "yours": {k: str(v) for k, v in conflict.yours.items()},
        },
    )


# Profile --------------------------------------------------------------------------------


@router.get(
    "/students/{student_id}/profile",
    response={200: ProfileOut, **READ},
    summary="The child's profile: every entry the caller may see, in section order",
)
def get_profile(request: HttpRequest, student_id: RecordId) -> dict[str, Any]:
    # Whole, not paged: the profile is one page about the child, its entries the ones
    # in force (an archived or replaced text leaves it for the history).
    user = api_user(request)
    student = access_profile(user, student_id)
    access = _access(student)
    note_view(user, student, Part.PROFILE)
    entries = []
    for section in selectors.profile_sections(student, access):
        for shown in section.entries:
            entries.append(_entry(shown.entry, access, shown.corrections))
    return {
        "student_id": student.pk,
        "entries": entries,
        "permissions": {
            "can_write": access.can_write,
            "can_see_health": access.can_see_health,
            "can_request_correction": access.can_request_correction,
            "can_answer_corrections": access.can_answer_corrections,
            "can_write_voice": access.can_write_voice,
        },
    }


@router.post(
    "/students/{student_id}/profile/entries",
    response={201: ProfileEntryOut, **WRITE},
    summary="Add an entry, attributed to the caller (family, student or staff observation)",
)
def add_entry(
    request: HttpRequest, student_id: RecordId, payload: EntryIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    student = access_profile(user, student_id, action="write")
    access = _access(student)
    entry = actions.check_add_entry(
        actor=user,
        student=student,
        access=access,
        section=payload.section,
        text=payload.text,
        visibility=payload.visibility,
    )
    return Status(201, _entry(entry, access, []))


@router.put(
    "/students/{student_id}/profile/entries/{entry_id}",
    response={200: ProfileEntryOut, 409: EntryConflictOut, **WRITE},
    summary="Change your entry; send the revision you read (409 if someone saved since)",
)
def update_entry(
    request: HttpRequest, student_id: RecordId, entry_id: RecordId, payload: EntryUpdateIn
) -> dict[str, Any] | Status[dict[str, Any]]:
    user = api_user(request)
    entry = access_entry(user, student_id, entry_id, action="edit")
    access = profile_access(user, entry.student)
    try:
        saved = actions.check_edit_entry(
            entry,
            actor=user,
            text=payload.text,
            visibility=payload.visibility if payload.visibility is not None else entry.visibility,
            expected_revision=payload.revision,
        )
    except EditConflict as conflict:
        return _conflict(conflict)
    return _entry(saved, access, [])


@router.post(
    "/students/{student_id}/profile/entries/{entry_id}/archive",
    response={200: ProfileEntryOut, 409: EntryConflictOut, **WRITE},
    summary="Take your entry off the profile (kept in the record's history)",
)
def archive_entry(
    request: HttpRequest, student_id: RecordId, entry_id: RecordId, payload: ArchiveIn | None = None
) -> dict[str, Any] | Status[dict[str, Any]]:
    user = api_user(request)
    entry = access_entry(user, student_id, entry_id, action="edit")
    access = profile_access(user, entry.student)
    revision = payload.revision if payload is not None else None
    try:
        saved = actions.check_archive_entry(entry, actor=user, expected_revision=revision)
    except EditConflict as conflict:
        return _conflict(conflict)
    return _entry(saved, access, [])


# Newest first; an entry's history grows with every save.
HISTORY = Keyset("entry-history", ("-number", "-pk"))
# Oldest first, as the pages group them; a student's own words grow year by year.
VOICE = Keyset("voice", ("created_at", "pk"))


@router.get(
    "/students/{student_id}/profile/entries/{entry_id}/history",
    response={200: page_of(RevisionOut), **WRITE},
    summary="Every saved text of an entry you may read, newest first",
)
def entry_history(
    request: HttpRequest, student_id: RecordId, entry_id: RecordId, page: Query[PageIn]
) -> dict[str, Any]:
    user = api_user(request)
    entry = access_entry(user, student_id, entry_id)
    HISTORY.check(page)
    note_view(user, entry.student, Part.PROFILE)
    found = HISTORY.page(selectors.entry_history_rows(entry, _access(entry.student)), page)
    return body(found, [_revision(r) for r in found.items])


@router.post(
    "/students/{student_id}/profile/entries/{entry_id}/corrections",
    response={201: CorrectionOut, **WRITE},
    summary="Ask the team to correct a staff observation (family only)",
)
def request_correction(
    request: HttpRequest, student_id: RecordId, entry_id: RecordId, payload: CorrectionIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    entry = access_entry(user, student_id, entry_id, action="correct")
    correction = actions.check_request_correction(entry, actor=user, text=payload.text)
    return Status(201, _correction(correction))


@router.post(
    "/students/{student_id}/profile/corrections/{request_id}/answer",
    response={200: CorrectionOut, **WRITE},
    summary="Accept or decline a correction request (staff who may view the full record)",
)
def answer_correction(
    request: HttpRequest, student_id: RecordId, request_id: RecordId, payload: AnswerIn
) -> dict[str, Any]:
    user = api_user(request)
    correction = access_correction(user, student_id, request_id, action="answer")
    answered = actions.check_answer_correction(
        correction,
        actor=user,
        decision=payload.decision,
        answer=payload.answer,
        corrected_text=payload.corrected_text,
    )
    return _correction(answered)


# Student voice --------------------------------------------------------------------------


@router.get(
    "/students/{student_id}/voice",
    response={200: page_of(VoiceEntryOut), **WRITE},
    summary="The student's own words, oldest first: written by them or from an interview",
)
def get_voice(request: HttpRequest, student_id: RecordId, page: Query[PageIn]) -> dict[str, Any]:
    user = api_user(request)
    student = access_profile(user, student_id)
    VOICE.check(page)
    note_view(user, student, Part.PROFILE)
    found = VOICE.page(selectors.voice_entries(student), page)
    return body(found, [_voice(e) for e in found.items])


@router.post(
    "/students/{student_id}/voice",
    response={201: VoiceEntryOut, **WRITE},
    summary="Add the student's answer (their own account, or staff from an interview)",
)
def add_voice(
    request: HttpRequest, student_id: RecordId, payload: VoiceIn
) -> Status[dict[str, Any]]:
    user = api_user(request)
    student = access_profile(user, student_id, action="voice")
    entry = actions.check_add_voice(
        actor=user,
        student=student,
        access=_access(student),
        prompt=payload.prompt,
        text=payload.text,
    )
    return Status(201, _voice(entry))
