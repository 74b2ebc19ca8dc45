"""A photo sent "as a file" reaches officers without the reporter's GPS, phone or thumbnail."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bot.evidence import sanitize
from conversations.i18n import Lang
from conversations.sanitizing import FileKind, Reason, Removal, Verdict
from tests.support import evidence_samples as samples

pytestmark = pytest.mark.unit


def reopened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_no_metadata(image: Image.Image) -> None:
    assert not image.getexif(), dict(image.getexif())
    assert "exif" not in image.info and "xmp" not in image.info
    assert "icc_profile" not in image.info and "comment" not in image.info
    assert not getattr(image, "text", {})


def test_a_phone_jpeg_loses_gps_camera_serial_thumbnail_xmp_and_iptc() -> None:
    original = samples.phone_jpeg()
    assert all(m.encode() in original for m in samples.JPEG_MARKERS)  # the fixture has them
    assert reopened(original).getexif().get_ifd(0x8825)  # and a GPS position

    result = sanitize(original, claimed_mime="image/jpeg", claimed_name="IMG_2024.jpg")

    assert result.verdict is Verdict.CLEANED and result.kind is FileKind.JPEG
    clean = result.clean
    assert clean is not None
    for marker in (*samples.JPEG_MARKERS, samples.XMP_MARKER, samples.IPTC_MARKER):
        assert marker.encode() not in clean, marker
    assert b"Exif\x00\x00" not in clean and b"Photoshop 3.0" not in clean
    assert b"JPEG-COM-Marker" not in clean and b"ICC_PROFILE" not in clean
    image = reopened(clean)
    assert image.format == "JPEG" and image.size == (64, 48)
    assert_no_metadata(image)
    assert {Removal.GPS, Removal.DEVICE, Removal.THUMBNAIL, Removal.TIMESTAMPS} <= set(
        result.removed
    )


def test_the_picture_is_turned_as_the_phone_showed_it_before_the_tag_goes() -> None:
    # Orientation 6: the sensor's landscape picture is shown turned 90° clockwise.
    result = sanitize(samples.phone_jpeg(orientation=6))

    assert result.clean is not None
    image = reopened(result.clean).convert("RGB")
    assert image.size == (48, 64)
    # Red was the left half; turned clockwise it is the top half.
    top, bottom = image.getpixel((24, 5)), image.getpixel((24, 58))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 and top[2] < 60, top
    assert bottom[2] > 200 and bottom[0] < 60, bottom
    assert 0x0112 not in reopened(result.clean).getexif()


def test_an_upright_jpeg_keeps_its_own_quality_tables() -> None:
    original = samples.phone_jpeg(size=(256, 192))
    result = sanitize(original)

    assert result.clean is not None
    assert reopened(result.clean).quantization == reopened(original).quantization


def test_a_png_loses_its_text_chunks_and_exif() -> None:
    original = samples.png_with_text()
    assert samples.PNG_AUTHOR.encode() in original

    result = sanitize(original, claimed_mime="image/png")

    assert result.verdict is Verdict.CLEANED and result.clean is not None
    for marker in (samples.PNG_AUTHOR, samples.PNG_COMMENT, "iTXt-Marker", samples.CAMERA_SERIAL):
        assert marker.encode() not in result.clean, marker
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"tIME"):
        assert chunk not in result.clean
    image = reopened(result.clean)
    assert image.format == "PNG"
    assert_no_metadata(image)
    assert Removal.AUTHOR in result.removed


@pytest.mark.parametrize("animated", [False, True], ids=["still", "sticker"])
def test_a_webp_loses_exif_and_xmp_and_a_sticker_keeps_moving(animated: bool) -> None:
    result = sanitize(samples.webp_with_exif(animated=animated), claimed_mime="image/webp")

    assert result.verdict is Verdict.CLEANED and result.clean is not None
    assert b"EXIF" not in result.clean and b"XMP " not in result.clean
    assert samples.CAMERA_SERIAL.encode() not in result.clean
    image = reopened(result.clean)
    assert image.format == "WEBP"
    assert getattr(image, "n_frames", 1) == (2 if animated else 1)
    assert_no_metadata(image)


def test_a_heic_becomes_a_clean_jpeg_officers_can_open() -> None:
    result = sanitize(samples.heic_with_exif(), claimed_mime="image/heic")

    assert result.verdict is Verdict.CLEANED and result.kind is FileKind.HEIC
    assert result.extension == "jpg" and result.mime == "image/jpeg"
    assert result.clean is not None and samples.CAMERA_MAKE.encode() not in result.clean
    image = reopened(result.clean)
    assert image.format == "JPEG" and image.size == (64, 48)
    assert_no_metadata(image)


def test_a_truncated_picture_is_kept_sealed_as_could_not_be_opened() -> None:
    broken = samples.phone_jpeg(size=(256, 192))
    broken = broken[: len(broken) // 2]

    result = sanitize(broken)

    assert result.verdict is Verdict.SEALED and result.reason is Reason.CORRUPT
    assert result.clean is None and result.clean_sha256 is None
    assert "tidak dapat dibuka" in result.reporter_text(Lang.ID)
    assert result.officer_note(Lang.ID) == "disegel, tidak dibersihkan: tidak dapat dibuka"


def test_a_picture_too_large_to_decode_is_kept_sealed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.evidence.images.MAX_PIXELS", 1000)

    result = sanitize(samples.phone_jpeg())

    assert result.verdict is Verdict.SEALED and result.reason is Reason.TOO_MANY_PIXELS


def test_the_reporter_is_told_in_plain_words_what_was_removed() -> None:
    result = sanitize(samples.phone_jpeg())

    text = result.reporter_text(Lang.ID)
    assert text.startswith("🧹 Lokasi GPS, data perangkat")
    assert "telah dihapus dari foto/gambar Anda sebelum diteruskan ke petugas" in text
    assert "the GPS location" in result.reporter_text(Lang.EN)
    assert result.officer_note(Lang.ID) == "metadata dihapus"


def test_the_hashes_name_the_original_and_the_clean_copy() -> None:
    import hashlib

    original = samples.phone_jpeg()
    result = sanitize(original)

    assert result.clean is not None
    assert result.original_sha256 == hashlib.sha256(original).hexdigest()
    assert result.clean_sha256 == hashlib.sha256(result.clean).hexdigest()
    assert result.size == len(original)
    record = result.record()
    assert record["verdict"] == "cleaned" and record["clean_sha256"] == result.clean_sha256
    assert "gps" in record["removed"]
