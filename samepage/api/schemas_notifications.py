"""What the notifications API receives and sends."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class NoticeOut(Schema):
    """One of the caller's notices; ``title`` is in the caller's language."""

    id: int
    kind: str
    title: str
    # A path on this site: the page to act on.
    link: str
    student_id: int
    actor_id: int | None
    created_at: datetime
    read_at: datetime | None
    is_unread: bool


class MarkedOut(Schema):
    marked: int = Field(description="How many notices were unread and are now read.")


class CategoryPreferenceOut(Schema):
    category: str
    label: str
    email: str = Field(description="`each`, `digest` or `none`.")
    text: bool = Field(description="Also a text message (families only).")


class PreferencesOut(Schema):
    """How the caller's notices reach them besides SamePage itself."""

    categories: list[CategoryPreferenceOut]
    can_text: bool = Field(description="Whether the caller may choose text messages.")
    phone_number: str = Field(description="E.164, or empty.")
    quiet_from: str = Field(description="HH:MM in the caller's time zone.")
    quiet_until: str


class CategoryPreferenceIn(Schema):
    category: str
    email: str
    text: bool = False


class PreferencesIn(Schema):
    """Every category's choice (as on the settings page), the quiet hours, and for
    families a mobile number (needed when any ``text`` is true)."""

    categories: list[CategoryPreferenceIn] = Field(max_length=50)
    phone_number: str = Field("", max_length=30)
    quiet_from: str = Field(max_length=8)
    quiet_until: str = Field(max_length=8)
