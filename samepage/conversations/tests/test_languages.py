"""Each message keeps its language; a reader of another one is told, or shown a cached
translation labelled as one with the original a click away."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samepage.api.tests.helpers import API, send_json, token_client
from samepage.conversations import actions
from samepage.conversations.tests.helpers import access_of, client_for, to_team
from samepage.core import translation
from samepage.core.models import CachedTranslation
from samepage.core.tests.test_translation import server  # noqa: F401
from samepage.core.translation import cache_key

pytestmark = pytest.mark.django_db

# ``server`` is core's fake LibreTranslate-compatible server on a loopback port (imported
# above, so tests name it as an argument: hence the F811s): it answers "[en] <text>" for
# a text asked in English, and can be told to fail.


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


def _spanish_messages(world, count=1):
    return [
        to_team(world.parent, world.child, f"Hola {n}, ¿cómo le fue hoy?", language="es")
        for n in range(count)
    ]


def test_a_bilingual_page_asks_the_server_once_per_message_then_the_cache_once(
    world,
    server,  # noqa: F811
):
    message, *_rest = _spanish_messages(world, 6)
    to_team(world.case_manager, world.child, "Thanks", language="en")
    url = f"/students/{world.child.pk}/conversations/{message.thread_id}/"
    client = client_for(world.case_manager)
    first = client.get(url).content.decode()
    assert "[en] Hola 0, ¿cómo le fue hoy?" in first
    assert "Translated from Spanish — show original" in first
    assert len(server.requests) == 6  # one per Spanish message, none for the English one
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    cache_reads = [q for q in captured if "cachedtranslation" in q["sql"].lower()]
    assert len(cache_reads) == 1
    assert len(server.requests) == 6  # the second visit reads the cache


def test_without_a_backend_a_bilingual_page_asks_no_cache(world):
    message, *_rest = _spanish_messages(world, 6)
    url = f"/students/{world.child.pk}/conversations/{message.thread_id}/"
    client = client_for(world.case_manager)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url).content.decode()
    assert not [q for q in captured if "cachedtranslation" in q["sql"].lower()]
    assert "Written in Spanish" in body


# The API: the original always, a translation beside it when the backend made one.


def _api_messages(world, message, user):
    url = f"{API}/students/{world.child.pk}/threads/{message.thread_id}/messages"
    answer = token_client(user).get(url)
    assert answer.status_code == 200, answer.content
    return {m["id"]: m for m in answer.json()["items"]}


def test_the_api_gives_the_original_and_a_labelled_translation(world, server):  # noqa: F811
    (message,) = _spanish_messages(world)
    english = to_team(world.case_manager, world.child, "Great day.", language="en")
    items = _api_messages(world, message, world.case_manager)
    spanish = items[message.pk]
    assert spanish["body"] == "Hola 0, ¿cómo le fue hoy?"
    assert spanish["language"] == "es"
    assert spanish["translation"] == {
        "text": "[en] Hola 0, ¿cómo le fue hoy?",
        "html": "<p>[en] Hola 0, ¿cómo le fue hoy?</p>",
        "language": "en",
        "from_language": "es",
        "backend": "libretranslate",
        "label": "Translated from Spanish",
    }
    # The reader's own language: nothing to translate, nothing sent.
    assert items[english.pk]["translation"] is None
    assert [r["q"] for r in server.requests] == ["Hola 0, ¿cómo le fue hoy?"]


def test_the_api_translates_into_the_callers_own_language(world, server):  # noqa: F811
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    message = to_team(world.case_manager, world.child, "Casey had a great day.", language="en")
    shown = _api_messages(world, message, world.parent)[message.pk]
    assert shown["body"] == "Casey had a great day."
    assert shown["translation"]["text"] == "[es] Casey had a great day."
    assert shown["translation"]["language"] == "es"
    assert shown["translation"]["label"] in ("Traducido del inglés", "Traducido del Inglés")


def test_a_message_written_through_the_api_comes_back_as_its_author_reads_it(
    world,
    server,  # noqa: F811
):
    message = to_team(world.case_manager, world.child, "Hello")
    url = f"{API}/students/{world.child.pk}/threads/{message.thread_id}/messages"
    sent = send_json(
        token_client(world.case_manager), "post", url, {"body": "Gracias", "language": "es"}
    )
    assert sent.status_code == 201, sent.content
    assert sent.json()["body"] == "Gracias"
    assert sent.json()["translation"]["text"] == "[en] Gracias"


def test_without_a_backend_the_api_gives_the_original_and_no_translation(world):
    (message,) = _spanish_messages(world)
    with CaptureQueriesContext(connection) as captured:
        shown = _api_messages(world, message, world.case_manager)[message.pk]
    assert shown["body"] == "Hola 0, ¿cómo le fue hoy?"
    assert shown["language"] == "es"
    assert shown["translation"] is None
    assert not [q for q in captured if "cachedtranslation" in q["sql"].lower()]


@pytest.mark.parametrize("mode", ["error", "garbage"])
def test_a_broken_server_still_gives_the_api_its_messages(world, server, mode):  # noqa: F811
    server.mode = mode
    messages = _spanish_messages(world, 3)
    items = _api_messages(world, messages[0], world.case_manager)
    assert [items[m.pk]["body"] for m in messages] == [m.body for m in messages]
    assert all(items[m.pk]["translation"] is None for m in messages)
    # After the first failure the server is left alone: the page does not wait per message.
    assert len(server.requests) == 1
    assert not CachedTranslation.objects.exists()


def test_an_unreachable_server_still_gives_the_api_its_messages(world, settings):
    settings.SAMEPAGE_TRANSLATION_BACKEND = "libretranslate"
    settings.SAMEPAGE_TRANSLATION_URL = "http://127.0.0.1:9"  # discard: nothing listens
    translation.resume()
    try:
        (message,) = _spanish_messages(world)
        shown = _api_messages(world, message, world.case_manager)[message.pk]
    finally:
        translation.resume()
    assert shown["body"] == message.body
    assert shown["translation"] is None


def test_a_withdrawn_message_has_no_translation(world, server):  # noqa: F811
    (message,) = _spanish_messages(world)
    actions.check_withdraw_message(
        message, actor=world.parent, access=access_of(world.parent, world.child)
    )
    shown = _api_messages(world, message, world.case_manager)[message.pk]
    assert shown["withdrawn"] is True
    assert shown["body"] == "" and shown["translation"] is None
    assert server.requests == []


# The timeline shows messages as the thread page does.


def _timeline(world, user):
    return client_for(user).get(reverse("updates:timeline", args=[world.child.pk])).content.decode()


def test_the_timeline_shows_a_message_translated_and_labelled(world, server):  # noqa: F811
    _spanish_messages(world)
    body = _timeline(world, world.case_manager)
    assert "[en] Hola 0, ¿cómo le fue hoy?" in body
    assert "Translated from Spanish — show original" in body
    assert "Hola 0, ¿cómo le fue hoy?</p>" in body  # the original, in the <details>
    assert 'lang="es"' in body and 'lang="en"' in body


def test_without_a_backend_the_timeline_names_a_messages_language(world):
    _spanish_messages(world)
    body = _timeline(world, world.case_manager)
    assert "Hola 0, ¿cómo le fue hoy?" in body
    assert "Written in Spanish" in body
    assert "show original" not in body


def test_a_broken_server_leaves_the_timeline_in_the_original(world, server):  # noqa: F811
    server.mode = "error"
    _spanish_messages(world, 3)
    body = _timeline(world, world.case_manager)
    assert "Hola 2, ¿cómo le fue hoy?" in body
    assert "Written in Spanish" in body
    assert "[en]" not in body


def test_a_bilingual_timeline_asks_the_translation_cache_once(world, server):  # noqa: F811
    _spanish_messages(world, 5)
    client = client_for(world.case_manager)
    url = reverse("updates:timeline", args=[world.child.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url).content.decode()
    assert body.count("Translated from Spanish — show original") == 5
    assert len([q for q in captured if "cachedtranslation" in q["sql"].lower()]) == 1
    assert len(server.requests) == 5
