"""Attached files: judged by content, cleaned of location data, refused with a reason."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from samepage.core.uploads import check_upload


def _jpeg_with_location(orientation: int = 1) -> bytes:
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    # GPS IFD: latitude 45° N, the kind of thing a phone writes.
    exif.get_ifd(0x8825).update({1: "N", 2: (45.0, 0.0, 0.0), 3: "W", 4: (122.0, 0.0, 0.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    image = Image.new("RGBA", (8, 8), (0, 0, 255, 128))
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (45.0, 0.0, 0.0)})
    image.save(out, format="PNG", exif=exif)
    return out.getvalue()


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_a_photo_loses_its_location_and_camera_but_keeps_its_pixels_upright() -> None:
    original = _jpeg_with_location(orientation=6)  # "rotate 90°": taken sideways
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)

    checked = check_upload(_upload("IMG_0042.JPG", original))

    cleaned = Image.open(io.BytesIO(checked.content))
    assert checked.content_type == "image/jpeg"
    assert checked.name == "IMG_0042.jpg"
    assert dict(cleaned.getexif()) == {}
    assert b"PhoneMaker" not in checked.content
    # The orientation was applied to the pixels before the EXIF went: 40×20 became 20×40.
    assert cleaned.size == (20, 40)


def test_a_png_keeps_transparency_and_loses_its_exif() -> None:
    checked = check_upload(_upload("drawing.png", _png()))

    cleaned = Image.open(io.BytesIO(checked.content))
    assert cleaned.mode == "RGBA"
    assert cleaned.getpixel((0, 0)) == (0, 0, 255, 128)
    assert dict(cleaned.getexif()) == {}


@pytest.mark.parametrize(
    "name,content",
    [
        ("photo.png", b"#!/bin/sh\nrm -rf /\n"),
        ("photo.png", b"<script>alert(1)</script>"),
        ("letter.pdf", b"MZ\x90\x00" + b"\x00" * 100),  # a Windows program
        ("notes.docx", b"PK\x03\x04" + b"\x00" * 100),  # a zip, but no document in it
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(name: str, content: bytes) -> None:
    with pytest.raises(ValidationError) as refused:
        check_upload(_upload(name, content))
    assert refused.value.code == "type"
    assert "whatever its name says" in refused.value.messages[0]


def test_a_real_type_under_a_wrong_name_is_kept_under_its_real_extension() -> None:
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    checked = check_upload(_upload("../../homework.png", pdf))
    assert checked.content_type == "application/pdf"
    assert checked.name == "homework.pdf"
    assert checked.content == pdf


def test_office_documents_are_accepted() -> None:
    checked = check_upload(_upload("plan notes.docx", _docx()))
    assert checked.content_type.endswith("wordprocessingml.document")
    assert checked.name == "plan_notes.docx"


@override_settings(SAMEPAGE_ATTACHMENT_MAX_BYTES=1024)
def test_a_file_over_the_limit_is_refused_saying_both_sizes() -> None:
    with pytest.raises(ValidationError) as refused:
        check_upload(_upload("scan.pdf", b"%PDF-1.4\n" + b"0" * 2_000_000))
    assert refused.value.code == "too_large"
    assert "1.9 MB" in refused.value.messages[0]
    assert "at most 0" in refused.value.messages[0]


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        check_upload(_upload("empty.jpg", b""))
    assert refused.value.code == "empty"


def test_a_broken_picture_is_refused_not_kept_unchecked() -> None:
    truncated = _jpeg_with_location()[:200]
    with pytest.raises(ValidationError) as refused:
        check_upload(_upload("photo.jpg", truncated))
    assert refused.value.code == "picture"


def test_a_huge_picture_is_refused_before_it_is_decoded(settings: object) -> None:
    out = io.BytesIO()
    # PNG compresses a blank 8000×8000 image to a few KB: a decompression bomb in miniature.
    Image.new("L", (8000, 8000)).save(out, format="PNG")
    with pytest.raises(ValidationError) as refused:
        check_upload(_upload("big.png", out.getvalue()))
    assert refused.value.code == "picture_size"


@pytest.mark.parametrize("name", ["", "...", "   .jpg", "a/b\\c.jpg", "é" * 300 + ".jpg"])
def test_any_name_becomes_a_safe_one(name: str) -> None:
    checked = check_upload(_upload(name or "x", _jpeg_with_location()))
    assert checked.name.endswith(".jpg")
    assert "/" not in checked.name and "\\" not in checked.name
    assert len(checked.name) <= 130
