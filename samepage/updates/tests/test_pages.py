"""The pages end to end: post, write with a photo, read, withdraw, and bad input."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from samepage.core.models import AuditEvent
from samepage.updates.models import HomeNote, QuickUpdate
from samepage.updates.tests.helpers import client_for, note, post

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))"


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return SimpleUploadedFile("me.png", out.getvalue(), content_type="image/png")


def test_staff_post_an_update_the_family_reads_it_on_the_timeline(world):
    url = reverse("updates:post_update", args=[world.child.pk])
    staff = client_for(world.case_manager)
    assert staff.get(url).status_code == 200
    response = staff.post(url, {"day": "great", "text": "Casey **read** aloud."})
    assert response.status_code == 303
    update = QuickUpdate.objects.get()
    assert response["Location"].endswith(f"#update-{update.pk}")
    page = client_for(world.parent).get(reverse("updates:timeline", args=[world.child.pk]))
    html = page.content.decode()
    assert "A great day" in html and "<strong>read</strong>" in html
    # The family may not post one, and another child's parent does not find the child.
    assert client_for(world.parent).post(url, {"day": "good", "text": "x"}).status_code == 403
    assert client_for(world.other_parent).get(url).status_code == 404


def test_a_bad_update_comes_back_with_messages_and_the_words_kept(world):
    url = reverse("updates:post_update", args=[world.child.pk])
    response = client_for(world.case_manager).post(url, {"day": "", "text": "   "})
    assert response.status_code == 400
    assert "Choose how the day went." in response.content.decode()
    assert not QuickUpdate.objects.exists()


def test_the_family_writes_a_note_with_a_photo_the_team_opens(world):
    url = reverse("updates:write_note", args=[world.child.pk])
    family = client_for(world.parent)
    assert family.get(url).status_code == 200
    response = family.post(url, {"kind": "sleep", "text": "Rough night.", "attachment": _photo()})
    assert response.status_code == 303
    written = HomeNote.objects.get()
    assert written.attachment.content_type == "image/png"
    file_url = reverse("updates:note_file", args=[world.child.pk, written.pk])
    team = client_for(world.case_manager)
    html = team.get(reverse("updates:timeline", args=[world.child.pk])).content.decode()
    assert "Rough night." in html and file_url in html
    served = team.get(file_url)
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert client_for(world.other_parent).get(file_url).status_code == 404
    assert client_for(world.gen_ed_teacher).get(file_url).status_code == 403


def test_a_script_named_png_is_refused_and_the_note_kept_in_the_form(world):
    url = reverse("updates:write_note", args=[world.child.pk])
    fake = SimpleUploadedFile("photo.png", b"#!/bin/sh\nrm -rf /\n", content_type="image/png")
    response = client_for(world.parent).post(url, {"text": "Look at this", "attachment": fake})
    assert response.status_code == 400
    assert "Look at this" in response.content.decode()
    assert not HomeNote.objects.exists()


def test_an_xss_payload_is_shown_as_text(world):
    post(world.case_manager, world.child, text=XSS)
    note(world.parent, world.child, text=XSS)
    html = client_for(world.parent).get(reverse("updates:timeline", args=[world.child.pk]))
    body = html.content.decode()
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert 'href="javascript:' not in body
    assert "&lt;script&gt;" in body


def test_withdraw_through_the_page_keeps_the_row_and_hides_the_words(world):
    update = post(world.case_manager, world.child, text="Wrong child, sorry")
    url = reverse("updates:withdraw_update", args=[world.child.pk, update.pk])
    assert client_for(world.provider).post(url).status_code == 403
    response = client_for(world.case_manager).post(url)
    assert response.status_code == 303
    update.refresh_from_db()
    assert update.is_withdrawn
    html = client_for(world.parent).get(reverse("updates:timeline", args=[world.child.pk]))
    body = html.content.decode()
    assert "Withdrawn by the writer" in body and "Wrong child, sorry" not in body
    # Twice is refused with a message, not an error page.
    again = client_for(world.case_manager).post(url)
    assert again.status_code == 403
    assert AuditEvent.objects.filter(action="update.withdrawn").count() == 1


def test_the_student_page_links_the_timeline_and_the_home_note(world):
    page = client_for(world.parent).get(reverse("home:student_detail", args=[world.child.pk]))
    html = page.content.decode()
    assert reverse("updates:timeline", args=[world.child.pk]) in html
    assert reverse("updates:write_note", args=[world.child.pk]) in html
    staff = client_for(world.case_manager).get(
        reverse("home:student_detail", args=[world.child.pk])
    )
    assert reverse("updates:post_update", args=[world.child.pk]) in staff.content.decode()


def test_the_case_managers_home_shows_this_weeks_home_notes(world):
    written = note(world.parent, world.child, text="New medication from Monday.")
    note(world.other_parent, world.other_child, text="Not Carol's student.")
    html = client_for(world.case_manager).get(reverse("home:home")).content.decode()
    assert "New home notes" in html and "New medication from Monday." in html
    assert f"#home_note-{written.pk}" in html
    assert "Not Carol" not in html
