"""Pages for the child's profile ("About me"), the one-page profile and student voice.

Thin: the permission functions of profiles/permissions.py decide (404 for what someone
may not see, 403 for what they may not change), the actions write, the selectors read.
Each page that shows the child's record leaves one AccessEvent (part "profile").
A stale form answers 409 with both texts and a form holding what you wrote.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samepage.core import pdf
from samepage.core.access_log import record_access
from samepage.core.conflicts import EditConflict
from samepage.core.forms import add_validation_errors
from samepage.core.htmx import see_other
from samepage.core.models import AccessEvent
from samepage.profiles import actions, selectors
from samepage.profiles.forms import (
    AnswerForm,
    ArchiveEntryForm,
    CorrectionForm,
    EditEntryForm,
    EditVoiceForm,
    EntryForm,
    VoiceForm,
)
from samepage.profiles.models import ProfileEntry, StudentVoiceEntry, Visibility
from samepage.profiles.permissions import (
    ProfileAccess,
    access_correction,
    access_entry,
    access_profile,
    access_voice_entry,
)
from samepage.schools.models import Student
from samepage.teams.permissions import Part


def _access(student: Student) -> ProfileAccess:
    return student.profile_access  # type: ignore[attr-defined,no-any-return]


def _logged(request: HttpRequest, student: Student, via: str = AccessEvent.Via.PAGE) -> None:
    record_access(
        user=request.user, access=_access(student).student_access, part=Part.PROFILE, via=via
    )


def _profile_url(student: Student, anchor: str = "") -> str:
    url = reverse("profiles:profile", args=[student.pk])
    return f"{url}#{anchor}" if anchor else url


def _voice_url(student: Student, anchor: str = "") -> str:
    url = reverse("profiles:voice", args=[student.pk])
    return f"{url}#{anchor}" if anchor else url


def _form_page(
    request: HttpRequest,
    student: Student,
    *,
    form: forms.Form,
    heading: str,
    action: str,
    back: str,
    intro: str = "",
    submit: str = "",
    shown: Any = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "profiles/form.html",
        {
            "student": student,
            "heading": heading,
            "intro": intro,
            "form": form,
            "action": action,
            "back": back,
            "submit": submit or _("Save"),
            "shown": shown,
        },
        status=status,
    )


def _conflict_page(
    request: HttpRequest,
    student: Student,
    conflict: EditConflict,
    *,
    form: forms.Form,
    heading: str,
    action: str,
    back: str,
) -> HttpResponse:
    labels = dict(Visibility.choices)
    rows = [
        {
            "label": _("Text"),
            "theirs": conflict.theirs.get("text", ""),
            "yours": conflict.yours.get("text", ""),
        }
    ]
    if "visibility" in conflict.theirs:
        rows.append(
            {
                "label": _("Who can see it"),
                "theirs": labels.get(conflict.theirs["visibility"], ""),
                "yours": labels.get(conflict.yours.get("visibility", ""), ""),
            }
        )
    return render(
        request,
        "profiles/conflict.html",
        {
            "student": student,
            "heading": heading,
            "message": conflict.message,
            "rows": rows,
            "form": form,
            "action": action,
            "back": back,
        },
        status=409,
    )


# --- the profile -----------------------------------------------------------------------


@require_GET
@login_required
def profile(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access_profile(request.user, student_id)
    access = _access(student)
    _logged(request, student)
    return render(
        request,
        "profiles/profile.html",
        {
            "student": student,
            "access": access,
            "sections": selectors.profile_sections(student, access),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def entry_add(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access_profile(request.user, student_id, action="write")
    access = _access(student)
    action = reverse("profiles:entry_add", args=[student.pk])
    heading = _("Add to the profile")
    sections = access.writable_sections()
    intro = {
        "guardian": _("Your entry is shown as written by you, with the date."),
        "student": _("Your entry is shown as written by you, with the date."),
        "staff_observation": _(
            "Your entry is shown as a staff observation by you, with the date. The family "
            "can ask for it to be corrected."
        ),
    }.get(access.attribution or "", "")
    if request.method == "GET":
        _logged(request, student)
        chosen = request.GET.get("section", "")
        initial = {"section": chosen if chosen in dict(sections) else ""}
        form = EntryForm(initial=initial, sections=sections)
        return _form_page(
            request,
            student,
            form=form,
            heading=heading,
            action=action,
            back=_profile_url(student),
            intro=intro,
            submit=_("Add"),
        )
    form = EntryForm(request.POST, sections=sections)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = actions.check_add_entry(
                actor=request.user,
                student=student,
                access=access,
                section=data["section"],
                text=data["text"],
                visibility=data["visibility"] or Visibility.TEAM,
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Added to the profile."))
            return see_other(_profile_url(student, f"entry-{entry.pk}"))
    return _form_page(
        request,
        student,
        form=form,
        heading=heading,
        action=action,
        back=_profile_url(student),
        intro=intro,
        submit=_("Add"),
        status=400,
    )


def _entry_heading(entry: ProfileEntry) -> str:
    return _("Edit: %(section)s") % {"section": entry.get_section_display()}


@require_http_methods(["GET", "POST"])
@login_required
def entry_edit(request: HttpRequest, student_id: int, entry_id: int) -> HttpResponse:
    entry = access_entry(request.user, student_id, entry_id, action="edit")
    student = entry.student
    action = reverse("profiles:entry_edit", args=[student.pk, entry.pk])
    back = _profile_url(student, f"entry-{entry.pk}")
    heading = _entry_heading(entry)
    if request.method == "GET":
        _logged(request, student)
        form = EditEntryForm(
            initial={"text": entry.text, "visibility": entry.visibility, "revision": entry.revision}
        )
        return _form_page(request, student, form=form, heading=heading, action=action, back=back)
    form = EditEntryForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.check_edit_entry(
                entry,
                actor=request.user,
                text=data["text"],
                visibility=data["visibility"],
                expected_revision=data["revision"],
            )
        except EditConflict as conflict:
            fresh = EditEntryForm(initial={**conflict.yours, "revision": conflict.revision})
            return _conflict_page(
                request, student, conflict, form=fresh, heading=heading, action=action, back=back
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Saved."))
            return see_other(back)
    return _form_page(
        request, student, form=form, heading=heading, action=action, back=back, status=400
    )


@require_http_methods(["GET", "POST"])
@login_required
def entry_archive(request: HttpRequest, student_id: int, entry_id: int) -> HttpResponse:
    entry = access_entry(request.user, student_id, entry_id, action="edit")
    student = entry.student
    action = reverse("profiles:entry_archive", args=[student.pk, entry.pk])
    back = _profile_url(student, f"entry-{entry.pk}")
    heading = _("Take this off the profile?")
    intro = _(
        "It will no longer show on the profile. Nothing is deleted: it stays in the "
        "history of the child's record."
    )
    status = 200
    if request.method == "GET":
        _logged(request, student)
        form = ArchiveEntryForm(initial={"revision": entry.revision})
    else:
        form = ArchiveEntryForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                actions.check_archive_entry(
                    entry, actor=request.user, expected_revision=form.cleaned_data["revision"]
                )
            except EditConflict as conflict:
                entry.refresh_from_db()
                form = ArchiveEntryForm(initial={"revision": conflict.revision})
                form.add_error(None, str(conflict.message))
                status = 409
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                messages.success(request, _("Took the entry off the profile."))
                return see_other(_profile_url(student))
    return _form_page(
        request,
        student,
        form=form,
        heading=heading,
        action=action,
        back=back,
        intro=intro,
        submit=_("Take it off the profile"),
        shown=entry,
        status=status,
    )


@require_GET
@login_required
def entry_history(request: HttpRequest, student_id: int, entry_id: int) -> HttpResponse:
    entry = access_entry(request.user, student_id, entry_id)
    student = entry.student
    _logged(request, student)
    return render(
        request,
        "profiles/history.html",
        {
            "student": student,
            "heading": _("History: %(section)s") % {"section": entry.get_section_display()},
            "revisions": selectors.entry_history(entry, _access(student)),
            "corrections": selectors.correction_requests(entry),
            "back": _profile_url(student, f"entry-{entry.pk}"),
        },
    )


# --- correction requests ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def correction_new(request: HttpRequest, student_id: int, entry_id: int) -> HttpResponse:
    entry = access_entry(request.user, student_id, entry_id, action="correct")
    student = entry.student
    action = reverse("profiles:correction_new", args=[student.pk, entry.pk])
    back = _profile_url(student, f"entry-{entry.pk}")
    heading = _("Ask for a correction")
    intro = _(
        "Tell the team what is not right in this staff observation. Your request and "
        "their answer are kept with the profile."
    )
    status = 200
    if request.method == "GET":
        _logged(request, student)
        form = CorrectionForm()
    else:
        form = CorrectionForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                actions.check_request_correction(
                    entry, actor=request.user, text=form.cleaned_data["text"]
                )
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                messages.success(request, _("Sent your request to the team."))
                return see_other(back)
    return _form_page(
        request,
        student,
        form=form,
        heading=heading,
        action=action,
        back=back,
        intro=intro,
        submit=_("Send the request"),
        shown=entry,
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def correction_answer(request: HttpRequest, student_id: int, request_id: int) -> HttpResponse:
    correction = access_correction(request.user, student_id, request_id, action="answer")
    entry = correction.entry
    student = entry.student
    action = reverse("profiles:correction_answer", args=[student.pk, correction.pk])
    back = _profile_url(student, f"entry-{entry.pk}")
    status = 200
    if request.method == "GET":
        _logged(request, student)
        form = AnswerForm(initial={"corrected_text": entry.text})
    else:
        form = AnswerForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            corrected = data["corrected_text"] if data["decision"] == "accepted" else ""
            try:
                actions.check_answer_correction(
                    correction,
                    actor=request.user,
                    decision=data["decision"],
                    answer=data["answer"],
                    corrected_text=corrected,
                )
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                messages.success(request, _("Saved your answer. The family can read it."))
                return see_other(back)
    return render(
        request,
        "profiles/answer.html",
        {
            "student": student,
            "entry": entry,
            "correction": correction,
            "form": form,
            "action": action,
            "back": back,
        },
        status=status,
    )


# --- the one-page profile --------------------------------------------------------------


def _one_page_context(student: Student) -> dict[str, Any]:
    return {
        "student": student,
        "sections": selectors.one_page(student, _access(student)),
    }


@require_GET
@login_required
def one_page(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access_profile(request.user, student_id)
    _logged(request, student)
    return render(request, "profiles/one_page.html", _one_page_context(student))


@require_GET
@login_required
def one_page_pdf(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access_profile(request.user, student_id)
    document = pdf.render_pdf("profiles/pdf/one_page.html", _one_page_context(student), request)
    _logged(request, student, via=AccessEvent.Via.EXPORT)
    filename = f"{slugify(student.display_name) or 'student'}-one-page-profile.pdf"
    return pdf.pdf_response(document, filename)


# --- student voice ---------------------------------------------------------------------


@require_GET
@login_required
def voice(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access_profile(request.user, student_id)
    access = _access(student)
    _logged(request, student)
    return render(
        request,
        "profiles/voice.html",
        {"student": student, "access": access, "groups": selectors.voice_groups(student, access)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def voice_add(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access_profile(request.user, student_id, action="voice")
    access = _access(student)
    action = reverse("profiles:voice_add", args=[student.pk])
    heading = _("Add to student voice")
    intro = (
        _("Your answer is shown as written by you.")
        if access.is_student
        else _("Write down what the student told you. It is marked “from an interview”.")
    )
    if request.method == "GET":
        _logged(request, student)
        form = VoiceForm(initial={"prompt": request.GET.get("prompt", "")})
        return _form_page(
            request,
            student,
            form=form,
            heading=heading,
            action=action,
            back=_voice_url(student),
            intro=intro,
            submit=_("Add"),
        )
    form = VoiceForm(request.POST)
    if form.is_valid():
        try:
            entry = actions.check_add_voice(
                actor=request.user,
                student=student,
                access=access,
                prompt=form.cleaned_data["prompt"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Added."))
            return see_other(_voice_url(student, f"voice-{entry.pk}"))
    return _form_page(
        request,
        student,
        form=form,
        heading=heading,
        action=action,
        back=_voice_url(student),
        intro=intro,
        submit=_("Add"),
        status=400,
    )


def _voice_heading(entry: StudentVoiceEntry) -> str:
    return _("Edit: %(prompt)s") % {"prompt": entry.get_prompt_display()}


@require_http_methods(["GET", "POST"])
@login_required
def voice_edit(request: HttpRequest, student_id: int, voice_id: int) -> HttpResponse:
    entry = access_voice_entry(request.user, student_id, voice_id, action="edit")
    student = entry.student
    action = reverse("profiles:voice_edit", args=[student.pk, entry.pk])
    back = _voice_url(student, f"voice-{entry.pk}")
    heading = _voice_heading(entry)
    if request.method == "GET":
        _logged(request, student)
        form = EditVoiceForm(initial={"text": entry.text, "revision": entry.revision})
        return _form_page(request, student, form=form, heading=heading, action=action, back=back)
    form = EditVoiceForm(request.POST)
    if form.is_valid():
        try:
            actions.check_edit_voice(
                entry,
                actor=request.user,
                text=form.cleaned_data["text"],
                expected_revision=form.cleaned_data["revision"],
            )
        except EditConflict as conflict:
            fresh = EditVoiceForm(initial={**conflict.yours, "revision": conflict.revision})
            return _conflict_page(
                request, student, conflict, form=fresh, heading=heading, action=action, back=back
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Saved."))
            return see_other(back)
    return _form_page(
        request, student, form=form, heading=heading, action=action, back=back, status=400
    )


@require_GET
@login_required
def voice_history(request: HttpRequest, student_id: int, voice_id: int) -> HttpResponse:
    entry = access_voice_entry(request.user, student_id, voice_id)
    student = entry.student
    _logged(request, student)
    return render(
        request,
        "profiles/history.html",
        {
            "student": student,
            "heading": _("History: %(prompt)s") % {"prompt": entry.get_prompt_display()},
            "revisions": selectors.voice_history(entry),
            "corrections": [],
            "back": _voice_url(student, f"voice-{entry.pk}"),
        },
    )
