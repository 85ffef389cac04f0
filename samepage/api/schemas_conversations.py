"""What the conversations API receives and sends."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from samepage.api.schemas import PersonOut


class ThreadIn(Schema):
    """Start a conversation: "staff" (with a title), "private" (with ``with_id``), or
    "team" to write in the team thread (made by its first message)."""

    kind: str
    body: str
    title: str = ""
    with_id: int | None = None
    # The language the message is written in; the author's own when left out.
    language: Annotated[str | None, Field(None, max_length=10)]


class MessageIn(Schema):
    body: str
    language: Annotated[str | None, Field(None, max_length=10)]


class ReadIn(Schema):
    """Read up to this message (the newest when left out)."""

    message_id: int | None = None


class AttachmentOut(Schema):
    name: str
    content_type: str
    size: int
    url: str


class TranslationOut(Schema):
    """The message in the caller's language, as the translation backend gave it."""

    text: str
    html: str
    # The caller's language, and the one the message was written in.
    language: str
    from_language: str
    # Which backend made it ("libretranslate"), and the label to show beside it in the
    # caller's language ("Translated from Spanish").
    backend: str
    label: str


class MessageOut(Schema):
    id: int
    thread_id: int
    author: PersonOut
    # The text as written (Markdown subset), and as safe HTML; both empty once withdrawn.
    body: str
    html: str
    language: str
    # For a caller whose language is not ``language``: the translation, when a backend
    # made one; null otherwise (no backend, or it failed), and ``body`` is what to show.
    translation: TranslationOut | None
    created_at: datetime
    withdrawn: bool
    attachment: AttachmentOut | None


class ThreadOut(Schema):
    id: int
    kind: str
    # The title of a staff-only thread; for a private one, the other person's name.
    name: str
    with_person: PersonOut | None
    unread: int
    message_count: int
    last_message_at: datetime


class ReadOut(Schema):
    thread_id: int
    last_read_message_id: int
