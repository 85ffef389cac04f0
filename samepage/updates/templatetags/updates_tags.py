"""What a page outside this app may ask about a reader's updates and notes."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.timezone import localtime

from samepage.conversations.presenters import language_name as named_language
from samepage.core.markup import render_markup
from samepage.teams.permissions import StudentAccess
from samepage.updates.models import HomeNote
from samepage.updates.permissions import UpdatesAccess
from samepage.updates.selectors import recent_home_notes

register = template.Library()


@register.simple_tag
def updates_access(record: StudentAccess) -> UpdatesAccess:
    """``{% updates_access access as updates %}`` then ``{% if updates.can_write_note %}``:
    the same answers the updates pages get, from the access the page already worked out."""
    return UpdatesAccess(record)


@register.filter
def markup(text: str) -> SafeString:
    """An update's or a note's text in the small Markdown, sanitised (core/markup.py)."""
    return render_markup(text)


# "3 Dec 10:04": the day and the time a receipt was first left, in the reader's zone.
SEEN_AT_FORMAT = "j M H:i"


@register.filter
def seen_names(receipts: list[Any]) -> str:
    """ "Rosa Hernández, 3 Dec 10:04; Ana Ruiz, 4 Dec 08:15" (for "Seen by …"), each time
    in the reader's own time zone and month names in their language."""
    return "; ".join(
        f"{r.user.display_name}, {date_format(localtime(r.seen_at), SEEN_AT_FORMAT)}"
        for r in receipts
    )


@register.filter
def language_name(code: str) -> str:
    """ "es" → "Spanish" in the reader's language; a code we do not know reads as itself."""
    return named_language(code)


@register.simple_tag
def new_home_notes(user: Any) -> list[HomeNote]:
    """``{% new_home_notes request.user as notes %}``: this week's home notes about the
    students whose messages the person may read (``selectors.recent_home_notes``)."""
    return recent_home_notes(user)
