"""Each message keeps its language; a reader of another one is told, or shown a cached
translation labelled as one with the original a click away."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samepage.conversations.tests.helpers import client_for, to_team
from samepage.core.models import CachedTranslation
from samepage.core.translation import cache_key

pytestmark = pytest.mark.django_db


def _page(world, message, user):
    url = f"/students/{world.child.pk}/conversations/{message.thread_id}/"
    return client_for(user).get(url).content.decode()


def test_without_a_backend_the_original_is_shown_with_its_language_named(world):
    message = to_team(world.parent, world.child, "Hola, ¿cómo le fue hoy?", language="es")
    body = _page(world, message, world.case_manager)
    assert "Hola, ¿cómo le fue hoy?" in body
    assert "Written in Spanish" in body
    assert 'lang="es"' in body


def test_a_translation_is_labelled_and_the_original_kept(world, settings):
    settings.SAMEPAGE_TRANSLATION_BACKEND = "libretranslate"
    settings.SAMEPAGE_TRANSLATION_URL = "http://127.0.0.1:9/"  # never asked: it is cached
    text = "Hola, ¿cómo le fue hoy?"
    CachedTranslation.objects.create(
        key=cache_key(text, "es", "en"),
        source_language="es",
        target_language="en",
        text="Hello, how did today go?",
    )
    message = to_team(world.parent, world.child, text, language="es")
    body = _page(world, message, world.case_manager)
    assert "Hello, how did today go?" in body
    assert "Translated from Spanish — show original" in body
    assert text in body  # in the <details>


def test_the_reader_in_the_same_language_sees_no_label(world):
    message = to_team(world.case_manager, world.child, "Great day today.", language="en")
    body = _page(world, message, world.parent)
    assert "Written in" not in body and "Translated from" not in body


def test_a_bilingual_page_asks_the_translation_cache_once(world):
    for n in range(6):
        to_team(world.parent, world.child, f"Mensaje {n}", language="es")
    message = to_team(world.case_manager, world.child, "Thanks", language="en")
    url = f"/students/{world.child.pk}/conversations/{message.thread_id}/"
    client = client_for(world.case_manager)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    cache_reads = [q for q in captured if "cachedtranslation" in q["sql"].lower()]
    assert len(cache_reads) == 1


def test_the_pages_speak_spanish_to_a_spanish_speaking_parent(world):
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    message = to_team(world.case_manager, world.child, "Casey had a great day.", language="en")
    client = client_for(world.parent)
    listing = client.get(f"/students/{world.child.pk}/conversations/").content.decode()
    assert "Conversaciones sobre Casey Lane" in listing
    assert "Nuevo desde su última visita" in listing
    page = _page(world, message, world.parent)
    assert "Escrito en inglés" in page or "Escrito en Inglés" in page
    empty = client.post(
        f"/students/{world.child.pk}/conversations/{message.thread_id}/", {"body": ""}
    )
    assert "Escriba un mensaje antes de enviarlo." in empty.content.decode()
