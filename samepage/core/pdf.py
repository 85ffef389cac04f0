"""PDFs from page templates, offline.

WeasyPrint renders the template plus the print stylesheet, which is inlined from disk:
it is given a fetcher that refuses every URL, so a PDF never reaches the network (or the
file system) whatever ends up in the HTML.
"""

from __future__ import annotations

import logging
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


def html_to_pdf(html: str, *, strict: bool | None = None) -> bytes:
    """PDF bytes from HTML, offline: no URL is ever opened. A refused resource is logged;
    with ``strict`` (the test suite) it stops the rendering."""
    from weasyprint import HTML

    fetcher = _offline_fetcher(strict=FAIL_ON_EXTERNAL_RESOURCES if strict is None else strict)
    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
    if fetcher.refused:
        logger.error("PDF referred to resources that were not loaded: %s", fetcher.refused)
    return pdf


def render_pdf(template_name: str, context: dict[str, Any], request: HttpRequest) -> bytes:
    """Render a template with the print stylesheet into PDF bytes, offline."""
    html = render_to_string(
        template_name,
        {**context, "print_css": print_css(), "page_counter": page_counter_css()},
        request=request,
    )
    return html_to_pdf(html)


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
