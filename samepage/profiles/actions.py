"""Every write to a child's profile and student voice.

Each action takes a keyword-only ``actor``, runs in one transaction and writes its own
audit row. Who may call which action is decided before, by ``profiles/permissions.py``;
the actions take the worked-out ``ProfileAccess`` where the rule depends on it (the
attribution of a new entry, whether health notes may be written).

Edits lock the row and compare the revision the form was opened at: a stale save raises
``EditConflict`` with both texts, so nothing anyone wrote is lost.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samepage.core.audit import record_audit
from samepage.core.conflicts import EditConflict
from samepage.profiles.models import (
    TEXT_LIMIT,
    CorrectionRequest,
    ProfileEntry,
    ProfileEntryRevision,
    ProfileSection,
    StudentVoiceEntry,
    StudentVoiceRevision,
    Visibility,
    VoicePrompt,
)
from samepage.profiles.permissions import ProfileAccess
from samepage.schools.models import Student


def clean_text(value: Any, *, field: str = "text", required: bool = True) -> str:
    """Text as stored: newlines normalized, trimmed, not empty, at most TEXT_LIMIT."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: [_("Enter text.")]})
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not text:
        raise ValidationError({field: [_("Write something here before saving.")]})
    if len(text) > TEXT_LIMIT:
        raise ValidationError(
            {
                field: [
                    _("Keep this to %(limit)s characters or fewer (it has %(count)s).")
                    % {"limit": f"{TEXT_LIMIT:,}", "count": f"{len(text):,}"}
                ]
            }
        )
    return text


def _choice(value: Any, choices: Any, field: str, message: str) -> str:
    if not isinstance(value, str) or value not in {key for key, _label in choices}:
        raise ValidationError({field: [message]})
    return value


def _expect_revision(expected: Any) -> int:
    if isinstance(expected, bool) or expected in (None, ""):
        raise ValidationError(
            {"revision": [_("This form is out of date. Open it again and save.")]}
        )
    try:
        return int(expected)
    except (TypeError, ValueError):
        raise ValidationError(
            {"revision": [_("This form is out of date. Open it again and save.")]}
        ) from None


# --- profile entries -------------------------------------------------------------------


