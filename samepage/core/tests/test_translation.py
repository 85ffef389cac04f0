"""Text shown in its reader's language: translated through a LibreTranslate-compatible
server (a real one on a loopback port here), labelled, cached, the original always kept;
a broken server or an unknown language shows the original, never an error."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation as django_translation
from django.utils.safestring import mark_safe

from samepage.core import translation
from samepage.core.models import CachedTranslation
from samepage.core.translation import language_code, shown_all, shown_in

pytestmark = pytest.mark.django_db


class _Server:
    """What the fake translation server does next, and what it was asked."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.requests: list[dict[str, Any]] = []


def _handler(state: _Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            state.requests.append({"path": self.path, **body})
            if state.mode == "slow":
                time.sleep(1.5)
            if state.mode == "error":
                self.send_response(500)
                self.end_headers()
                self.wfile.write(b"Internal Server Error")
                return
            if state.mode == "garbage":
                payload = b"<html>not json"
            elif state.mode == "wrong-shape":
                payload = json.dumps({"error": "Unsupported"}).encode()
            else:
                payload = json.dumps({"translatedText": f"[{body['target']}] {body['q']}"}).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload)
            except OSError:
                pass  # the client gave up (the timeout test)

    return Handler


@pytest.fixture
def server(settings) -> Iterator[_Server]:
    state = _Server()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    settings.SAMEPAGE_TRANSLATION_BACKEND = "libretranslate"
    settings.SAMEPAGE_TRANSLATION_URL = f"http://127.0.0.1:{httpd.server_address[1]}"
    settings.SAMEPAGE_TRANSLATION_API_KEY = "test-key"
    settings.SAMEPAGE_TRANSLATION_TIMEOUT_SECONDS = 0.5
    translation.resume()
    try:
        yield state
    finally:
        translation.resume()
        httpd.shutdown()
        httpd.server_close()


def test_a_translation_is_labelled_and_keeps_the_original(server):
    shown = shown_in("es", "Casey had a great day.", "en")
    assert shown.translated
    assert shown.text == "[es] Casey had a great day."
    assert shown.language == "es"
    assert shown.original == "Casey had a great day."
    assert shown.original_language == "en"
    [asked] = server.requests
    assert asked == {
        "path": "/translate",
        "q": "Casey had a great day.",
        "source": "en",
        "target": "es",
        "format": "text",
        "api_key": "test-key",
    }
    html = Template("{% include 'core/_partials/shown.html' %}").render(Context({"shown": shown}))
    assert "Translated from English — show original" in html
    assert "<details" in html and "Casey had a great day." in html
    assert 'lang="es"' in html and 'lang="en"' in html


def test_the_label_is_in_the_readers_language(server):
    with django_translation.override("es"):
        shown = shown_in("es", "Casey had a great day.", "en")
        html = Template("{% load translated %}{% translated text 'en' %}").render(
            Context({"text": "Casey had a great day."})
        )
        assert shown.label == "Traducido del inglés"
    assert "Traducido del inglés — ver el original" in html


def test_each_translation_is_asked_for_once_then_cached(server):
    shown_in("es", "Rough night.", "en")
    shown_in("es", "Rough night.", "en")
    assert len(server.requests) == 1
    entry = CachedTranslation.objects.get()
    assert entry.key == translation.cache_key("Rough night.", "en", "es")
    assert entry.text == "[es] Rough night."
    # The cache holds the translation, not another copy of what was written.
    assert "Rough night." not in (entry.key, entry.source_language, entry.target_language)
    # Another language, or another text, is a new request.
    shown_in("vi", "Rough night.", "en")
    shown_in("es", "Good night.", "en")
    assert len(server.requests) == 3


def test_the_same_language_or_an_empty_text_is_not_sent(server):
    assert not shown_in("en", "Hello", "en").translated
    assert not shown_in("es", "   ", "en").translated
    assert not shown_in("en-US", "Hello", "en").translated
    assert server.requests == []


