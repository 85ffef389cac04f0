"""Every write about quick updates and home notes: post, write, withdraw, and the read
receipt a reader leaves by opening a page that shows an update.

Each takes a keyword-only ``actor`` and the ``UpdatesAccess`` the permission layer worked
out for them, checks it again (no caller can skip the rule), runs in one transaction,
writes its audit row and announces the event after commit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from samepage.core.audit import record_audit
from samepage.core.events import Event, publish
from samepage.core.uploads import CheckedUpload, check_upload, store
from samepage.schools.models import Student
from samepage.teams.permissions import Part, check_access_for
from samepage.updates.models import (
    MAX_NOTE_TEXT,
    MAX_UPDATE_TEXT,
    DayMarker,
    HomeNote,
    HomeNoteAttachment,
    QuickUpdate,
    QuickUpdateSeen,
    UpdateTag,
)
from samepage.updates.permissions import NOT_SHARED, UpdatesAccess
from samepage.updates.selectors import tag_choices


def _check(access: UpdatesAccess | None, *, actor: Any, student: Student) -> UpdatesAccess:
    check_access_for(access.record if access is not None else None, actor=actor, student=student)
    assert access is not None
    return access


def _text(value: str | None, *, limit: int, required: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({"text": [required]})
    if len(text) > limit:
        raise ValidationError(
            {
                "text": [
                    _("Please keep this under %(n)s characters.")
                    % {"n": number_format(limit, force_grouping=True)}
                ]
            }
        )
    return text


def _language(actor: Any, chosen: str | None, errors: dict[str, list[Any]]) -> str:
    """The language it is written in: the one the writer named, else their own."""
    code = (chosen or "").strip() or str(getattr(actor, "language", "") or "en")
    if code not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose a language SamePage speaks.")]
    return code


def check_post_update(
    student: Student,
    *,
    actor: Any,
    access: UpdatesAccess | None,
    text: str,
    day: str,
    tags: list[str] | None = None,
    language: str | None = None,
) -> QuickUpdate:
    """Staff tell the family how the day went, optionally about plan goals or
    accommodations (``tags``: "goal:<lineage>" values from ``tag_choices``). ``language``:
    what it is written in, when not the writer's own (a teacher writing in Spanish)."""
    access = _check(access, actor=actor, student=student)
    if not access.can_post_update:
        raise PermissionDenied(
            _("Only staff on the team who may message the family can post a quick update.")
        )
    errors: dict[str, list[Any]] = {}
    try:
        cleaned = _text(
            text, limit=MAX_UPDATE_TEXT, required=_("Write a few words for the family.")
        )
    except ValidationError as e:
        errors.update(e.message_dict)
    if day not in DayMarker.values:
        errors["day"] = [_("Choose how the day went.")]
    written_in = _language(actor, language, errors)
    choices = {c.value: c for c in tag_choices(student)} if tags else {}
    chosen = []
    for value in dict.fromkeys(tags or []):
        choice = choices.get((value or "").strip())
        if choice is None:
            errors["tags"] = [_("Choose goals or accommodations from this student's current plan.")]
            break
        chosen.append(choice)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        update = QuickUpdate.objects.create(
            student=student, author=actor, text=cleaned, day=day, language=written_in
        )
        UpdateTag.objects.bulk_create(
            UpdateTag(update=update, kind=c.kind, lineage_id=c.lineage_id, label=c.label)
            for c in chosen
        )
        record_audit(
            actor=actor,
            action="update.posted",
            target=update,
            changes={
                "student": student.pk,
                "day": day,
                "tags": [c.value for c in chosen],
                "language": update.language,
            },
        )
        publish(Event("update.posted", actor, student, Part.MESSAGES, update))
    return update


