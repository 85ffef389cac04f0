"""The glossary and rights pages: public, searchable, in both languages, no queries;
and jargon explained once per page on plan pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from samepage import factories as f
from samepage.glossary.terms import TERMS, TERMS_BY_KEY
from samepage.plans.actions import lifecycle

pytestmark = pytest.mark.django_db

GLOSSARY = "/help/glossary/"
RIGHTS = "/help/rights/"


def _client(user=None, language: str | None = None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def test_routes_are_where_the_footer_links():
    assert reverse("glossary:index") == GLOSSARY
    assert reverse("glossary:rights") == RIGHTS


def test_anyone_can_read_the_glossary_with_every_term_anchored(client):
    response = client.get(GLOSSARY)
    assert response.status_code == 200
    body = response.content.decode()
    for term in TERMS:
        assert f'id="{term.anchor}"' in body
    assert 'id="term-iep"' in body


def test_signed_in_people_read_it_too(world):
    for user in (world.parent, world.case_manager, world.advocate, world.student_user):
        assert _client(user).get(GLOSSARY).status_code == 200
        assert _client(user).get(RIGHTS).status_code == 200


def test_search_finds_names_acronyms_and_explanations(client):
    body = client.get(GLOSSARY, {"q": "restrictive"}).content.decode()
    assert 'id="term-lre"' in body
    assert 'id="term-iep"' not in body
    body = client.get(GLOSSARY, {"q": "FAPE"}).content.decode()
    assert 'id="term-fape"' in body
    # A word that is only in explanations.
    body = client.get(GLOSSARY, {"q": "dyslexia"}).content.decode()
    assert re.findall(r'id="(term-[a-z0-9-]+)"', body) == ["term-sld"]


def test_search_with_no_match_says_so_and_offers_every_term(client):
    body = client.get(GLOSSARY, {"q": "zzzz"}).content.decode()
    assert "0 terms found for “zzzz”." in body
    assert "See every term" in body
    assert "<dt" not in body


def test_search_input_is_shown_back_escaped(client):
    body = client.get(GLOSSARY, {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)" not in body
    assert "&quot;&gt;&lt;script&gt;" in body


def test_htmx_search_answers_with_the_results_only(client):
    response = client.get(GLOSSARY, {"q": "IEP"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="term-iep"' in body


def test_glossary_in_spanish_under_the_language_cookie():
    client = _client(language="es")
    body = client.get(GLOSSARY).content.decode()
    assert '<html lang="es">' in body
    assert TERMS_BY_KEY["lre"].es.name in body
    assert TERMS_BY_KEY["lre"].es.explanation in body
    assert TERMS_BY_KEY["lre"].en.explanation not in body
    # Spanish search, with or without accents.
    for query in ("evaluación", "evaluacion"):
        found = client.get(GLOSSARY, {"q": query}).content.decode()
        assert 'id="term-evaluation"' in found, query


def test_rights_guide_in_english(client):
    response = client.get(RIGHTS)
    assert response.status_code == 200
    body = response.content.decode()
    for phrase in (
        "Your rights",
        "You can take it back at any time, in writing.",
        "prior written notice",
        "45 days",
        "record of access",
        "Mediation",
        "State complaint",
        "Due process hearing",
        "Stay-put",
    ):
        assert phrase in body, phrase
    assert 'href="/help/glossary/#term-pwn"' in body


def test_rights_guide_in_spanish_under_the_language_cookie():
    body = _client(language="es").get(RIGHTS).content.decode()
    assert '<html lang="es">' in body
    for phrase in ("Dar su permiso y retirarlo", "45 días", "registro de acceso", "Mediación"):
        assert phrase in body, phrase
    assert "You can take it back" not in body


def test_the_footer_links_to_both(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{GLOSSARY}"' in body
    assert f'href="{RIGHTS}"' in body


def test_glossary_and_rights_need_no_queries_when_signed_out(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        glossary = client.get(GLOSSARY, {"q": "plan"})
    with django_assert_num_queries(0):
        rights = client.get(RIGHTS)
    assert (glossary.status_code, rights.status_code) == (200, 200)


def test_glossary_query_count_is_pinned_when_signed_in(world, django_assert_max_num_queries):
    client = _client(world.parent)
    client.get(GLOSSARY)
    # The session and the user (2), and the menu's three role lookups in base.html's
    # context processor (3): nothing from the glossary itself.
    with django_assert_max_num_queries(5):
        response = client.get(GLOSSARY, {"q": "IEP"})
    assert response.status_code == 200


# --- the annotator on plan pages -------------------------------------------------------------


def _shared_with_question(world):  # type: ignore[no-untyped-def]
    plan = f.make_plan(world.child, world.case_manager)
    version = f.fill_plan(plan)
    version.sections.filter(key="strengths").update(
        data={"strengths": "Works well with the IEP team; likes the ESY program."}
    )
    shared = lifecycle.do_share_draft(version, actor=world.case_manager, message="Please look")
    parent = _client(world.parent)
    parent.post(
        f"/plans/{plan.pk}/shared/{shared.number}/ask/",
        {"anchor": "plan", "text": "Is the IEP the same as a 504 plan? <b>IEP</b>"},
    )
    return plan, shared, parent


def test_plan_page_explains_each_term_once_across_questions_and_content(world):
    plan, shared, parent = _shared_with_question(world)
    body = parent.get(f"/plans/{plan.pk}/shared/{shared.number}/").content.decode()
    keys = re.findall(r'data-term="([a-z0-9-]+)"', body)
    assert keys.count("iep") == 1
    assert keys.count("plan-504") == 1
    assert keys.count("esy") == 1
    ids = re.findall(r'id="(jargon-[^"]+)"', body)
    assert ids and len(ids) == len(set(ids))
    # What the parent typed is still shown as text.
    assert "&lt;b&gt;" in body


def test_plan_page_explanations_follow_the_readers_language(world):
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    plan, shared, parent = _shared_with_question(world)
    body = parent.get(f"/plans/{plan.pk}/shared/{shared.number}/").content.decode()
    assert TERMS_BY_KEY["esy"].es.explanation in body
