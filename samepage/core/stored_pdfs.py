"""PDFs laid out once and kept in file storage, found again by what they were made from.

A row of a stored-PDF model (plans' ``StoredDocument``, reports' ``StoredReportPdf``)
names one document by a key (what it is of, in which language, and the fingerprint of
the HTML it was laid out from, ``core.pdf.fingerprint``) and holds its file with the
file's SHA-256 and length. The model says what its key is; the reading and storing,
checksums, and two readers storing the same document at once are handled here.

Storing a PDF changes nothing anyone wrote, so it leaves no audit event; the reader's
access event is the record of the request, and the permission check runs in the view on
every request, stored or not.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction

logger = logging.getLogger(__name__)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_stored(stored: Any) -> bytes | None:
    """The stored PDF, or None when it is missing or no longer the bytes that were stored
    (then it is rendered again: a damaged or altered file is never served)."""
    try:
        with stored.file.open("rb") as handle:
            data: bytes = handle.read()
    except Exception:  # any storage error: the document can still be rendered
        logger.exception("Stored PDF %s could not be read; rendering it again", stored.file.name)
        return None
    if len(data) != stored.size or sha256(data) != stored.sha256:
        logger.error("Stored PDF %s does not match its checksum; rendering it again", stored.pk)
        return None
    return data


def find_stored(model: type[models.Model], key: dict[str, Any]) -> bytes | None:
    """The PDF stored under ``key`` when there is one and it reads back intact."""
    stored = model._default_manager.filter(**key).first()
    return read_stored(stored) if stored is not None else None


def store_pdf(model: type[models.Model], key: dict[str, Any], *, name: str, pdf: bytes) -> Any:
    """Keep ``pdf`` as the row of ``model`` with ``key`` (the model's unique fields), in
    storage under ``name`` (ids and hashes only: no child's name in a bucket listing).

    Safe when two readers store the same document at once: the unique key lets one row
    win, and the other's file (which storage saved under a name of its own) is removed.
    A row whose file was lost or damaged is pointed at the new file.
    """
    saved = default_storage.save(name, ContentFile(pdf))
    fields = {"file": saved, "sha256": sha256(pdf), "size": len(pdf)}
    with transaction.atomic():
        found = model._default_manager.select_for_update().get_or_create(**key, defaults=fields)
        stored: Any = found[0]
        created = found[1]
        if created:
            return stored
        if stored.file.name != saved and read_stored(stored) is not None:
            # Someone stored this document a moment before: theirs stays, ours goes.
            unused = saved
        else:
            # The row's file was lost or damaged: it gets the new one.
            unused = stored.file.name if stored.file.name != saved else ""
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
