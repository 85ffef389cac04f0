"""Mark glossary terms in rendered text with an accessible explanation.

``annotate(value)`` takes text about to be shown (plain, or already HTML-safe such as the
output of ``linebreaksbr``) and wraps the first occurrence of each glossary term on the
page like this::

    <span class="jargon" data-term="iep"><a href="/help/glossary/#term-iep"
      aria-describedby="jargon-iep-1">IEP</a><span role="tooltip" id="jargon-iep-1"
      class="jargon-tip">IEP (Individualized Education Program): The written plan…</span></span>

How it stays safe: text that is not marked safe is escaped first, exactly as the template
would have escaped it. The result is then read with ``html.parser`` and written out again
token by token: text is escaped again, attribute values are quoted and escaped, malformed
tags become visible text. Only our own three elements are added, and their contents are
our glossary, escaped. Nothing is matched with regular expressions over HTML; the term
pattern runs over one decoded text node at a time.

What it leaves alone: tag attributes (they are not text), text inside ``a``, ``code``,
``script``, ``style`` and other elements where a link would not belong, anything inside
an earlier mark (so annotating twice is the same as annotating once), and URL- or
address-like words.

"First occurrence per page" needs state that outlives one filter call. Each request
starts a fresh ``PageState`` (``request_started``, connected in ``apps.py``); code that
renders outside a request (a PDF task, a test) can open its own ``annotation_scope()``.
With no scope at all, each call is its own page, with ids that cannot collide.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeData, SafeString, mark_safe

from samepage.glossary.terms import TERMS, TERMS_BY_KEY

# Elements whose text is never annotated: links and form controls (a link inside them
# would be invalid or unusable), code and raw-text elements, titles and embedded markup.
SKIP_ELEMENTS = frozenset(
    {
        "a",
        "abbr",
        "button",
        "code",
        "iframe",
        "kbd",
        "label",
        "math",
        "noscript",
        "option",
        "samp",
        "script",
        "select",
        "style",
        "svg",
        "template",
        "textarea",
        "title",
    }
)
RAW_TEXT_ELEMENTS = frozenset({"script", "style"})
VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
MARK_CLASS = "jargon"
TAG_NAME = re.compile(r"[a-z][a-z0-9-]*")
ATTRIBUTE_NAME = re.compile(r"[a-zA-Z_:][-a-zA-Z0-9_:.]*")
WORD = re.compile(r"\S+")
# A word is treated as part of a URL or address when it has a scheme, starts with www.,
# has an @, or ends in something like ".org" or ".org/...".
URL_LIKE = re.compile(r"://|^www\.|@|\.[a-z]{2,}(?:/|$)", re.IGNORECASE)


@dataclass
class PageState:
    """What has been marked on the page being rendered, and the next tooltip id."""

    id_prefix: str = ""
    seen: set[str] = field(default_factory=set)
    count: int = 0

    def next_id(self, key: str) -> str:
        self.count += 1
        return f"jargon-{key}-{self.id_prefix}{self.count}"


_page: ContextVar[PageState | None] = ContextVar("glossary_page", default=None)


@contextmanager
def annotation_scope(id_prefix: str = "") -> Iterator[PageState]:
    """Treat everything annotated inside the ``with`` block as one page."""
    token = _page.set(PageState(id_prefix=id_prefix))
    try:
        yield _page.get()  # type: ignore[misc]
    finally:
        _page.reset(token)


def start_page(**kwargs: Any) -> None:
    """``request_started`` receiver: a request is a new page.

    The random id prefix keeps tooltip ids unique when an htmx partial (its own request)
    is swapped into a page that already has tooltips.
    """
    _page.set(PageState(id_prefix=secrets.token_hex(3) + "-"))


def end_page(**kwargs: Any) -> None:
    """``request_finished`` receiver: nothing carries over to whatever the thread does next."""
    _page.set(None)


def _is_acronym(form: str) -> bool:
    return form.upper() == form and any(c.isalpha() for c in form)


def _normalize(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class _Matcher:
    pattern: re.Pattern[str]
    acronyms: dict[str, str]  # exact form -> key
    phrases: dict[str, str]  # casefolded form -> key

    def key_for(self, matched: str) -> str | None:
        text = _normalize(matched)
        return self.acronyms.get(text) or self.phrases.get(text.casefold())


@lru_cache(maxsize=1)
def _matcher() -> _Matcher:
    acronyms: dict[str, str] = {}
    phrases: dict[str, str] = {}
    # Both languages' forms are looked for whatever the reader's language: a Spanish-
    # speaking parent reads an English-speaking teacher's notes, and the other way round.
    for term in TERMS:
        for form in term.en.forms + term.es.forms:
            if _is_acronym(form):
                acronyms.setdefault(form, term.key)
            else:
                phrases.setdefault(form.casefold(), term.key)
    alternatives = []
    for form in sorted({*acronyms, *phrases}, key=len, reverse=True):
        body = r"\s+".join(re.escape(word) for word in form.split())
        alternatives.append(body if form in acronyms else f"(?i:{body})")
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")
    return _Matcher(pattern=pattern, acronyms=acronyms, phrases=phrases)


def _url_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in WORD.finditer(text) if URL_LIKE.search(m.group())]


class _Annotator(HTMLParser):
    def __init__(self, page: PageState, glossary_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.glossary_url = glossary_url
        self.out: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (tag, text inside is left alone)
        self.pending: list[str] = []

    # --- structure ------------------------------------------------------------------
    @property
    def leave_alone(self) -> bool:
        return any(skip for _, skip in self.open)

    @property
    def in_raw_text(self) -> bool:
        return bool(self.open) and self.open[-1][0] in RAW_TEXT_ELEMENTS

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closes_itself=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closes_itself=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, closes_itself: bool) -> None:
        self._flush()
        if not TAG_NAME.fullmatch(tag):
            # Not a tag a browser would agree on: show it as the text it is.
            self.out.append(escape(self.get_starttag_text() or ""))
            return
        self.out.append(f"<{tag}{_attributes(attrs)}>")
        if tag in VOID_ELEMENTS:
            return
        if closes_itself:
            self.out.append(f"</{tag}>")
            return
        classes = (dict(attrs).get("class") or "").split()
        marked = tag == "span" and MARK_CLASS in classes
        if marked:
            # An earlier mark (this page or a previous pass): it counts as the first one.
            key = dict(attrs).get("data-term") or ""
            if key in TERMS_BY_KEY:
                self.page.seen.add(key)
        self.open.append((tag, marked or tag in SKIP_ELEMENTS))

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        if not TAG_NAME.fullmatch(tag):
            return
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                break
        self.out.append(f"</{tag}>")

    # Comments, doctypes and processing instructions are not content: drop them.
    def handle_comment(self, data: str) -> None:
        self._flush()

    def handle_decl(self, decl: str) -> None:
        self._flush()

    def handle_pi(self, data: str) -> None:
        self._flush()

    def unknown_decl(self, data: str) -> None:
        self._flush()

    # --- text -------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.in_raw_text:
            # Trusted script/style content, exactly as given (it was never escaped).
            self.out.append(data)
            return
        # The parser may hand one text node over in pieces; terms can span them.
        self.pending.append(data)

    def _flush(self) -> None:
        if not self.pending:
            return
        text = "".join(self.pending)
        self.pending = []
        self.out.append(escape(text) if self.leave_alone else self._mark_terms(text))

    def finish(self) -> str:
        self.close()
        self._flush()
        return "".join(self.out)

    def _mark_terms(self, text: str) -> str:
        matcher = _matcher()
        urls = _url_spans(text)
        pieces: list[str] = []
        done = 0
        for match in matcher.pattern.finditer(text):
            key = matcher.key_for(match.group())
            if key is None or key in self.page.seen:
                continue
            if any(start < match.end() and match.start() < end for start, end in urls):
                continue
            self.page.seen.add(key)
            pieces.append(escape(text[done : match.start()]))
            pieces.append(self._mark(key, match.group()))
            done = match.end()
        pieces.append(escape(text[done:]))
        return "".join(pieces)

    def _mark(self, key: str, shown: str) -> str:
        wording = TERMS_BY_KEY[key].wording()
        tip_id = self.page.next_id(key)
        return (
            f'<span class="{MARK_CLASS}" data-term="{key}">'
            f'<a href="{escape(self.glossary_url)}#term-{key}" aria-describedby="{tip_id}">'
            f"{escape(shown)}</a>"
            f'<span role="tooltip" id="{tip_id}" class="jargon-tip">'
            f"{escape(wording.name)}: {escape(wording.explanation)}</span></span>"
        )


def _attributes(attrs: list[tuple[str, str | None]]) -> str:
    parts = []
    for name, value in attrs:
        if not ATTRIBUTE_NAME.fullmatch(name):
            continue
        parts.append(f" {name}" if value is None else f' {name}="{escape(value)}"')
    return "".join(parts)


def annotate(value: object) -> SafeString:
    """``value`` with the page's first occurrence of each glossary term explained.

    Values that are not marked safe are escaped first, so the result is safe to show.
    """
    html = str(value) if isinstance(value, SafeData) else str(escape(str(value)))
    page = _page.get()
    if page is None:
        # No page to remember: this call is the page. Random ids so two such calls on
        # one screen cannot collide.
        page = PageState(id_prefix=secrets.token_hex(3) + "-")
    annotator = _Annotator(page, reverse("glossary:index"))
    annotator.feed(html)
    # Safe: every piece above was escaped or is our own markup.
    return mark_safe(annotator.finish())
