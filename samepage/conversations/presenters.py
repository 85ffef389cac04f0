"""Messages as a reader sees them: the author's words in safe HTML, the language they
were written in named when it is not the reader's, and a withdrawn message as a
placeholder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_info

from samepage.conversations.models import Message
from samepage.core.markup import render_markup


def reader_language(user: Any) -> str:
    """The language the reader reads in: the page's (their choice), else their own."""
    code = (get_language() or getattr(user, "language", "") or "en").split("-")[0]
    return code or "en"


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


@dataclass(frozen=True)
class ShownMessage:
    pk: int
    author: str
    author_id: int
    created_at: datetime
    html: SafeString | None  # None when withdrawn
    language: str
    # The original's language, named, when it is not the reader's ("Spanish").
    other_language: str | None
    withdrawn: bool
    is_own: bool
    is_new: bool
    attachment: Any


def shown_message(message: Message, *, reader: Any, read_to: int = 0) -> ShownMessage:
    reader_id = getattr(reader, "pk", None)
    lang = reader_language(reader)
    withdrawn = message.is_withdrawn
    attachment = None
    if not withdrawn:
        attachment = getattr(message, "attachment", None)
    return ShownMessage(
        pk=message.pk,
        author=message.author.display_name,
        author_id=message.author_id,
        created_at=message.created_at,
        html=None if withdrawn else render_markup(message.body),
        language=message.language,
        other_language=(
            language_name(message.language) if message.language != lang and not withdrawn else None
        ),
        withdrawn=withdrawn,
        is_own=message.author_id == reader_id,
        is_new=message.pk > read_to and message.author_id != reader_id,
        attachment=attachment,
    )
