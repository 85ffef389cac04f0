"""Plan PDFs kept in file storage: a final version's document is laid out once, stored
through Django's storage API, and read back for every later reader it fits.

A stored file is found by its key (version, document, language, fingerprint of the HTML
it was made from; see ``StoredDocument``), never by who asks, so a reader can only ever
be handed the document their own rendering would have produced. The permission check
and the record of access stay in the views and run on every request, stored or not.

Storing a PDF changes nothing anyone wrote, so it leaves no audit event; the reader's
access event is the record of the request.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation

from samepage.core import pdf as paper
from samepage.plans.models import PlanVersion, StoredDocument

logger = logging.getLogger(__name__)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def storage_name(version: PlanVersion, *, kind: str, language: str, source: str) -> str:
    """Where a document goes in storage: ids and hashes only, so no child's name ends up
    in a bucket listing or a path."""
    return f"plans/pdf/{int(version.pk)}/{kind}-{language}-{source}.pdf"


def _read(stored: StoredDocument) -> bytes | None:
    """The stored PDF, or None when it is missing or no longer the bytes that were stored
    (then it is rendered again: a damaged or altered file is never served)."""
    try:
        with stored.file.open("rb") as handle:
            data: bytes = handle.read()
    except Exception:  # any storage error: the document can still be rendered
        logger.exception("Stored PDF %s could not be read; rendering it again", stored.file.name)
        return None
    if len(data) != stored.size or _sha256(data) != stored.sha256:
        logger.error("Stored PDF %s does not match its checksum; rendering it again", stored.pk)
        return None
    return data


def do_store_pdf(
    version: PlanVersion, *, kind: str, language: str, source: str, pdf: bytes
) -> StoredDocument:
    """Keep ``pdf`` (made from HTML fingerprinted ``source``) for ``version``.

    Safe when two readers store the same document at once: the unique key lets one row
    win, and the other's file (which storage saved under a name of its own) is removed.
    A row whose file was lost or damaged is pointed at the new file.
    """
    if version.is_draft:
        raise ValueError("Drafts change: their PDFs are never stored.")
    name = default_storage.save(
        storage_name(version, kind=kind, language=language, source=source), ContentFile(pdf)
    )
    fields = {"file": name, "sha256": _sha256(pdf), "size": len(pdf)}
    with transaction.atomic():
        stored, created = StoredDocument.objects.select_for_update().get_or_create(
            version=version, kind=kind, language=language, source_sha256=source, defaults=fields
        )
        if created:
            return stored
        if stored.file.name != name and _read(stored) is not None:
            # Someone stored this document a moment before: theirs stays, ours goes.
            unused = name
        else:
            # The row's file was lost or damaged: it gets the new one.
            unused = stored.file.name if stored.file.name != name else ""
            for field, value in fields.items():
                setattr(stored, field, value)
            stored.save(update_fields=list(fields))
    # Outside the transaction: storage is not transactional, and a leftover file is harmless
    # while a row pointing at a removed one is not.
    if unused:
        try:
            default_storage.delete(unused)
        except Exception:  # a file left behind wastes space, nothing more
            logger.exception("Could not remove the unused stored PDF %s", unused)
    return stored


def pdf_from_html(version: PlanVersion, *, kind: str, html: str) -> bytes:
    """The PDF laid out from ``html``: read from storage when this very document was
    stored before; otherwise rendered now and, for a final version, stored."""
    if version.is_draft:
        return paper.html_to_pdf(html)
    language = translation.get_language() or "en"
    source = paper.fingerprint(html)
    stored = StoredDocument.objects.filter(
        version=version, kind=kind, language=language, source_sha256=source
    ).first()
    if stored is not None:
        data = _read(stored)
        if data is not None:
            return data
    pdf = paper.html_to_pdf(html)
    do_store_pdf(version, kind=kind, language=language, source=source, pdf=pdf)
    return pdf
