"""A file is known by its bytes; programs, archives, oversize and disguised files are refused."""

from __future__ import annotations

import gzip
import io
import string
import tarfile

import pytest

from bot.evidence import TELEGRAM_DOWNLOAD_LIMIT, sanitize
from bot.evidence.sniff import identify
from conversations.i18n import Lang
from conversations.sanitizing import (
    ALL_TEXTS,
    FAMILY,
    REASONS,
    REMOVAL_NAMES,
    FileKind,
    Reason,
    Removal,
    Verdict,
    removed_sentence,
)
from tests.support import evidence_samples as samples

pytestmark = pytest.mark.unit


def tar_file() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        info = tarfile.TarInfo("a.txt")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"hi"))
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (samples.phone_jpeg(), FileKind.JPEG),
        (samples.png_with_text(), FileKind.PNG),
        (samples.webp_with_exif(), FileKind.WEBP),
        (samples.heic_with_exif(), FileKind.HEIC),
        (samples.pdf_with_metadata(), FileKind.PDF),
        (samples.docx_with_history(), FileKind.DOCX),
        (samples.xlsx_with_comment(), FileKind.XLSX),
        (samples.pptx_with_comment_author(), FileKind.PPTX),
        (samples.odt_with_history(), FileKind.ODT),
        (samples.ogg_opus_with_tags(), FileKind.OGG),
        (samples.wav_with_info(), FileKind.WAV),
        (b"#!AMR\n" + bytes(32), FileKind.AMR),
        (samples.MP3_FRAME_HEADER + bytes(413), FileKind.MP3),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", FileKind.MP4),
        (b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A isom", FileKind.M4A),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", FileKind.MOV),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", FileKind.WEBM),
        (b"\x7fELF\x02\x01\x01" + bytes(57), FileKind.ELF),
        (b"MZ\x90\x00" + bytes(60), FileKind.PE),
        (b"\xcf\xfa\xed\xfe" + bytes(28), FileKind.MACHO),
        (b"#!/bin/sh\nrm -rf ~\n", FileKind.SCRIPT),
        (samples.plain_zip({"AndroidManifest.xml": b"x", "classes.dex": b"dex"}), FileKind.APK),
        (samples.plain_zip({"META-INF/MANIFEST.MF": b"x", "A.class": b"x"}), FileKind.JAR),
        (samples.plain_zip({"foto1.jpg": samples.phone_jpeg()}), FileKind.ZIP),
        (b"Rar!\x1a\x07\x01\x00" + bytes(16), FileKind.RAR),
        (b"7z\xbc\xaf\x27\x1c" + bytes(26), FileKind.SEVEN_Z),
        (gzip.compress(b"hello"), FileKind.GZIP),
        (tar_file(), FileKind.TAR),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), FileKind.OLE),
        (b"Catatan: uang diserahkan pukul 10.00\n", FileKind.TEXT),
        (b"<!DOCTYPE html><html><img src='http://x'></html>", FileKind.MARKUP),
        (bytes(range(256)) * 4, FileKind.UNKNOWN),
    ],
    ids=lambda value: value.value if isinstance(value, FileKind) else "",
)
def test_a_file_is_identified_by_its_content(data: bytes, kind: FileKind) -> None:
    assert identify(data) is kind


@pytest.mark.parametrize(
    "data",
    [
        b"\x7fELF\x02\x01\x01" + bytes(57),
        b"MZ\x90\x00" + bytes(60),
        b"\xcf\xfa\xed\xfe" + bytes(28),
        b"#!/bin/sh\nrm -rf ~\n",
        samples.plain_zip({"AndroidManifest.xml": b"x", "classes.dex": b"dex"}),
    ],
    ids=["elf", "pe", "macho", "script", "apk"],
)
def test_programs_are_refused_whatever_they_are_called(data: bytes) -> None:
    result = sanitize(data, claimed_mime="image/jpeg", claimed_name="foto.jpg")

    assert result.verdict is Verdict.REFUSED and result.reason is Reason.EXECUTABLE
    assert result.clean is None
    assert "Program atau skrip tidak diterima" in result.reporter_text(Lang.ID)


@pytest.mark.parametrize(
    "data",
    [
        samples.plain_zip({"foto1.jpg": samples.phone_jpeg()}),
        b"Rar!\x1a\x07\x01\x00" + bytes(16),
        b"7z\xbc\xaf\x27\x1c" + bytes(26),
        gzip.compress(b"hello"),
        tar_file(),
    ],
    ids=["zip", "rar", "7z", "gzip", "tar"],
)
def test_archives_are_refused_with_a_request_for_the_files_themselves(data: bytes) -> None:
    result = sanitize(data, claimed_name="bukti.zip")

    assert result.verdict is Verdict.REFUSED and result.reason is Reason.ARCHIVE
    text = result.reporter_text(Lang.ID)
    assert "tidak dapat diperiksa" in text and "kirim file-file di dalamnya" in text


