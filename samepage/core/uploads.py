"""Files people attach (a photo of homework, a doctor's letter): checked, cleaned, kept private.

A file is judged by its first bytes, never by its name: a script called ``photo.png`` is
not a picture and is refused. What is accepted is a short list a family or a teacher
would send: pictures, PDF and office documents. Pictures are decoded and saved again,
which drops everything but the pixels (the phone's location, the camera's serial
number); a file Pillow cannot decode is refused rather than kept unchecked.

Stored files go to the default storage under a random name (``SAMEPAGE_VAR_DIR/media``
or a private bucket: nothing serves it directly), and reach a person only through a
view that asked the permission layer first, then answers with ``file_response``.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

# Pictures are re-encoded in their own format; a format not listed is not a picture we take.
_PICTURES = {
    "image/jpeg": ("JPEG", "jpg"),
    "image/png": ("PNG", "png"),
    "image/gif": ("GIF", "gif"),
    "image/webp": ("WEBP", "webp"),
}
_DOCUMENTS = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
ACCEPTED_TYPES = frozenset(_PICTURES) | frozenset(_DOCUMENTS)
# For the file input's ``accept``: a hint to the browser's picker, never the check.
_EXTENSIONS = {ext for _format, ext in _PICTURES.values()} | set(_DOCUMENTS.values())
ACCEPT_ATTRIBUTE = ",".join([*sorted(f".{ext}" for ext in _EXTENSIONS), "image/*"])
# Enough of the start of a file for every signature above, office documents included.
_SNIFF_BYTES = 8192
# A picture larger than this (width × height) is refused before it is decoded.
MAX_PIXELS = 40_000_000
_NAME_LENGTH = 120


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed: the bytes to keep (pictures already cleaned) and what they are."""

    content: bytes
    name: str  # the sender's name for it, made safe, with the extension of its real type
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def is_picture(self) -> bool:
        return self.content_type in _PICTURES


def max_bytes() -> int:
    return int(settings.SAMEPAGE_ATTACHMENT_MAX_BYTES)


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f}".rstrip("0").rstrip(".")


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """The upload, if it is a file SamePage keeps; ``ValidationError`` (in the person's
    language, saying what to do) if it is too large, empty, or not what it claims."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("That file is empty. Choose the file again."), code="empty")
    if size > max_bytes():
        raise ValidationError(
            _("That file is %(size)s MB; files can be at most %(limit)s MB.")
            % {"size": _megabytes(size), "limit": _megabytes(max_bytes())},
            code="too_large",
        )
    upload.seek(0)
    content = upload.read()
    kind = filetype.guess(content[:_SNIFF_BYTES])
    mime = kind.mime if kind is not None else ""
    if mime not in ACCEPTED_TYPES:
        raise ValidationError(
            _(
                "SamePage takes pictures (JPEG, PNG, GIF, WebP), PDF files and office "
                "documents. That file is none of these, whatever its name says."
            ),
            code="type",
        )
    if mime in _PICTURES:
        content = _clean_picture(content, mime)
    extension = _PICTURES[mime][1] if mime in _PICTURES else _DOCUMENTS[mime]
    return CheckedUpload(
        content=content,
        name=_safe_name(upload.name or "", extension),
        content_type=mime,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _clean_picture(content: bytes, mime: str) -> bytes:
    """The picture saved again from its pixels alone: no EXIF (location), no comments.

    The orientation the camera wrote is applied first, so a photo taken sideways still
    shows the right way up once its EXIF is gone.
    """
    unreadable = ValidationError(
        _("That picture could not be read. Save it again as JPEG or PNG and retry."),
        code="picture",
    )
    pillow_format = _PICTURES[mime][0]
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("That picture is too large (%(pixels)s million pixels). Send a smaller one.")
                    % {"pixels": round(image.width * image.height / 1_000_000)},
                    code="picture_size",
                )
            image.load()
            frames = getattr(image, "n_frames", 1)
            if frames > 1:
                # Animations keep their frames; Pillow writes no EXIF unless asked.
                out = io.BytesIO()
                image.save(out, format=pillow_format, save_all=True)
                return out.getvalue()
            upright = ImageOps.exif_transpose(image) or image
            # A new image from the pixels alone carries none of the original's metadata.
            pixels = Image.frombytes(upright.mode, upright.size, upright.tobytes())
            if upright.mode == "P":
                pixels.putpalette(upright.getpalette() or [])
            options: dict[str, Any] = {}
            if "transparency" in upright.info and pillow_format in {"PNG", "GIF"}:
                options["transparency"] = upright.info["transparency"]
            if pillow_format == "JPEG":
                options["quality"] = 90
                if pixels.mode not in {"RGB", "L", "CMYK"}:
                    pixels = pixels.convert("RGB")
            out = io.BytesIO()
            pixels.save(out, format=pillow_format, **options)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise unreadable from error


def _safe_name(name: str, extension: str) -> str:
    """The sender's file name without any path, made safe for a header, ending in the
    extension of what the file really is (``homework.png`` that is a PDF becomes
    ``homework.pdf``)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:  # nothing usable is left of it ("..", spaces)
        stem = "file"
    return f"{stem[:_NAME_LENGTH]}.{extension}"


def _stored_path(instance: Any, filename: str) -> str:
    """A random name under the month it arrived: nothing of the sender's name or of the
    child reaches the storage."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class StoredFile(models.Model):
    """What every attachment keeps; an app's own model adds whose it is."""

    file = models.FileField(upload_to=_stored_path, max_length=200)
    name = models.CharField(gettext_lazy("file name"), max_length=_NAME_LENGTH + 10)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    @property
    def is_picture(self) -> bool:
        return self.content_type in _PICTURES

    @property
    def size_label(self) -> str:
        if self.size < 1024 * 1024:
            return _("%(size)s KB") % {"size": max(1, round(self.size / 1024))}
        return _("%(size)s MB") % {"size": _megabytes(self.size)}


def store(checked: CheckedUpload, instance: StoredFile) -> StoredFile:
    """Fill ``instance`` from ``checked`` and save it, with its file written to storage."""
    instance.name = checked.name
    instance.content_type = checked.content_type
    instance.size = checked.size
    instance.sha256 = checked.sha256
    instance.file.save(checked.name, ContentFile(checked.content), save=False)
    instance.save()
    return instance


def file_response(stored: StoredFile, *, inline: bool = False) -> FileResponse:
    """The file, for a view that already checked who may have it.

    Pictures may be shown in the page (``inline``); everything else downloads. Either
    way the browser may not guess another type, the file runs no script even opened on
    its own (a sandbox), and no shared cache keeps a copy.
    """
    response = FileResponse(
        stored.file.open("rb"),
        content_type=stored.content_type,
        as_attachment=not (inline and stored.is_picture),
        filename=stored.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
