"""Text written by one person, shown to a reader of another language.

Every message keeps its original language. ``shown_in`` is the one function the apps
call: it gives what a reader sees (a translation when a backend is configured and
answers, else the original) and says which it is, so the page can label it
"Translated from English — show original" or "Written in Spanish". Nothing here ever
raises for a backend's sake: a server that is down, slow or answers nonsense means the
original is shown, never lost and never an error page.

Backends (``SAMEPAGE_TRANSLATION_BACKEND``): ``none`` translates nothing;
``libretranslate`` posts to a LibreTranslate-compatible ``/translate``. Each translation
is kept in ``CachedTranslation``, keyed by a hash of the text and the two languages, so
a message is sent to the server once per language, not once per page view.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from samepage.core.models import CachedTranslation

logger = logging.getLogger(__name__)

# Longest text sent to a translation server; a longer one is shown as written.
MAX_CHARS = 20_000
# After a failure the backend is left alone this long (seconds), so a server that is down
# does not make every page with messages wait for a timeout per message.
PAUSE_AFTER_FAILURE = 60.0

_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
# Languages that write language names in lower case inside a sentence ("del inglés").
_LOWER_CASE_NAMES = {"es", "fr", "it", "pt", "ca", "ro", "vi"}


def language_code(code: Any) -> str | None:
    """``code`` as a known primary language ("es-MX" → "es"); None when it is unknown."""
    if not isinstance(code, str):
        return None
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    if not _LANGUAGE.match(primary):
        return None
    try:
        get_language_info(primary)
    except KeyError:
        return None
    return primary


def language_name(code: Any) -> str:
    """The language's name in the active language ("Spanish", "español"…); "" if unknown."""
    known = language_code(code)
    if known is None:
        return ""
    name = str(get_language_info(known)["name_translated"])
    return name.lower() if language_code(get_language()) in _LOWER_CASE_NAMES else name


class TranslationBackend(Protocol):
    def translate(self, text: str, source: str, target: str) -> str | None:
        """``text`` in ``target``; None when it cannot be had (logged, never raised)."""


class NoTranslation:
    """``none``: every reader sees the original, with its language named."""

    def translate(self, text: str, source: str, target: str) -> str | None:
        return None


class LibreTranslate:
    """A LibreTranslate-compatible server: POST /translate, JSON in and out."""

    def __init__(self, url: str, api_key: str = "", timeout: float = 5) -> None:
        self.url = url.rstrip("/") + "/translate"
        self.api_key = api_key
        self.timeout = timeout

    def translate(self, text: str, source: str, target: str) -> str | None:
        payload: dict[str, str] = {"q": text, "source": source, "target": target}
        payload["format"] = "text"
        if self.api_key:
            payload["api_key"] = self.api_key
        if not self.url.startswith(("http://", "https://")):
            logger.warning("SAMEPAGE_TRANSLATION_URL is not an http(s) address; not sent.")
            return None
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
            self.url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read(4 * MAX_CHARS + 10_000)
        except (urllib.error.URLError, OSError, ValueError) as e:
            # HTTPError (a 4xx or 5xx) is a URLError; a timeout is an OSError.
            logger.warning("Translation %s→%s failed: %s", source, target, e)
            return None
        try:
            answer = json.loads(body)
        except ValueError:
            logger.warning("Translation %s→%s: the server's answer is not JSON.", source, target)
            return None
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, str) or not translated.strip():
            logger.warning("Translation %s→%s: no translatedText in the answer.", source, target)
            return None
        return translated


def backend() -> TranslationBackend:
    """The configured backend, read from settings each time (tests change them)."""
    if settings.SAMEPAGE_TRANSLATION_BACKEND == "libretranslate":
        return LibreTranslate(
            settings.SAMEPAGE_TRANSLATION_URL,
            settings.SAMEPAGE_TRANSLATION_API_KEY,
            settings.SAMEPAGE_TRANSLATION_TIMEOUT_SECONDS,
        )
    return NoTranslation()


_paused_until = 0.0


def _pause_after_failure() -> None:
    global _paused_until
    _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE


def resume() -> None:
    """Forget a recent failure: the next text is sent to the backend again (tests)."""
    global _paused_until
    _paused_until = 0.0


