"""Quick updates and home notes read in the reader's language on the timeline, as
messages do: translated and labelled with a backend, named without one, the original
kept; one translation cache query for the page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samepage.core.tests.test_translation import server  # noqa: F401
from samepage.updates.tests.helpers import client_for, note, post

pytestmark = pytest.mark.django_db

NOTE = "Noche difícil: se despertó a las dos."
UPDATE = "Casey read **two pages** aloud today."


def _bilingual(world):
    # A Spanish-speaking parent's note, and an update in English for her.
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    note(world.parent, world.child, text=NOTE)
    post(world.case_manager, world.child, text=UPDATE)


def _timeline(world, user):
    url = reverse("updates:timeline", args=[world.child.pk])
    return client_for(user).get(url).content.decode()


def test_a_home_note_is_translated_for_staff_and_an_update_for_the_family(
    world,
    server,  # noqa: F811
):
    _bilingual(world)
    staff = _timeline(world, world.case_manager)
    assert f"[en] {NOTE}" in staff
    assert "Translated from Spanish — show original" in staff
    assert NOTE in staff.replace(f"[en] {NOTE}", "")  # the original, kept beside it
    family = _timeline(world, world.parent)
    # The update's Markdown is still rendered (through the sanitiser) once translated.
    assert "[es] Casey read <strong>two pages</strong> aloud today." in family
    assert "Traducido del inglés — ver el original" in family


def test_without_a_backend_each_names_its_language(world):
    _bilingual(world)
    staff = _timeline(world, world.case_manager)
    assert NOTE in staff and "Written in Spanish" in staff
    assert "show original" not in staff
    family = _timeline(world, world.parent)
    assert "Casey read <strong>two pages</strong> aloud today." in family
    assert "Escrito en inglés" in family


def test_a_broken_server_leaves_the_original(world, server):  # noqa: F811
    server.mode = "error"
    _bilingual(world)
    staff = _timeline(world, world.case_manager)
    assert NOTE in staff and "Written in Spanish" in staff
    assert "[en]" not in staff


def test_the_page_asks_the_translation_cache_once(world, server):  # noqa: F811
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    for n in range(4):
        note(world.parent, world.child, text=f"Nota {n}")
    client = client_for(world.case_manager)
    url = reverse("updates:timeline", args=[world.child.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url).content.decode()
    assert body.count("Translated from Spanish — show original") == 4
    assert len([q for q in captured if "cachedtranslation" in q["sql"].lower()]) == 1


def test_the_staff_home_lists_a_note_as_plain_words_with_its_language(world):
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    note(world.parent, world.child, text="Noche **muy** difícil <b>hoy</b>.")
    body = client_for(world.case_manager).get(reverse("home:home")).content.decode()
    assert "New home notes" in body
    # Markdown is not shown as asterisks, and what was typed as a tag stays text.
    assert "Noche muy difícil &lt;b&gt;hoy&lt;/b&gt;." in body
    assert "**" not in body
    assert "Written in Spanish" in body
