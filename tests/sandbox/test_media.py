"""Image sizes from file headers (what Telegram reports for a photo) and stored file shapes."""

from __future__ import annotations

import struct
from collections.abc import Callable

import pytest

from sandbox.media import StoredFile, guess_mime_type, image_size
from tests.sandbox.helpers import png


def jpeg(width: int, height: int) -> bytes:
    app0 = (
        b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    )
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x22\x00" * 3
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00;"


def webp(width: int, height: int) -> bytes:
    body = b"VP8X" + struct.pack("<I", 10) + b"\x00" * 4
    body += (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + body


@pytest.mark.parametrize("make", [png, jpeg, gif, webp])
def test_image_size_reads_common_formats(make: Callable[[int, int], bytes]) -> None:
    assert image_size(make(640, 480)) == (640, 480)


def test_other_bytes_are_not_images() -> None:
    assert image_size(b"%PDF-1.7") is None
    assert image_size(b"\xff\xd8\x00garbage") is None


def test_a_large_photo_gets_a_thumbnail_size() -> None:
    photo = StoredFile("id", "uid", "photo", png(1280, 640), width=1280, height=640)
    assert [(size["width"], size["height"]) for size in photo.photo_sizes()] == [
        (90, 45),
        (1280, 640),
    ]
    small = StoredFile("id2", "uid2", "photo", png(50, 50), width=50, height=50)
    assert len(small.photo_sizes()) == 1
    assert photo.file()["file_path"] == "photos/file_uid.jpg"


def test_mime_type_is_declared_or_guessed() -> None:
    assert guess_mime_type("log.csv", "application/octet-stream") == "text/csv"
    assert guess_mime_type("x.bin", "application/pdf") == "application/pdf"
    assert guess_mime_type(None, None) is None