def test_a_file_over_the_telegram_download_limit_is_refused() -> None:
    result = sanitize(bytes(TELEGRAM_DOWNLOAD_LIMIT + 1))

    assert result.verdict is Verdict.REFUSED and result.reason is Reason.TOO_BIG
    assert "lebih besar dari 20 MB" in result.reporter_text(Lang.ID)


def test_the_size_limit_is_the_callers(monkeypatch: pytest.MonkeyPatch) -> None:
    result = sanitize(samples.phone_jpeg(), limit=1024)

    assert result.verdict is Verdict.REFUSED and result.reason is Reason.TOO_BIG


def test_an_empty_file_is_refused() -> None:
    result = sanitize(b"")

    assert result.verdict is Verdict.REFUSED and result.reason is Reason.EMPTY


def test_a_pdf_dressed_as_a_photo_is_refused_as_not_what_it_claims() -> None:
    result = sanitize(samples.pdf_with_metadata(), claimed_name="foto.jpg")

    assert result.verdict is Verdict.REFUSED and result.reason is Reason.TYPE_MISMATCH
    assert "tertulis JPG, isinya PDF" in result.reporter_text(Lang.ID)


def test_a_mime_type_of_another_family_is_refused_too() -> None:
    result = sanitize(samples.docx_with_history(), claimed_mime="audio/ogg")

    assert result.verdict is Verdict.REFUSED and result.reason is Reason.TYPE_MISMATCH


def test_a_png_named_jpg_is_cleaned_by_its_content_with_a_note() -> None:
    result = sanitize(samples.png_with_text(), claimed_name="screenshot.jpg")

    assert result.verdict is Verdict.CLEANED and result.kind is FileKind.PNG
    assert result.extension == "png"
    assert "isi file adalah PNG, bukan JPG" in result.reporter_text(Lang.ID)


def test_an_office_file_sent_as_application_zip_is_an_office_file() -> None:
    result = sanitize(samples.docx_with_history(), claimed_mime="application/zip")

    assert result.verdict is Verdict.CLEANED and result.kind is FileKind.DOCX
    assert result.claimed is None


def test_a_generic_claim_is_no_claim() -> None:
    result = sanitize(samples.pdf_with_metadata(), claimed_mime="application/octet-stream")

    assert result.verdict is Verdict.CLEANED


def test_plain_text_passes_as_it_is_with_nothing_to_remove() -> None:
    note = b"Catatan: uang diserahkan pukul 10.00\n"

    result = sanitize(note, claimed_name="catatan.txt")

    assert result.verdict is Verdict.CLEANED and result.clean == note
    assert result.removed == ()
    assert "tidak ada data tersembunyi" in result.reporter_text(Lang.ID)
    assert result.officer_note(Lang.ID) == "tanpa metadata"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<!DOCTYPE html><html><img src='http://x'></html>", Reason.MARKUP),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), Reason.OLD_OFFICE),
        (bytes(range(256)) * 4, Reason.UNKNOWN_TYPE),
        (b"{\\rtf1\\ansi{\\info{\\author Budi}}}", Reason.NO_CLEANER),
    ],
    ids=["html", "doc", "unknown", "rtf"],
)
def test_what_cannot_be_cleaned_is_kept_sealed_with_the_reason(data: bytes, reason: Reason) -> None:
    result = sanitize(data)

    assert result.verdict is Verdict.SEALED and result.reason is reason
    assert result.clean is None and result.original_sha256


def test_a_cleaner_crashing_on_hostile_bytes_keeps_the_file_sealed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(data: bytes) -> object:
        raise RecursionError("deeply nested objects")

    monkeypatch.setattr("bot.evidence.sanitizer.clean_pdf", explode)

    result = sanitize(samples.pdf_with_metadata())

    assert result.verdict is Verdict.SEALED and result.reason is Reason.CORRUPT


# -- the texts ----------------------------------------------------------------------------


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("text", ALL_TEXTS, ids=lambda t: t.en[:30])
def test_every_text_has_both_languages_with_the_same_placeholders(text: object) -> None:
    assert hasattr(text, "id") and hasattr(text, "en")
    assert text.id.strip() and text.en.strip()  # type: ignore[attr-defined]
    assert placeholders(text.id) == placeholders(text.en)  # type: ignore[attr-defined]


def test_every_removal_and_reason_and_kind_has_words() -> None:
    assert set(REMOVAL_NAMES) == set(Removal)
    assert set(REASONS) == set(Reason)
    assert set(FAMILY) == set(FileKind)


def test_the_sentence_lists_what_went_in_the_readers_language() -> None:
    removed = (Removal.GPS, Removal.DEVICE)

    assert removed_sentence(FileKind.JPEG, removed, Lang.ID) == (
        "🧹 Lokasi GPS dan data perangkat telah dihapus dari foto/gambar Anda sebelum "
        "diteruskan ke petugas."
    )
    assert removed_sentence(FileKind.JPEG, removed, Lang.EN) == (
        "🧹 Removed from your picture before it was passed to the officers: the GPS location "
        "and the device data."
    )
