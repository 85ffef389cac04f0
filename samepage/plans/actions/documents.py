"""Plan PDFs kept in file storage: a final version's document is laid out once, stored
through Django's storage API, and read back for every later reader it fits.

A stored file is found by its key (version, document, language, fingerprint of the HTML
it was made from; see ``StoredDocument``), never by who asks, so a reader can only ever
be handed the document their own rendering would have produced. The permission check
and the record of access stay in the views and run on every request, stored or not.

The storing and reading back (checksums, two readers at once) are core.stored_pdfs'.
"""

from __future__ import annotations

from django.utils import translation

from samepage.core import pdf as paper
from samepage.core.stored_pdfs import find_stored, store_pdf
from samepage.plans.models import PlanVersion, StoredDocument


def storage_name(version: PlanVersion, *, kind: str, language: str, source: str) -> str:
    """Where a document goes in storage: ids and hashes only, so no child's name ends up
    in a bucket listing or a path."""
    return f"plans/pdf/{int(version.pk)}/{kind}-{language}-{source}.pdf"


def do_store_pdf(
    version: PlanVersion, *, kind: str, language: str, source: str, pdf: bytes
) -> StoredDocument:
    """Keep ``pdf`` (made from HTML fingerprinted ``source``) for ``version`` (see
    ``core.stored_pdfs.store_pdf``: two readers storing it at once store it once)."""
    if version.is_draft:
        raise ValueError("Drafts change: their PDFs are never stored.")
    key = {"version": version, "kind": kind, "language": language, "source_sha256": source}
    name = storage_name(version, kind=kind, language=language, source=source)
    stored: StoredDocument = store_pdf(StoredDocument, key, name=name, pdf=pdf)
    return stored


def pdf_from_html(version: PlanVersion, *, kind: str, html: str) -> bytes:
    """The PDF laid out from ``html``: read from storage when this very document was
    stored before; otherwise rendered now and, for a final version, stored."""
    if version.is_draft:
        return paper.html_to_pdf(html)
    language = translation.get_language() or "en"
    source = paper.fingerprint(html)
    key = {"version": version, "kind": kind, "language": language, "source_sha256": source}
    data = find_stored(StoredDocument, key)
    if data is not None:
        return data
    pdf = paper.html_to_pdf(html)
    do_store_pdf(version, kind=kind, language=language, source=source, pdf=pdf)
    return pdf