def check_write_note(
    student: Student,
    *,
    actor: Any,
    access: UpdatesAccess | None,
    text: str,
    kind: str = "",
    upload: UploadedFile | None = None,
    language: str | None = None,
) -> HomeNote:
    """The family tells the team something about home, with one optional file."""
    access = _check(access, actor=actor, student=student)
    if not access.can_write_note:
        raise PermissionDenied(
            _("Home notes are written by the family, or by the student once they are an adult.")
        )
    errors: dict[str, list[Any]] = {}
    try:
        cleaned = _text(text, limit=MAX_NOTE_TEXT, required=_("Write what the team should know."))
    except ValidationError as e:
        errors.update(e.message_dict)
    kind = (kind or "").strip()
    if kind and kind not in HomeNote.Kind.values:
        errors["kind"] = [_("Choose what the note is about, or leave it empty.")]
    written_in = _language(actor, language, errors)
    checked: CheckedUpload | None = None
    if upload is not None:
        try:
            checked = check_upload(upload)
        except ValidationError as e:
            errors["attachment"] = e.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        note = HomeNote.objects.create(
            student=student, author=actor, text=cleaned, kind=kind, language=written_in
        )
        if checked is not None:
            store(checked, HomeNoteAttachment(note=note))
        record_audit(
            actor=actor,
            action="home_note.added",
            target=note,
            changes={
                "student": student.pk,
                "kind": kind,
                "language": note.language,
                "attachment": checked.sha256 if checked is not None else None,
            },
        )
        publish(Event("home_note.added", actor, student, Part.MESSAGES, note))
    return note


def _withdraw(row: QuickUpdate | HomeNote, *, actor: Any, access: UpdatesAccess | None) -> Any:
    access = _check(access, actor=actor, student=row.student)
    if row.author_id != actor.pk:
        raise PermissionDenied(_("Only the person who wrote it can withdraw it."))
    model = type(row)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=row.pk)
        if locked.withdrawn_at is not None:
            raise ValidationError(_("This was already withdrawn."))
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = actor
        locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
        label = "update" if model is QuickUpdate else "home_note"
        record_audit(
            actor=actor,
            action=f"{label}.withdrawn",
            target=locked,
            changes={"student": row.student.pk, "withdrawn_at": locked.withdrawn_at},
        )
    row.withdrawn_at, row.withdrawn_by = locked.withdrawn_at, actor
    return locked


def do_withdraw_update(
    update: QuickUpdate, *, actor: Any, access: UpdatesAccess | None
) -> QuickUpdate:
    """The writer takes an update back: the row stays, shown as withdrawn, audited."""
    result: QuickUpdate = _withdraw(update, actor=actor, access=access)
    return result


def do_withdraw_note(note: HomeNote, *, actor: Any, access: UpdatesAccess | None) -> HomeNote:
    """The writer takes a home note back: the row (and file) stay, shown as withdrawn."""
    result: HomeNote = _withdraw(note, actor=actor, access=access)
    return result


def do_mark_updates_seen(
    updates: list[QuickUpdate], *, actor: Any, access: UpdatesAccess | None
) -> int:
    """``actor`` was shown these updates (the timeline or the API list): one receipt each,
    not for their own, not for withdrawn ones, and never twice (the first time stays).

    One INSERT whatever the page's length, and none when there is nothing to record. No
    ``atomic`` block: it is one statement. No audit row: the page's ``AccessEvent`` already
    says who read the record when; a receipt is that reading's detail, like a thread's
    read mark.
    """
    if access is None:
        raise PermissionDenied
    access = _check(access, actor=actor, student=access.student)
    if not access.can_read:
        raise PermissionDenied(str(NOT_SHARED))
    # Only this student's rows: the access was worked out for them alone.
    fresh = [
        u
        for u in updates
        if u.student_id == access.student.pk and u.author_id != actor.pk and not u.is_withdrawn
    ]
    if not fresh:
        return 0
    now = timezone.now()
    QuickUpdateSeen.objects.bulk_create(
        [QuickUpdateSeen(update=u, user=actor, seen_at=now) for u in fresh],
        ignore_conflicts=True,
    )
    return len(fresh)
