"""A profile entry with a correction request waiting for an answer says so, in plain
words, wherever it is shown: the profile page, the one-page profile and its PDF, and the
plan at a glance (and its PDF)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from samepage import factories as f
from samepage.profiles import actions
from samepage.profiles.models import CorrectionRequest
from samepage.profiles.tests.helpers import client_for, write

pytestmark = pytest.mark.django_db

DISPUTED = "Disputed: a correction was requested on"
REQUEST_TEXT = "He leaves when it gets loud; he does not refuse."


def _url(name: str, *args) -> str:
    return reverse(f"profiles:{name}", args=args)


def _disputed(world):
    observation = write(
        world.case_manager, world.child, "triggers", "Refuses group work and walks out."
    )
    with time_machine.travel(datetime(2026, 11, 3, 15, 0, tzinfo=UTC), tick=False):
        correction = actions.check_request_correction(
            observation, actor=world.parent, text=REQUEST_TEXT
        )
    return observation, correction


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def _glance_plan(world):
    return f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager).plan


def test_profile_page_marks_the_disputed_entry_with_the_date(world):
    observation, _ = _disputed(world)
    write(world.parent, world.child, "triggers", "Sudden schedule changes.")
    html = client_for(world.gen_ed_teacher).get(_url("profile", world.child.pk)).content.decode()
    assert html.count(DISPUTED) == 1
    assert (
        "Disputed: a correction was requested on Nov. 3, 2026 and is waiting for an answer." in html
    )
    # The mark sits in the disputed entry's card, not in the family's own entry.
    card = html.split(f'id="entry-{observation.pk}"')[1].split("</article>")[0]
    assert DISPUTED in card


def test_one_page_profile_and_its_pdf_mark_the_disputed_entry(world):
    _disputed(world)
    client = client_for(world.gen_ed_teacher)
    html = client.get(_url("one_page", world.child.pk)).content.decode()
    assert DISPUTED in html
    # The one page says that it is disputed, not what the family asked.
    assert REQUEST_TEXT not in html
    text = _pdf_text(client.get(_url("one_page_pdf", world.child.pk)))
    assert "Disputed: a correction was requested" in " ".join(text.split())


def test_glance_and_its_pdf_mark_the_disputed_entry_without_the_request(world):
    _disputed(world)
    plan = _glance_plan(world)
    client = client_for(world.gen_ed_teacher)
    html = client.get(f"/plans/{plan.pk}/glance/").content.decode()
    assert "Refuses group work and walks out." in html
    assert DISPUTED in html
    assert REQUEST_TEXT not in html
    text = " ".join(_pdf_text(client.get(f"/plans/{plan.pk}/glance/pdf/")).split())
    assert "Refuses group work and walks out." in text
    assert "Disputed: a correction was requested" in text


def test_an_answered_request_is_no_longer_disputed(world):
    _observation, correction = _disputed(world)
    actions.check_answer_correction(
        correction, actor=world.case_manager, decision="declined", answer="We saw it twice."
    )
    assert CorrectionRequest.objects.get(pk=correction.pk).status == "declined"
    client = client_for(world.parent)
    for url in (_url("profile", world.child.pk), _url("one_page", world.child.pk)):
        assert DISPUTED not in client.get(url).content.decode()


def test_disputed_in_spanish(world):
    _disputed(world)
    client = client_for(world.parent)
    client.post(reverse("home:set_language"), {"language": "es", "next": "/"})
    html = client.get(_url("one_page", world.child.pk), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert (
        "En disputa: se pidió una corrección el 3 de noviembre de 2026 y está esperando "
        "respuesta." in html
    )


def test_marking_disputes_costs_no_query_per_entry(world, django_assert_max_num_queries):
    for n in range(6):
        entry = write(world.case_manager, world.child, "triggers", f"Observation {n}")
        actions.check_request_correction(entry, actor=world.parent, text="Please fix")
    client = client_for(world.gen_ed_teacher)
    url = _url("one_page", world.child.pk)
    client.get(url)
    with django_assert_max_num_queries(11):
        html = client.get(url).content.decode()
    assert html.count(DISPUTED) == 6
