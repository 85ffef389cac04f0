"""PDFs of the whole plan and of the plan at a glance: text, language, access, offline."""

from __future__ import annotations

import io
import urllib.request

import pytest
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from samepage import factories as f
from samepage.accounts.models import User
from samepage.core import pdf as paper
from samepage.core.models import AccessEvent
from samepage.plans import pdf
from samepage.plans.models import PlanVersion

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return [page.extract_text() for page in reader.pages]


def _in_effect(world) -> PlanVersion:
    return f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)


def test_full_plan_pdf_has_name_goals_services_and_page_numbers(world):
    version = _in_effect(world)
    response = _client(world.parent).get(f"/plans/{version.plan_id}/versions/1/pdf/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="casey-lane-iep-v1.pdf"'
    assert "no-store" in response["Cache-Control"]
    pages = _pages(response)
    assert "Casey Lane" in pages[0]
    assert "Page 1 of" in pages[0]
    total = len(pages)
    assert all(f"Page {n} of {total}" in text for n, text in enumerate(pages, start=1))
    assert all("Casey Lane · IEP · Version 1" in text for text in pages)
    everything = "\n".join(pages)
    assert "Read grade-level text fluently" in everything
    assert "90 wcpm" in everything
    assert "Reading instruction" in everything
    assert "150 minutes per week" in everything
    assert "Extra time on tests" in everything
    assert AccessEvent.objects.filter(user=world.parent, part="plans", via="export").count() == 1


def test_empty_sections_print_not_applicable_with_the_reason(world):
    version = _in_effect(world)
    everything = "\n".join(
        _pages(_client(world.parent).get(f"/plans/{version.plan_id}/versions/1/pdf/"))
    )
    assert "Not applicable: The student has not reached transition age" in everything
    assert "Not applicable: The student is more than a year from the age of majority." in everything


def test_pdf_labels_follow_the_readers_language(world):
    version = _in_effect(world)
    url = f"/plans/{version.plan_id}/versions/1/pdf/"
    english = "\n".join(_pages(_client(world.parent).get(url)))
    User.objects.filter(pk=world.parent.pk).update(language="es")
    spanish = "\n".join(_pages(_client(world.parent).get(url)))
    # "Yes" for the assistive-technology factor comes from Django's own Spanish catalog,
    # and dates are written the Spanish way.
    assert "Yes" in english and "Sí" in spanish
    with translation.override("es"):
        month = pdf.readable_date((version.content or {})["meeting_date"])
    assert month in spanish
    assert month not in english
    assert spanish != english
    assert "Read grade-level text fluently" in spanish


def test_staff_may_print_a_draft_marked_as_such_but_families_may_not(world):
    plan = f.make_plan(world.child, world.case_manager)
    f.fill_plan(plan)
    url = f"/plans/{plan.pk}/versions/1/pdf/"
    assert _client(world.parent).get(url).status_code == 404
    pages = _pages(_client(world.case_manager).get(url))
    assert "DRAFT: NOT FINAL" in pages[0].upper()


def test_gen_ed_teacher_may_print_the_glance_but_not_the_whole_plan(world):
    version = _in_effect(world)
    teacher = _client(world.gen_ed_teacher)
    assert teacher.get(f"/plans/{version.plan_id}/versions/1/pdf/").status_code == 403
    response = teacher.get(f"/plans/{version.plan_id}/glance/pdf/")
    assert response.status_code == 200
    assert 'filename="casey-lane-glance-v1.pdf"' in response["Content-Disposition"]
    pages = _pages(response)
    assert "Casey Lane: plan at a glance" in pages[0]
    assert "Page 1 of" in pages[0]
    everything = "\n".join(pages)
    assert "Extra time on tests" in everything
    assert "Read grade-level text fluently" in everything
    assert "Reading instruction" in everything
    assert AccessEvent.objects.filter(
        user=world.gen_ed_teacher, part="glance", via="export"
    ).exists()


def test_outsiders_get_404_for_both_pdfs(world):
    version = _in_effect(world)
    for url in (
        f"/plans/{version.plan_id}/versions/1/pdf/",
        f"/plans/{version.plan_id}/glance/pdf/",
        "/plans/999999/glance/pdf/",
    ):
        assert _client(world.other_parent).get(url).status_code == 404
    assert _client(world.parent).get(f"/plans/{version.plan_id}/versions/7/pdf/").status_code == 404
    assert not AccessEvent.objects.filter(user=world.other_parent).exists()


REMOTE_RESOURCES = (
    '<link rel="stylesheet" href="https://example.org/x.css">'
    '<img src="http://example.org/tracker.png" alt=""><img src="file:///etc/passwd" alt="">'
    "<p>Hi</p>"
)


def test_a_pdf_asking_for_a_remote_image_is_caught_in_the_suite():
    # The suite renders every PDF strictly (samepage/conftest.py), so a template that
    # refers to any URL fails the test that rendered it.
    from weasyprint.urls import FatalURLFetchingError

    assert paper.FAIL_ON_EXTERNAL_RESOURCES is True
    with pytest.raises(FatalURLFetchingError, match=r"example\.org"):
        paper.html_to_pdf('<img src="https://example.org/logo.png" alt=""><p>Hi</p>')


def test_outside_the_suite_a_remote_resource_is_refused_unopened_and_logged(monkeypatch, caplog):
    opened: list[object] = []
    monkeypatch.setattr(
        urllib.request.OpenerDirector, "open", lambda *args, **kwargs: opened.append(args)
    )
    with caplog.at_level("ERROR", logger="samepage.plans.pdf"):
        document = paper.html_to_pdf(REMOTE_RESOURCES, strict=False)
    assert document.startswith(b"%PDF")
    assert opened == []  # recorded, not raised: WeasyPrint would swallow an exception
    assert "https://example.org/x.css" in caplog.text
    assert "http://example.org/tracker.png" in caplog.text
    assert "file:///etc/passwd" in caplog.text


def test_an_inline_page_renders_without_any_refusal(caplog):
    with caplog.at_level("ERROR", logger="samepage.plans.pdf"):
        document = paper.html_to_pdf("<style>p { color: #123 }</style><p>Hola</p>")
    assert document.startswith(b"%PDF")
    assert caplog.text == ""


def test_page_counter_and_filenames_are_safe():
    with translation.override("en"):
        assert str(paper.page_counter_css()) == '"Page " counter(page) " of " counter(pages)'
    assert paper.css_string('a"b\\c</style>') == '"a\\"b\\\\c\\3c /style\\3e "'
    assert paper.pdf_filename('José "O\'Neil"/..\\x', "iep", 2) == "jose-oneilx-iep-v2.pdf"
    assert paper.pdf_filename("", "", 1) == "student-plan-v1.pdf"