def _clean_entry(
    access: ProfileAccess, *, section: Any, text: Any, visibility: Any
) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for name, clean in (
        (
            "section",
            lambda: _choice(
                section, ProfileSection.choices, "section", _("Choose a part of the profile.")
            ),
        ),
        ("text", lambda: clean_text(text)),
        (
            "visibility",
            lambda: _choice(
                visibility, Visibility.choices, "visibility", _("Choose who can see this.")
            ),
        ),
    ):
        try:
            cleaned[name] = clean()
        except ValidationError as e:
            errors.update(e.message_dict)
    if cleaned.get("section") == ProfileSection.HEALTH and not access.can_see_health:
        errors.setdefault("section", []).append(
            _("Health notes are written by the family and by staff who may view the full record.")
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def check_add_entry(
    *,
    actor: Any,
    student: Student,
    access: ProfileAccess,
    section: Any,
    text: Any,
    visibility: Any = Visibility.TEAM,
) -> ProfileEntry:
    """Add an entry, attributed from who the actor is (family, student, staff)."""
    attribution = access.attribution
    if attribution is None:
        raise PermissionDenied
    values = _clean_entry(access, section=section, text=text, visibility=visibility)
    entry = ProfileEntry.objects.create(
        student=student, attribution=attribution, author=actor, revision=1, **values
    )
    ProfileEntryRevision.objects.create(
        entry=entry, number=1, text=entry.text, visibility=entry.visibility, author=actor
    )
    record_audit(
        actor=actor,
        action="profile.entry_added",
        target=entry,
        changes={
            "student": student.pk,
            "section": entry.section,
            "visibility": entry.visibility,
            "attribution": attribution,
        },
    )
    return entry


@transaction.atomic
def check_edit_entry(
    entry: ProfileEntry,
    *,
    actor: Any,
    text: Any,
    visibility: Any,
    expected_revision: Any,
) -> ProfileEntry:
    """Save a new text (and visibility) for an entry; a stale form raises EditConflict."""
    expected = _expect_revision(expected_revision)
    fresh = ProfileEntry.objects.select_for_update().get(pk=entry.pk)
    if fresh.is_archived:
        raise ValidationError(_("This entry was archived. Add a new one instead."))
    errors: dict[str, list[str]] = {}
    try:
        new_text = clean_text(text)
    except ValidationError as e:
        errors.update(e.message_dict)
    try:
        new_visibility = _choice(
            visibility, Visibility.choices, "visibility", _("Choose who can see this.")
        )
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    if fresh.revision != expected:
        raise EditConflict(
            theirs={"text": fresh.text, "visibility": fresh.visibility},
            yours={"text": new_text, "visibility": new_visibility},
            revision=fresh.revision,
        )
    before = {"text": fresh.text, "visibility": fresh.visibility}
    if before == {"text": new_text, "visibility": new_visibility}:
        return fresh
    fresh.text = new_text
    fresh.visibility = new_visibility
    fresh.revision += 1
    fresh.save(update_fields=["text", "visibility", "revision", "updated_at"])
    ProfileEntryRevision.objects.create(
        entry=fresh, number=fresh.revision, text=new_text, visibility=new_visibility, author=actor
    )
    record_audit(
        actor=actor,
        action="profile.entry_edited",
        target=fresh,
        changes={
            "revision": fresh.revision,
            "visibility": [before["visibility"], new_visibility],
            "text_changed": before["text"] != new_text,
        },
    )
    return fresh


@transaction.atomic
def check_archive_entry(entry: ProfileEntry, *, actor: Any, expected_revision: Any) -> ProfileEntry:
    """Take an entry off the profile; it and its history are kept."""
    expected = _expect_revision(expected_revision)
    fresh = ProfileEntry.objects.select_for_update().get(pk=entry.pk)
    if fresh.is_archived:
        return fresh
    if fresh.revision != expected:
        raise EditConflict(
            theirs={"text": fresh.text, "visibility": fresh.visibility},
            yours={"text": entry.text, "visibility": entry.visibility},
            revision=fresh.revision,
        )
    fresh.archived_at = timezone.now()
    fresh.archived_by = actor
    fresh.save(update_fields=["archived_at", "archived_by", "updated_at"])
    record_audit(actor=actor, action="profile.entry_archived", target=fresh)
    return fresh


# --- correction requests ---------------------------------------------------------------


@transaction.atomic
def check_request_correction(entry: ProfileEntry, *, actor: Any, text: Any) -> CorrectionRequest:
    """The family asks the team to correct a staff observation."""
    correction = CorrectionRequest.objects.create(
        entry=entry, requested_by=actor, text=clean_text(text)
    )
    record_audit(
        actor=actor,
        action="profile.correction_requested",
        target=correction,
        changes={"entry": entry.pk},
    )
    return correction


@transaction.atomic
def check_answer_correction(
    correction: CorrectionRequest,
    *,
    actor: Any,
    decision: Any,
    answer: Any,
    corrected_text: Any = "",
) -> CorrectionRequest:
    """Accept or decline a correction request, with an answer the family reads.

    Accepting may carry the corrected text: it becomes the entry's next revision, saved
    by the person answering (the history shows who). The request and answer are kept.
    """
    fresh = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    if not fresh.is_open:
        raise ValidationError(_("This request has already been answered."))
    errors: dict[str, list[str]] = {}
    decided = ""
    reply = ""
    new_text = ""
    if decision not in (CorrectionRequest.Status.ACCEPTED, CorrectionRequest.Status.DECLINED):
        errors["decision"] = [_("Choose whether you accept or decline the correction.")]
    else:
        decided = str(decision)
    try:
        reply = clean_text(answer, field="answer")
    except ValidationError as e:
        errors.update(e.message_dict)
    try:
        new_text = clean_text(corrected_text, field="corrected_text", required=False)
    except ValidationError as e:
        errors.update(e.message_dict)
    if new_text and decided == CorrectionRequest.Status.DECLINED:
        errors.setdefault("corrected_text", []).append(
            _("Leave the corrected text empty when you decline.")
        )
    if errors:
        raise ValidationError(errors)
    entry = ProfileEntry.objects.select_for_update().get(pk=fresh.entry_id)
    if new_text and new_text != entry.text and not entry.is_archived:
        entry.text = new_text
        entry.revision += 1
        entry.save(update_fields=["text", "revision", "updated_at"])
        ProfileEntryRevision.objects.create(
            entry=entry,
            number=entry.revision,
            text=new_text,
            visibility=entry.visibility,
            author=actor,
        )
    fresh.status = decided
    fresh.answer = reply
    fresh.answered_by = actor
    fresh.answered_at = timezone.now()
    fresh.save(update_fields=["status", "answer", "answered_by", "answered_at", "updated_at"])
    record_audit(
        actor=actor,
        action="profile.correction_answered",
        target=fresh,
        changes={"status": decided, "entry_revision": entry.revision},
    )
    return fresh


# --- student voice ---------------------------------------------------------------------


@transaction.atomic
def check_add_voice(
    *, actor: Any, student: Student, access: ProfileAccess, prompt: Any, text: Any
) -> StudentVoiceEntry:
    """The student's words for a prompt: written by them, or recorded by staff."""
    source = access.voice_source
    if source is None:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    try:
        values["prompt"] = _choice(
            prompt, VoicePrompt.choices, "prompt", _("Choose a question to answer.")
        )
    except ValidationError as e:
        errors.update(e.message_dict)
    try:
        values["text"] = clean_text(text)
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    entry = StudentVoiceEntry.objects.create(
        student=student, source=source, author=actor, revision=1, **values
    )
    StudentVoiceRevision.objects.create(entry=entry, number=1, text=entry.text, author=actor)
    record_audit(
        actor=actor,
        action="profile.voice_added",
        target=entry,
        changes={"student": student.pk, "prompt": entry.prompt, "source": source},
    )
    return entry


@transaction.atomic
def check_edit_voice(
    entry: StudentVoiceEntry, *, actor: Any, text: Any, expected_revision: Any
) -> StudentVoiceEntry:
    expected = _expect_revision(expected_revision)
    fresh = StudentVoiceEntry.objects.select_for_update().get(pk=entry.pk)
    new_text = clean_text(text)
    if fresh.revision != expected:
        raise EditConflict(
            theirs={"text": fresh.text}, yours={"text": new_text}, revision=fresh.revision
        )
    if new_text == fresh.text:
        return fresh
    fresh.text = new_text
    fresh.revision += 1
    fresh.save(update_fields=["text", "revision", "updated_at"])
    StudentVoiceRevision.objects.create(
        entry=fresh, number=fresh.revision, text=new_text, author=actor
    )
    record_audit(
        actor=actor,
        action="profile.voice_edited",
        target=fresh,
        changes={"revision": fresh.revision},
    )
    return fresh
