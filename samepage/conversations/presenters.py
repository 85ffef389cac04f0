"""Messages as a reader sees them: the author's words in safe HTML, in the reader's
language when a translation backend gives one (labelled, the original a click away),
else as written with its language named; a withdrawn message as a placeholder.

Translations come from ``core.translation``. A page of messages asks the translation
cache once for all of them (not once per message), and asks nothing when no backend is
configured, so a thread page costs the same however many messages it shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from samepage.conversations.models import Message
from samepage.core.markup import render_markup
from samepage.core.translation import Shown, language_code, shown_all
from samepage.core.translation import language_name as _language_name


def language_name(code: str) -> str:
    """A language's name in the active language (``core.translation.language_name``);
    kept here for the timeline, which names a message's language."""
    return _language_name(code) or code


@dataclass(frozen=True)
class ShownMessage:
    pk: int
    author: str
    author_id: int
    created_at: datetime
    html: SafeString | None  # None when withdrawn
    # The words as written, when ``html`` is a translation of them.
    original_html: SafeString | None
    shown: Shown | None
    withdrawn: bool
    is_own: bool
    is_new: bool
    attachment: Any


def reader_language() -> str:
    """The reader's language: the one this request speaks (the signed-in person's own, as
    ``accounts.middleware.speak_as`` chose it for a page or an API call)."""
    return language_code(get_language()) or "en"


def shown_for(messages: Iterable[Message], reader: str | None = None) -> dict[int, Shown]:
    """How each message written in another language than ``reader``'s (default: this
    request's) reads for them, by message id: one cache query for the whole page and none
    without a backend (``core.translation.shown_all``). Messages in the reader's own
    language, of no known language, or withdrawn are left out: they are shown as written.
    """
    reader = reader or reader_language()
    foreign = [
        m
        for m in messages
        if not m.is_withdrawn and language_code(m.language) not in (None, reader)
    ]
    if not foreign:
        return {}
    shown = shown_all(reader, [(m.body, m.language) for m in foreign])
    return {m.pk: this for m, this in zip(foreign, shown, strict=True)}


def translation_backend_name() -> str:
    """The configured backend ("libretranslate"), named beside a translation it made."""
    return str(settings.SAMEPAGE_TRANSLATION_BACKEND)


def shown_messages(
    messages: Iterable[Message], *, reader: Any, read_to: int = 0
) -> list[ShownMessage]:
    """``messages`` as ``reader`` sees them, in the order given."""
    rows = list(messages)
    reader_id = getattr(reader, "pk", None)
    shown = shown_for(rows)
    result = []
    for message in rows:
        withdrawn = message.is_withdrawn
        this = shown.get(message.pk)
        text = this.text if this is not None else message.body
        translated = this is not None and this.translated
        result.append(
            ShownMessage(
                pk=message.pk,
                author=message.author.display_name,
                author_id=message.author_id,
                created_at=message.created_at,
                html=None if withdrawn else render_markup(text),
                original_html=render_markup(message.body) if translated else None,
                shown=this,
                withdrawn=withdrawn,
                is_own=message.author_id == reader_id,
                is_new=message.pk > read_to and message.author_id != reader_id,
                attachment=None if withdrawn else getattr(message, "attachment", None),
            )
        )
    return result