@pytest.mark.parametrize("mode", ["error", "slow", "garbage", "wrong-shape"])
def test_a_broken_server_shows_the_original_with_its_language(server, mode, caplog):
    server.mode = mode
    shown = shown_in("es", "Casey had a great day.", "en")
    assert not shown.translated
    assert shown.text == "Casey had a great day."
    assert shown.written_in_another_language
    assert shown.label == "Written in English"
    assert CachedTranslation.objects.count() == 0
    assert "Translation en→es" in caplog.text
    # Left alone for a while: the next text does not wait for the server again.
    shown_in("es", "Another message.", "en")
    assert len(server.requests) == 1
    # Once it answers again, a failure was not cached: the text is translated.
    server.mode = "ok"
    translation.resume()
    assert shown_in("es", "Casey had a great day.", "en").translated


def test_an_unreachable_server_shows_the_original(settings):
    settings.SAMEPAGE_TRANSLATION_BACKEND = "libretranslate"
    settings.SAMEPAGE_TRANSLATION_URL = "http://127.0.0.1:9"  # discard: nothing listens
    translation.resume()
    try:
        shown = shown_in("es", "Hello", "en")
    finally:
        translation.resume()
    assert not shown.translated and shown.text == "Hello"


def test_without_a_backend_the_original_is_shown_with_its_language_named(settings):
    settings.SAMEPAGE_TRANSLATION_BACKEND = "none"
    shown = shown_in("en", "Tuvo una noche difícil.", "es")
    assert not shown.translated
    html = Template("{% include 'core/_partials/shown.html' %}").render(Context({"shown": shown}))
    assert "Written in Spanish" in html
    assert "show original" not in html
    assert 'lang="es"' in html


def test_markup_in_a_text_or_its_translation_is_inert(server):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    shown = shown_in("es", payload, "en")
    html = Template("{% include 'core/_partials/shown.html' %}").render(Context({"shown": shown}))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("code", "expected"),
    [("es", "es"), ("es-MX", "es"), ("ES_mx", "es"), ("zz", None), ("", None), (None, None)],
)
def test_language_codes(code, expected):
    assert language_code(code) == expected


@pytest.mark.parametrize(
    ("reader", "source"),
    [("es", "klingon"), ("es", ""), ("es", None), ("xx-YY", "en"), (None, "en"), (7, "en")],
)
def test_unknown_language_codes_show_the_original(server, reader, source):
    shown = shown_in(reader, "Hello", source)
    assert not shown.translated
    assert shown.text == "Hello"
    assert server.requests == []


def test_a_caller_may_render_the_text_itself(server):
    shown = shown_in("es", "**Great** day", "en")
    html = Template("{% include 'core/_partials/shown.html' %}").render(
        Context(
            {
                "shown": shown,
                "html": mark_safe("<p><strong>[es]</strong> day</p>"),
                "original_html": mark_safe("<p><strong>Great</strong> day</p>"),
            }
        )
    )
    assert "<strong>[es]</strong>" in html and "<strong>Great</strong>" in html
    assert "show original" in html


def test_many_texts_take_one_cache_query_and_none_without_a_backend(server, settings):
    texts = [(f"Message {i}", "en") for i in range(5)] + [("Hola", "es"), ("x", "zz")]
    first = shown_all("es", texts)
    assert [s.translated for s in first] == [True] * 5 + [False, False]
    assert first[0].text == "[es] Message 0" and first[5].text == "Hola"
    assert len(server.requests) == 5
    with CaptureQueriesContext(connection) as queries:
        again = shown_all("es", texts)
    assert len(queries) == 1
    assert [s.text for s in again] == [s.text for s in first]
    assert len(server.requests) == 5
    settings.SAMEPAGE_TRANSLATION_BACKEND = "none"
    with CaptureQueriesContext(connection) as queries:
        plain = shown_all("es", texts)
        one = shown_in("es", "Message 0", "en")
    assert len(queries) == 0
    assert not any(s.translated for s in plain) and not one.translated
