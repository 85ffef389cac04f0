"""Profile, one-page profile and student voice pages end to end."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from samepage import factories as f
from samepage.core.models import AccessEvent
from samepage.profiles.models import CorrectionRequest, ProfileEntry, StudentVoiceEntry
from samepage.profiles.tests.helpers import client_for, say, write
from samepage.teams.actions import check_grant_consent
from samepage.teams.permissions import student_access

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ONERROR = '<img src=x onerror="alert(1)">'


def _url(name: str, *args) -> str:
    return reverse(f"profiles:{name}", args=args)


def test_profile_page_shows_sections_in_order_with_attribution(world):
    write(world.parent, world.child, "calming", "Headphones and a quiet corner.")
    write(world.parent, world.child, "strengths", "Remembers every train.")
    write(world.case_manager, world.child, "triggers", "Loud rooms.")
    response = client_for(world.parent).get(_url("profile", world.child.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Remembers every train.") < html.index("Loud rooms.")
    assert html.index("Loud rooms.") < html.index("Headphones and a quiet corner.")
    assert "Written by Alice Lane (parent)," in html
    assert "Staff observation by Carol Case," in html
    assert "Ask for a correction" in html
    events = AccessEvent.objects.filter(user=world.parent)
    assert [(e.part, e.via) for e in events] == [("profile", "page")]


def test_gen_ed_teacher_sees_no_health_notes_provider_does(world):
    write(world.parent, world.child, "health", "Peanut allergy")
    gen = client_for(world.gen_ed_teacher).get(_url("profile", world.child.pk)).content.decode()
    prv = client_for(world.provider).get(_url("profile", world.child.pk)).content.decode()
    assert "Peanut allergy" not in gen
    assert "Health notes" not in gen
    assert "Peanut allergy" in prv


def test_strangers_get_404(world):
    entry = write(world.parent, world.child)
    for stranger in (world.restricted_parent, world.other_parent, world.outside_provider):
        client = client_for(stranger)
        assert client.get(_url("profile", world.child.pk)).status_code == 404
        assert client.get(_url("entry_history", world.child.pk, entry.pk)).status_code == 404
        assert client.get(_url("one_page", world.child.pk)).status_code == 404
        assert client.get(_url("voice", world.child.pk)).status_code == 404


def test_advocate_with_profile_scope_reads_but_cannot_write(world):
    today = world.today
    check_grant_consent(
        actor=world.parent,
        student=world.child,
        access=student_access(world.parent, world.child),
        grantee_email=world.advocate.email,
        scopes=["profile"],
        purpose="Meeting help",
        starts_on=today,
        expires_on=today.replace(year=today.year + 1),
        signature_name="Alice Lane",
        consent_confirmed=True,
    )
    write(world.parent, world.child, text="Loves trains")
    client = client_for(world.advocate)
    page = client.get(_url("profile", world.child.pk))
    assert page.status_code == 200
    assert "Loves trains" in page.content.decode()
    assert "Add to the profile" not in page.content.decode()
    post = client.post(_url("entry_add", world.child.pk), {"section": "strengths", "text": "Hi"})
    assert post.status_code == 403
    assert ProfileEntry.objects.count() == 1


def test_add_entry_and_bad_input_keeps_what_was_typed(world):
    client = client_for(world.parent)
    url = _url("entry_add", world.child.pk)
    assert client.get(url + "?section=calming").status_code == 200
    long_text = "word " * 1200
    bad = client.post(url, {"section": "calming", "text": long_text, "visibility": "team"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Keep this to 5,000 characters or fewer" in html
    assert long_text.strip()[:100] in html
    empty = client.post(url, {"section": "", "text": "  ", "visibility": "team"})
    assert empty.status_code == 400
    assert "Write something here before saving." in empty.content.decode()
    assert "Choose a part of the profile." in empty.content.decode()
    assert ProfileEntry.objects.count() == 0
    ok = client.post(url, {"section": "calming", "text": "Music", "visibility": "team"})
    assert ok.status_code == 303
    entry = ProfileEntry.objects.get()
    assert ok["Location"].endswith(f"#entry-{entry.pk}")


@pytest.mark.parametrize("payload", [SCRIPT, ONERROR])
def test_html_in_entries_renders_inert_everywhere(world, payload):
    entry = write(world.parent, world.child, "strengths", payload)
    observation = write(world.case_manager, world.child, "triggers", payload)
    from samepage.profiles import actions

    actions.check_request_correction(observation, actor=world.parent, text=payload)
    say(world.student_user, world.child, text=payload)
    client = client_for(world.parent)
    pages = [
        _url("profile", world.child.pk),
        _url("entry_history", world.child.pk, entry.pk),
        _url("entry_edit", world.child.pk, entry.pk),
        _url("one_page", world.child.pk),
        _url("voice", world.child.pk),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert payload not in html, url
        assert "<script>alert" not in html
        assert "onerror=" not in html.replace("onerror=&quot;", "")
    answer = client_for(world.case_manager).get(
        _url("correction_answer", world.child.pk, CorrectionRequest.objects.get().pk)
    )
    assert payload not in answer.content.decode()


def test_only_the_author_may_open_the_edit_form(world):
    entry = write(world.parent, world.child)
    assert (
        client_for(world.parent).get(_url("entry_edit", world.child.pk, entry.pk)).status_code
        == 200
    )
    for other in (world.case_manager, world.student_user, world.gen_ed_teacher):
        response = client_for(other).get(_url("entry_edit", world.child.pk, entry.pk))
        assert response.status_code == 403


def test_concurrent_edit_is_a_409_with_both_texts(world):
    entry = write(world.parent, world.child, text="Original")
    client = client_for(world.parent)
    url = _url("entry_edit", world.child.pk, entry.pk)
    first = client.post(url, {"text": "Laptop text", "visibility": "team", "revision": "1"})
    assert first.status_code == 303
    second = client.post(url, {"text": "Phone text", "visibility": "team", "revision": "1"})
    assert second.status_code == 409
    html = second.content.decode()
    assert "Laptop text" in html and "Phone text" in html
    assert 'name="revision" value="2"' in html
    entry.refresh_from_db()
    assert entry.text == "Laptop text"


def test_archive_takes_it_off_the_profile(world):
    entry = write(world.parent, world.child, text="Old")
    client = client_for(world.parent)
    url = _url("entry_archive", world.child.pk, entry.pk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"revision": "1"}).status_code == 303
    assert "Old" not in client.get(_url("profile", world.child.pk)).content.decode()
    assert ProfileEntry.objects.filter(pk=entry.pk, archived_at__isnull=False).exists()


def test_history_page_lists_every_version(world):
    entry = write(world.parent, world.child, text="One")
    client = client_for(world.parent)
    client.post(
        _url("entry_edit", world.child.pk, entry.pk),
        {"text": "Two", "visibility": "team", "revision": "1"},
    )
    html = (
        client_for(world.case_manager)
        .get(_url("entry_history", world.child.pk, entry.pk))
        .content.decode()
    )
    assert html.index("Two") < html.index("One")
    assert "Version 2" in html and "Saved by Alice Lane" in html


def test_correction_request_and_answer_pages(world):
    observation = write(world.case_manager, world.child, "triggers", "Refuses group work.")
    parent = client_for(world.parent)
    url = _url("correction_new", world.child.pk, observation.pk)
    assert parent.get(url).status_code == 200
    assert parent.post(url, {"text": ""}).status_code == 400
    assert parent.post(url, {"text": "He leaves when it is loud."}).status_code == 303
    request = CorrectionRequest.objects.get()
    answer_url = _url("correction_answer", world.child.pk, request.pk)
    assert parent.get(answer_url).status_code == 403
    staff = client_for(world.case_manager)
    assert staff.get(answer_url).status_code == 200
    bad = staff.post(answer_url, {"decision": "", "answer": ""})
    assert bad.status_code == 400
    done = staff.post(
        answer_url,
        {"decision": "accepted", "answer": "Agreed.", "corrected_text": "Leaves when loud."},
    )
    assert done.status_code == 303
    html = parent.get(_url("profile", world.child.pk)).content.decode()
    assert "He leaves when it is loud." in html
    assert "Agreed." in html
    assert "Leaves when loud." in html


def test_profile_page_query_count_is_pinned(world, django_assert_max_num_queries):
    sections = ["strengths", "triggers", "calming", "health", "learning"]
    for n in range(20):
        author = world.case_manager if n % 4 == 0 else world.parent
        entry = write(author, world.child, sections[n % 5], f"Entry {n}")
        if author == world.case_manager:
            from samepage.profiles import actions

            actions.check_request_correction(entry, actor=world.parent, text="Fix")
    client = client_for(world.parent)
    # However many entries: 12, the parent's reaches (guardianships, consents) included.
    with django_assert_max_num_queries(12):
        response = client.get(_url("profile", world.child.pk))
    assert response.status_code == 200
    assert len(re.findall(r'class="card profile-entry"', response.content.decode())) == 20


def test_one_page_profile_shows_the_essentials_in_the_readers_language(
    world, django_assert_max_num_queries
):
    for section in ("strengths", "calming", "triggers", "communication", "learning", "people"):
        write(world.parent, world.child, section, f"About {section}")
    write(world.parent, world.child, "hopes", "Not on the one page")
    write(world.parent, world.child, "health", "Peanut allergy")
    write(world.parent, world.child, "strengths", "My draft", visibility="private_draft")
    client = client_for(world.case_manager)
    with django_assert_max_num_queries(11):
        response = client.get(_url("one_page", world.child.pk))
    html = response.content.decode()
    for section in ("strengths", "calming", "triggers", "communication", "learning", "people"):
        assert f"About {section}" in html
    assert "Not on the one page" not in html
    assert "Peanut allergy" not in html
    assert "My draft" not in html
    client.post(reverse("home:set_language"), {"language": "es", "next": "/"})
    spanish = client.get(_url("one_page", world.child.pk), HTTP_ACCEPT_LANGUAGE="es")
    assert spanish.status_code == 200
    assert 'lang="es"' in spanish.content.decode()


def test_one_page_pdf_contains_the_entries(world):
    write(world.parent, world.child, "strengths", "Remembers every train")
    write(world.parent, world.child, "calming", "Headphones help")
    client = client_for(world.gen_ed_teacher)
    response = client.get(_url("one_page_pdf", world.child.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Remembers every train" in text
    assert "Headphones help" in text
    assert AccessEvent.objects.filter(user=world.gen_ed_teacher, via="export").count() == 1


def test_voice_page_student_writes_staff_record_parent_reads(world):
    student = client_for(world.student_user)
    url = _url("voice_add", world.child.pk)
    assert student.post(url, {"prompt": "", "text": ""}).status_code == 400
    assert student.post(url, {"prompt": "good_at", "text": "Drawing"}).status_code == 303
    staff = client_for(world.case_manager)
    assert staff.post(url, {"prompt": "my_goals", "text": "Be a vet"}).status_code == 303
    assert client_for(world.parent).post(url, {"prompt": "good_at", "text": "x"}).status_code == 403
    html = client_for(world.parent).get(_url("voice", world.child.pk)).content.decode()
    assert "Drawing" in html and "Be a vet" in html
    assert "From an interview" in html
    own = StudentVoiceEntry.objects.get(text="Drawing")
    edit = _url("voice_edit", world.child.pk, own.pk)
    assert staff.get(edit).status_code == 403
    assert student.post(edit, {"text": "Drawing and math", "revision": "1"}).status_code == 303
    history = staff.get(_url("voice_history", world.child.pk, own.pk)).content.decode()
    assert "Drawing and math" in history and "Version 1" in history


def test_voice_shows_in_the_plan_for_older_students(world):
    older = f.make_student(world.school, date_of_birth=date(world.today.year - 15, 1, 1))
    parent = f.make_user("Pat Older")
    f.make_guardian(older, parent)
    f.add_to_team(older, world.case_manager, f.TeamRole.CASE_MANAGER)
    say(world.case_manager, older, prompt="good_at", text="Fixing bikes")
    say(world.case_manager, older, prompt="my_goals", text="Open a bike shop")
    plan = f.make_plan(older, actor=world.case_manager)
    response = client_for(world.case_manager).get(reverse("plans:version", args=[plan.pk, 1]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fixing bikes" in html and "Open a bike shop" in html
    assert html.index("Fixing bikes") < html.index("Open a bike shop")


def test_profile_text_explains_jargon_once_and_keeps_scripts_inert(world):
    from samepage.profiles.tests.helpers import client_for, write

    write(world.parent, world.child, "learning", "The IEP helps. <script>alert(1)</script>")
    write(world.parent, world.child, "hopes", "More time with the IEP team.")
    body = client_for(world.parent).get(f"/students/{world.child.pk}/profile/").content.decode()
    assert body.count('data-term="iep"') == 1
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
