"""Every glossary explanation is plain: grade 8 or easier, in English and in Spanish."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

import pytest

from samepage.glossary.terms import TERMS, TERMS_BY_KEY

with warnings.catch_warnings():
    # textstat 0.7.4 imports pkg_resources, which warns on import.
    warnings.simplefilter("ignore")
    import textstat  # type: ignore[import-untyped]

MAX_GRADE = 8.0  # Flesch-Kincaid grade, English
MIN_EASE = 60.0  # Fernández-Huerta, Spanish: 60 and up reads at about grade 8 or easier


@pytest.fixture
def spanish() -> Iterator[None]:
    # set_lang is global to textstat: always put English back.
    textstat.set_lang("es")
    try:
        yield
    finally:
        textstat.set_lang("en")


def test_there_are_at_least_sixty_terms_with_unique_keys():
    assert len(TERMS) >= 60
    assert len(TERMS_BY_KEY) == len(TERMS)
    for term in TERMS:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", term.key), term.key


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.key)
def test_each_term_has_both_languages(term):
    for wording in (term.en, term.es):
        assert wording.name.strip()
        assert wording.explanation.strip()
        assert wording.forms, f"{term.key}: nothing for the annotator to look for"
        assert all(form.strip() == form and form for form in wording.forms)
    assert term.en.explanation != term.es.explanation


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.key)
def test_english_explanation_is_grade_8_or_easier(term):
    textstat.set_lang("en")
    grade = textstat.flesch_kincaid_grade(term.en.explanation)
    assert grade <= MAX_GRADE, f"{term.key}: grade {grade}: {term.en.explanation}"


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.key)
def test_spanish_explanation_is_plain(term, spanish):
    ease = textstat.fernandez_huerta(term.es.explanation)
    assert ease >= MIN_EASE, f"{term.key}: Fernández-Huerta {ease}: {term.es.explanation}"


def test_no_two_terms_claim_the_same_spelling():
    # The annotator maps a spelling to one term; a clash would explain the wrong word.
    owners: dict[str, str] = {}
    for term in TERMS:
        for form in {*term.en.forms, *term.es.forms}:
            spelled = form if form.isupper() else form.casefold()
            assert owners.setdefault(spelled, term.key) == term.key, (
                f"{form!r}: {owners[spelled]} and {term.key}"
            )
