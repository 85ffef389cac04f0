"""PDFs from page templates, offline.

WeasyPrint renders the template plus the print stylesheet, which is inlined from disk:
it is given a fetcher that refuses every URL, so a PDF never reaches the network (or the
file system) whatever ends up in the HTML.

Rendering is split in two: ``render_html`` (the template, a few milliseconds) and
``html_to_pdf`` (WeasyPrint's layout, the expensive part). The HTML is everything the PDF
is made from, so its ``fingerprint`` names the document exactly: a caller that keeps
PDFs (plans/documents.py) keys them by it, and two readers share a stored copy only when
they would be handed the same document.

Speed: each thread keeps one font configuration (WeasyPrint otherwise loads every font
of the system again for each PDF), and fonts are subset with HarfBuzz when Debian's
``libharfbuzz-subset0`` is installed (scripts/ensure-system-packages.sh), many times
faster than WeasyPrint's fontTools fallback.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PRINT_CSS = Path(__file__).resolve().parent / "static" / "core" / "print.css"


# --- rendering ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _print_css_text() -> str:
    return PRINT_CSS.read_text(encoding="utf-8")


def print_css() -> SafeString:
    # Our own file, read from disk: safe to place inside <style> as it is.
    return mark_safe(_print_css_text())


def css_string(text: str) -> str:
    """``text`` as a CSS string literal that cannot break out of the rule or <style>."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\a ")
        .replace("<", "\\3c ")
        .replace(">", "\\3e ")
    )
    return f'"{escaped}"'


def page_counter_css() -> SafeString:
    """A CSS ``content`` value saying "Page N of M" in the reader's language."""
    counters = {"page": "\x00page\x00", "pages": "\x00pages\x00"}
    try:
        text = _("Page %(page)s of %(pages)s") % counters
    except (KeyError, TypeError, ValueError):  # a broken translation: fall back
        text = f"Page {counters['page']} of {counters['pages']}"
    parts = text.split("\x00")
    # Odd positions are the counter names, even ones the words around them.
    pieces = [
        f"counter({part})" if i % 2 else css_string(part)
        for i, part in enumerate(parts)
        if i % 2 or part
    ]
    return mark_safe(" ".join(pieces))


# Set by the test suite (samepage/conftest.py): a PDF that asks for any resource fails
# the test that rendered it, instead of quietly leaving the resource out.
FAIL_ON_EXTERNAL_RESOURCES = False


def _offline_fetcher(*, strict: bool) -> Any:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class ExternalResourceRefused(FatalURLFetchingError):  # type: ignore[misc]
        """Raised in strict mode; WeasyPrint lets only these through its own error handling."""

    class RefuseEverything(URLFetcher):  # type: ignore[misc]
        """Every resource a PDF needs is inline; anything else is refused, unopened, and
        noted in ``refused`` (WeasyPrint swallows ordinary errors raised by a fetcher)."""

        def __init__(self) -> None:
            super().__init__()
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            self.refused.append(url[:200])
            if strict:
                raise ExternalResourceRefused(f"A PDF asked for an external resource: {url[:80]}")
            raise ValueError(f"PDFs load no external resources: {url[:80]}")

    return RefuseEverything()


# How many PDFs this process has laid out: tests read it to show a stored PDF was served
# without rendering again.
renders = 0

_threads = threading.local()


def _font_config() -> Any:
    """This thread's font configuration, made once. Pango's font maps are not shared
    between threads; PDFs here use no web fonts, so nothing accumulates in it."""
    config = getattr(_threads, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _threads.font_config = FontConfiguration()
    return config


def html_to_pdf(html: str, *, strict: bool | None = None) -> bytes:
    """PDF bytes from HTML, offline: no URL is ever opened. A refused resource is logged;
    with ``strict`` (the test suite) it stops the rendering."""
    global renders
    from weasyprint import HTML

    fetcher = _offline_fetcher(strict=FAIL_ON_EXTERNAL_RESOURCES if strict is None else strict)
    renders += 1
    font_config = _font_config()
    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(
        font_config=font_config
    )
    if fetcher.refused:
        logger.error("PDF referred to resources that were not loaded: %s", fetcher.refused)
    return pdf


def render_html(
    template_name: str, context: dict[str, Any], request: HttpRequest | None = None
) -> str:
    """The HTML a PDF is made from: the template with the print stylesheet inlined."""
    return render_to_string(
        template_name,
        {**context, "print_css": print_css(), "page_counter": page_counter_css()},
        request=request,
    )


def fingerprint(html: str) -> str:
    """A name for the document ``html`` becomes: the same HTML makes the same PDF (the
    stylesheet is inlined and nothing is fetched), and any other HTML another name."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def render_pdf(
    template_name: str, context: dict[str, Any], request: HttpRequest | None = None
) -> bytes:
    """Render a template with the print stylesheet into PDF bytes, offline."""
    return html_to_pdf(render_html(template_name, context, request))


def pdf_filename(student_name: str, what: str, version: Any) -> str:
    """An ASCII file name that cannot smuggle quotes, slashes or headers."""
    name = slugify(student_name) or "student"
    return f"{name}-{slugify(what) or 'plan'}-v{int(version)}.pdf"


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(False, filename) or f'inline; filename="{filename}"'
    )
    # A child's record: never kept in shared caches or the browser's cache.
    add_never_cache_headers(response)
    return response
