"""Profile and student voice rules, tested on the actions and permission functions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from samepage.core.conflicts import EditConflict
from samepage.core.models import AuditEvent
from samepage.profiles import actions, selectors
from samepage.profiles.models import (
    Attribution,
    CorrectionRequest,
    ProfileEntry,
    ProfileEntryRevision,
    VoiceSource,
)
from samepage.profiles.permissions import access_correction, access_entry, access_profile
from samepage.profiles.selectors import STUDENT_VOICE_AGE, voice_for_plan
from samepage.profiles.tests.helpers import access_of, say, write
from samepage.teams.actions import check_grant_consent
from samepage.teams.permissions import student_access

pytestmark = pytest.mark.django_db


def _consent(world, advocate, scopes):
    today = world.today
    return check_grant_consent(
        actor=world.parent,
        student=world.child,
        access=student_access(world.parent, world.child),
        grantee_email=advocate.email,
        scopes=scopes,
        purpose="Meeting help",
        starts_on=today,
        expires_on=today.replace(year=today.year + 1),
        signature_name="Alice Lane",
        consent_confirmed=True,
    )


def _texts(user, student) -> list[str]:
    access = access_of(user, student)
    return [e.text for e in selectors.visible_entries(student, access)]


# --- attribution and history ----------------------------------------------------------


def test_attribution_follows_who_writes(world):
    by_parent = write(world.parent, world.child)
    by_student = write(world.student_user, world.child)
    by_staff = write(world.provider, world.child)
    assert by_parent.attribution == Attribution.GUARDIAN
    assert by_student.attribution == Attribution.STUDENT
    assert by_staff.attribution == Attribution.STAFF_OBSERVATION
    relations = selectors.relationships(world.child)
    assert selectors.attribution_line(by_parent, relations).startswith(
        "Written by Alice Lane (parent), "
    )
    assert "(the student)" in selectors.attribution_line(by_student, relations)
    assert selectors.attribution_line(by_staff, relations).startswith(
        "Staff observation by Priya Speech, "
    )


def test_every_save_is_kept_in_history_and_audited(world):
    entry = write(world.parent, world.child, text="First")
    actions.check_edit_entry(
        entry, actor=world.parent, text="Second", visibility="team", expected_revision=1
    )
    entry.refresh_from_db()
    actions.check_edit_entry(
        entry, actor=world.parent, text="Third", visibility="team", expected_revision=2
    )
    entry.refresh_from_db()
    assert entry.text == "Third"
    assert entry.revision == 3
    assert [
        r.text for r in selectors.entry_history(entry, access_of(world.parent, world.child))
    ] == ["Third", "Second", "First"]
    kinds = list(
        AuditEvent.objects.filter(
            target_type="profiles.profileentry", target_id=str(entry.pk)
        ).values_list("action", flat=True)
    )
    assert kinds == ["profile.entry_added", "profile.entry_edited", "profile.entry_edited"]


def test_archive_keeps_the_entry_and_its_history(world):
    entry = write(world.parent, world.child, text="Old news")
    actions.check_archive_entry(entry, actor=world.parent, expected_revision=1)
    entry.refresh_from_db()
    assert entry.is_archived
    assert ProfileEntryRevision.objects.filter(entry=entry).count() == 1
    assert "Old news" not in _texts(world.parent, world.child)
    with pytest.raises(Http404):
        access_entry(world.parent, world.child.pk, entry.pk)


def test_a_stale_edit_is_a_conflict_and_nothing_is_lost(world):
    entry = write(world.parent, world.child, text="Original")
    actions.check_edit_entry(
        entry, actor=world.parent, text="From the laptop", visibility="team", expected_revision=1
    )
    with pytest.raises(EditConflict) as caught:
        actions.check_edit_entry(
            entry, actor=world.parent, text="From the phone", visibility="team", expected_revision=1
        )
    assert caught.value.theirs["text"] == "From the laptop"
    assert caught.value.yours["text"] == "From the phone"
    assert caught.value.revision == 2
    entry.refresh_from_db()
    assert entry.text == "From the laptop"


# --- visibility -------------------------------------------------------------------------


def test_private_drafts_are_seen_only_by_their_author(world):
    draft = write(world.parent, world.child, text="Still thinking", visibility="private_draft")
    assert "Still thinking" in _texts(world.parent, world.child)
    for other in (world.case_manager, world.student_user, world.provider, world.gen_ed_teacher):
        assert "Still thinking" not in _texts(other, world.child)
        with pytest.raises(Http404):
            access_entry(other, world.child.pk, draft.pk)


def test_health_notes_are_for_the_family_and_staff_who_view_the_record(world):
    write(world.parent, world.child, section="health", text="Peanut allergy")
    for reader in (world.parent, world.student_user, world.provider, world.case_manager):
        assert "Peanut allergy" in _texts(reader, world.child), reader
    assert "Peanut allergy" not in _texts(world.gen_ed_teacher, world.child)
    gen_ed = access_of(world.gen_ed_teacher, world.child)
    assert "health" not in dict(gen_ed.writable_sections())
    with pytest.raises(ValidationError) as caught:
        write(world.gen_ed_teacher, world.child, section="health", text="Asthma")
    assert "section" in caught.value.message_dict


def test_advocate_with_profile_scope_reads_team_entries_but_cannot_write(world):
    write(world.parent, world.child, text="Loves trains")
    write(world.parent, world.child, section="health", text="Peanut allergy")
    _consent(world, world.advocate, ["profile"])
    assert _texts(world.advocate, world.child) == ["Loves trains"]
    with pytest.raises(PermissionDenied):
        access_profile(world.advocate, world.child.pk, action="write")
    with pytest.raises(PermissionDenied):
        access_profile(world.advocate, world.child.pk, action="voice")


def test_advocate_without_profile_scope_is_refused(world):
    _consent(world, world.advocate, ["plans"])
    with pytest.raises(PermissionDenied):
        access_profile(world.advocate, world.child.pk)


def test_restricted_parent_other_parent_and_outsiders_get_404(world):
    entry = write(world.parent, world.child)
    for stranger in (
        world.restricted_parent,
        world.other_parent,
        world.outside_provider,
        world.outsider_admin,
        world.advocate,
    ):
        with pytest.raises(Http404):
            access_profile(stranger, world.child.pk)
        with pytest.raises(Http404):
            access_entry(stranger, world.child.pk, entry.pk)


def test_an_entry_is_found_only_under_its_own_student(world):
    other = write(world.other_parent, world.other_child)
    with pytest.raises(Http404):
        access_entry(world.parent, world.child.pk, other.pk)
    with pytest.raises(Http404):
        access_entry(world.case_manager, world.child.pk, other.pk)


def test_only_the_author_edits(world):
    entry = write(world.parent, world.child)
    for other in (world.case_manager, world.student_user, world.district_admin):
        with pytest.raises(PermissionDenied):
            access_entry(other, world.child.pk, entry.pk, action="edit")
    assert access_entry(world.parent, world.child.pk, entry.pk, action="edit") == entry


# --- correction requests ----------------------------------------------------------------


def test_correction_request_is_kept_with_its_answer(world):
    observation = write(world.case_manager, world.child, "triggers", "Refuses group work.")
    entry = access_entry(world.parent, world.child.pk, observation.pk, action="correct")
    request = actions.check_request_correction(
        entry, actor=world.parent, text="He leaves because it is loud."
    )
    found = access_correction(world.provider, world.child.pk, request.pk, action="answer")
    actions.check_answer_correction(
        found,
        actor=world.provider,
        decision="accepted",
        answer="You are right; corrected.",
        corrected_text="Leaves group work when it gets loud (his sign of overload).",
    )
    request.refresh_from_db()
    assert request.status == CorrectionRequest.Status.ACCEPTED
    assert request.answered_by == world.provider
    assert request.answer == "You are right; corrected."
    observation.refresh_from_db()
    assert observation.text.startswith("Leaves group work")
    history = selectors.entry_history(observation, access_of(world.parent, world.child))
    assert [r.author for r in history] == [world.provider, world.case_manager]
    assert history[-1].text == "Refuses group work."
    with pytest.raises(ValidationError):
        actions.check_answer_correction(
            found, actor=world.provider, decision="declined", answer="x"
        )


def test_declined_correction_keeps_the_text(world):
    observation = write(world.case_manager, world.child, "triggers", "Refuses group work.")
    request = actions.check_request_correction(observation, actor=world.parent, text="Not so.")
    actions.check_answer_correction(
        request, actor=world.case_manager, decision="declined", answer="We saw it twice."
    )
    observation.refresh_from_db()
    assert observation.text == "Refuses group work."
    assert CorrectionRequest.objects.get().status == "declined"


def test_who_may_ask_and_answer_corrections(world):
    observation = write(world.case_manager, world.child, "triggers", "Refuses group work.")
    own = write(world.parent, world.child)
    for staff in (world.case_manager, world.gen_ed_teacher):
        with pytest.raises(PermissionDenied):
            access_entry(staff, world.child.pk, observation.pk, action="correct")
    # A family entry is edited by its author, not corrected.
    with pytest.raises(PermissionDenied):
        access_entry(world.parent, world.child.pk, own.pk, action="correct")
    request = actions.check_request_correction(observation, actor=world.parent, text="No.")
    for reader in (world.parent, world.gen_ed_teacher, world.student_user):
        with pytest.raises(PermissionDenied):
            access_correction(reader, world.child.pk, request.pk, action="answer")


# --- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n  ", "x" * 5001])
def test_empty_or_oversized_text_is_refused_and_nothing_saved(world, text):
    with pytest.raises(ValidationError) as caught:
        write(world.parent, world.child, text=text)
    assert "text" in caught.value.message_dict
    assert ProfileEntry.objects.count() == 0


def test_exactly_the_limit_is_fine_and_unknown_choices_are_refused(world):
    assert len(write(world.parent, world.child, text="x" * 5000).text) == 5000
    with pytest.raises(ValidationError) as caught:
        write(world.parent, world.child, section="secrets", visibility="everyone")
    assert set(caught.value.message_dict) == {"section", "visibility"}


def test_a_bad_edit_changes_nothing(world):
    entry = write(world.parent, world.child, text="Keep me")
    with pytest.raises(ValidationError):
        actions.check_edit_entry(
            entry, actor=world.parent, text="", visibility="team", expected_revision=1
        )
    with pytest.raises(ValidationError):
        actions.check_edit_entry(
            entry, actor=world.parent, text="New", visibility="team", expected_revision="x"
        )
    entry.refresh_from_db()
    assert (entry.text, entry.revision) == ("Keep me", 1)


# --- student voice ------------------------------------------------------------------


def test_student_writes_voice_and_staff_record_it_from_an_interview(world):
    own = say(world.student_user, world.child, text="Drawing.")
    recorded = say(world.case_manager, world.child, prompt="my_goals", text="Be a vet.")
    assert own.source == VoiceSource.WRITTEN_BY_STUDENT
    assert recorded.source == VoiceSource.RECORDED_BY_STAFF
    assert recorded.from_interview
    assert selectors.voice_attribution(recorded).startswith(
        "Recorded by Carol Case from an interview"
    )
    with pytest.raises(PermissionDenied):
        access_profile(world.parent, world.child.pk, action="voice")
    edited = actions.check_edit_voice(
        own, actor=world.student_user, text="Drawing and math.", expected_revision=1
    )
    assert [r.text for r in selectors.voice_history(edited)] == ["Drawing and math.", "Drawing."]


def test_voice_for_plan_starts_at_the_voice_age(world):
    say(world.student_user, world.child, prompt="good_at", text="Drawing.")
    say(world.student_user, world.child, prompt="my_goals", text="Be a vet.")
    born = world.child.date_of_birth
    before = born.replace(year=born.year + STUDENT_VOICE_AGE - 1)
    on = born.replace(year=born.year + STUDENT_VOICE_AGE)
    assert voice_for_plan(world.child, today=before) == {}
    shown = voice_for_plan(world.child, today=on)
    assert [v.entry.text for v in shown["strengths"]] == ["Drawing."]
    assert [v.entry.text for v in shown["transition"]] == ["Be a vet."]
