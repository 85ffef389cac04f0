"""The small Markdown people write messages and notes in, turned into safe HTML.

What a parent or a teacher types is shown to everyone else on the team, so it must not
be able to run anything in their browsers. Two steps, each enough on its own:

1. markdown-it-py with only paragraphs, line breaks, bold, italic, lists and links
   switched on, and raw HTML off (``<script>`` is shown as text). Its link check
   already refuses ``javascript:``, ``vbscript:``, ``file:`` and ``data:`` links.
2. nh3 (the ammonia sanitiser) keeps only the tags those rules make, only ``href`` on
   links, and only http, https and mailto links; every link gets
   ``rel="noopener nofollow"`` so a page a link opens cannot reach back into SamePage
   and search engines do not follow links a family wrote.

Used by messages (conversations) and home notes (updates).
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}
_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
_SCHEMES = {"http", "https", "mailto"}
# A link is absolute with one of those schemes, or a path on this site: anything else
# (``java%09script:``, ``//evil.example``) is dropped rather than left to a browser's
# reading of it.
_SAFE_HREF = re.compile(r"^(https?://|mailto:|/(?!/)|#)", re.IGNORECASE)


def _attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "a" and name == "href" and not _SAFE_HREF.match(value):
        return None
    return value


_markdown = MarkdownIt("zero", {"breaks": True, "linkify": False}).enable(
    ["emphasis", "list", "link", "newline"]
)


def render_markup(text: str) -> SafeString:
    """``text`` (the Markdown subset) as HTML that is safe to put in any page or email."""
    html = _markdown.render(text or "")
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="noopener nofollow",
        attribute_filter=_attribute,
        strip_comments=True,
    )
    return mark_safe(cleaned.strip())


def plain_text(text: str) -> str:
    """``text`` without its formatting, for a plain-text email or a short preview."""
    return strip_tags(render_markup(text)).strip()