def cache_key(text: str, source: str, target: str) -> str:
    return hashlib.sha256(f"{source}\x00{target}\x00{text}".encode()).hexdigest()


def translate(text: str, source: str, target: str) -> str | None:
    """``text`` from ``source`` into ``target``, from the cache or the backend; None when
    there is none to be had. Only answers are cached, so a failure is tried again later."""
    chosen = backend()
    if isinstance(chosen, NoTranslation) or len(text) > MAX_CHARS:
        return None  # no query at all: nothing is cached without a backend
    key = cache_key(text, source, target)
    found = CachedTranslation.objects.filter(key=key).values_list("text", flat=True).first()
    if found is not None:
        return found
    return _ask(chosen, text, source, target, key)


def _ask(chosen: TranslationBackend, text: str, source: str, target: str, key: str) -> str | None:
    if time.monotonic() < _paused_until:
        return None
    translated = chosen.translate(text, source, target)
    if translated is None:
        _pause_after_failure()
        return None
    try:
        with transaction.atomic():
            CachedTranslation.objects.create(
                key=key, source_language=source, target_language=target, text=translated
            )
    except IntegrityError:
        pass  # another request cached the same translation first
    return translated


@dataclass(frozen=True)
class Shown:
    """What a reader sees of a text: ``text`` in ``language``, and whether it is a
    translation of ``original`` (written in ``original_language``, "" if unknown)."""

    text: str
    language: str
    translated: bool
    original: str
    original_language: str
    # The reader's language as asked ("" when it was not a known one).
    reader_language: str = ""

    @property
    def original_language_name(self) -> str:
        return language_name(self.original_language)

    @property
    def written_in_another_language(self) -> bool:
        """Shown as written, in a language the reader does not read here."""
        return (
            not self.translated
            and bool(self.original_language)
            and self.original_language != self.reader_language
        )

    @property
    def label(self) -> str:
        """The label for plain text (an email, a text message), in the active language."""
        name = self.original_language_name
        if self.translated:
            return _("Translated from %(language)s") % {"language": name}
        if self.written_in_another_language:
            return _("Written in %(language)s") % {"language": name}
        return ""


def shown_in(reader_language: Any, text: str, source_language: Any) -> Shown:
    """``text`` (written in ``source_language``) as a reader of ``reader_language`` sees it.

    Translated when both languages are known, they differ and the backend answers; else
    the original. Unknown codes never raise: an unknown source is shown as written and
    unlabelled, an unknown reader gets the original with its language named.
    """
    source = language_code(source_language) or ""
    reader = language_code(reader_language)
    original = Shown(text, source, False, text, source, reader or "")
    if not source or reader is None or reader == source or not text.strip():
        return original
    translated = translate(text, source, reader)
    if translated is None:
        return original
    return Shown(translated, reader, True, text, source, reader)


def shown_all(reader_language: Any, texts: list[tuple[str, Any]]) -> list[Shown]:
    """``shown_in`` for many texts (a thread's messages) with one cache query, not one
    per text: ``texts`` is a list of (text, source language)."""
    reader = language_code(reader_language)
    chosen = backend()
    wanted: dict[str, tuple[str, str]] = {}
    for text, source_language in texts:
        source = language_code(source_language)
        if reader and source and reader != source and text.strip() and len(text) <= MAX_CHARS:
            wanted[cache_key(text, source, reader)] = (text, source)
    cached: dict[str, str] = {}
    if wanted and not isinstance(chosen, NoTranslation):
        cached = dict(
            CachedTranslation.objects.filter(key__in=list(wanted)).values_list("key", "text")
        )
    shown = []
    for text, source_language in texts:
        source = language_code(source_language) or ""
        key = cache_key(text, source, reader) if reader and source else ""
        translated: str | None = None
        if key in wanted and not isinstance(chosen, NoTranslation):
            translated = cached.get(key)
            if translated is None:
                translated = _ask(chosen, text, source, reader or "", key)
                if translated is not None:
                    cached[key] = translated
        if translated is None:
            shown.append(Shown(text, source, False, text, source, reader or ""))
        else:
            shown.append(Shown(translated, reader or "", True, text, source, reader or ""))
    return shown


def shown_to_active_reader(text: str, source_language: Any) -> Shown:
    """``shown_in`` for the language of this request (or of the email being written)."""
    return shown_in(get_language(), text, source_language)
