"""PDF and Office evidence reaches officers without its author, history or hidden files."""

from __future__ import annotations

import io
import posixpath
import zipfile

import pikepdf
import pytest
from lxml import etree

from bot.evidence import sanitize
from conversations.i18n import Lang
from conversations.sanitizing import FileKind, Reason, Removal, Verdict
from tests.support import evidence_samples as samples

pytestmark = pytest.mark.unit

PDF_MARKERS = (
    samples.PDF_AUTHOR,
    samples.PDF_CREATOR,
    "Producer-Marker",
    samples.PDF_XMP_CREATOR,
    samples.PDF_JS,
    samples.PDF_ANNOT_AUTHOR,
    "ATTACH-MARKER",
    "20230102030405",
)


# -- PDF --------------------------------------------------------------------------------


def test_a_pdf_loses_author_xmp_attachment_script_and_annotation_author() -> None:
    original = samples.pdf_with_metadata()
    assert all(m.encode() in original for m in PDF_MARKERS)

    result = sanitize(original, claimed_mime="application/pdf", claimed_name="laporan.pdf")

    assert result.verdict is Verdict.CLEANED and result.kind is FileKind.PDF
    assert result.clean is not None
    expanded = samples.pdf_expanded(result.clean)
    for marker in PDF_MARKERS:
        assert marker.encode() not in result.clean, marker
        assert marker.encode() not in expanded, marker
    with pikepdf.open(io.BytesIO(result.clean)) as pdf:
        assert len(pdf.pages) == 1
        assert "/Info" not in pdf.trailer or not dict(pdf.docinfo)
        assert "/Metadata" not in pdf.Root and "/OpenAction" not in pdf.Root
        assert not pdf.attachments
        annotation = pdf.pages[0].Annots[0]
        assert "/T" not in annotation and "/M" not in annotation
        assert str(annotation.Contents) == "catatan"  # the note itself stays
    assert samples.PDF_TEXT.encode() in expanded  # the page still says what it said
    assert {Removal.AUTHOR, Removal.SCRIPTS, Removal.EMBEDDED_FILES} <= set(result.removed)
    assert {Removal.DOCUMENT_METADATA, Removal.COMMENT_AUTHORS} <= set(result.removed)


def test_the_clean_pdf_does_not_carry_the_original_document_id() -> None:
    original = samples.pdf_with_metadata()
    with pikepdf.open(io.BytesIO(original)) as pdf:
        first_id = bytes(pdf.trailer.ID[0])

    result = sanitize(original)

    assert result.clean is not None
    with pikepdf.open(io.BytesIO(result.clean)) as pdf:
        assert bytes(pdf.trailer.ID[0]) != first_id


def test_a_password_protected_pdf_is_refused_with_the_reason() -> None:
    locked = samples.pdf_with_metadata(encryption=pikepdf.Encryption(user="rahasia", owner="o"))

    result = sanitize(locked, claimed_mime="application/pdf")

    assert result.verdict is Verdict.REFUSED and result.reason is Reason.ENCRYPTED
    assert result.clean is None
    assert "kata sandi" in result.reporter_text(Lang.ID)
    assert "password" in result.reporter_text(Lang.EN)


def test_a_pdf_with_only_an_owner_password_opens_and_comes_out_unencrypted() -> None:
    restricted = samples.pdf_with_metadata(encryption=pikepdf.Encryption(user="", owner="o"))

    result = sanitize(restricted)

    assert result.verdict is Verdict.CLEANED and result.clean is not None
    with pikepdf.open(io.BytesIO(result.clean)) as pdf:
        assert not pdf.is_encrypted
    assert samples.PDF_AUTHOR.encode() not in samples.pdf_expanded(result.clean)


@pytest.mark.parametrize(
    "broken",
    [b"%PDF-1.7\n" + b"\x00garbage" * 50, b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog"],
    ids=["garbage", "cut-short"],
)
def test_a_corrupt_pdf_is_kept_sealed_as_could_not_be_opened(broken: bytes) -> None:
    result = sanitize(broken)

    assert result.verdict is Verdict.SEALED and result.reason is Reason.CORRUPT
    assert result.officer_note(Lang.ID).endswith("tidak dapat dibuka")


# -- Office -----------------------------------------------------------------------------


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def assert_opens(data: bytes) -> dict[str, bytes]:
    """Every XML part parses, every internal relationship and override names a real part."""
    files = parts(data)
    for name, body in files.items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(body)
    for name, body in files.items():
        if not name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(name))
        for rel in etree.fromstring(body):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target")
            assert posixpath.normpath(posixpath.join(folder, target)) in files, (name, target)
    if "[Content_Types].xml" in files:
        for entry in etree.fromstring(files["[Content_Types].xml"]):
            if entry.get("PartName"):
                assert entry.get("PartName").lstrip("/") in files, entry.get("PartName")
    return files


def test_a_docx_loses_author_tracked_change_authors_comments_template_and_thumbnail() -> None:
    original = samples.docx_with_history()
    assert all(m.encode() in b"".join(parts(original).values()) for m in samples.DOCX_MARKERS)

    result = sanitize(original, claimed_name="laporan.docx")

    assert result.verdict is Verdict.CLEANED and result.kind is FileKind.DOCX
    assert result.clean is not None
    files = assert_opens(result.clean)
    everything = b"".join(files.values())
    for marker in samples.DOCX_MARKERS:
        assert marker.encode() not in everything, marker
    assert b"zip-comment-marker" not in result.clean
    assert {"docProps/custom.xml", "docProps/thumbnail.jpeg", "word/people.xml"}.isdisjoint(files)
    # The text stays, tracked changes stay as changes (only who and when go).
    document = files["word/document.xml"]
    assert samples.DOCX_TEXT.encode() in document and b"<w:ins" in document
    # Prefixes kept as written: mc:Ignorable still names a declared prefix.
    assert b'xmlns:w14="' in document and b'mc:Ignorable="w14"' in document
    # The photo inside was cleaned too.
    assert samples.CAMERA_SERIAL.encode() not in files["word/media/image1.jpeg"]
    with zipfile.ZipFile(io.BytesIO(result.clean)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert {Removal.AUTHOR, Removal.REVISION_AUTHORS, Removal.COMMENT_AUTHORS} <= set(
        result.removed
    )
    assert {Removal.THUMBNAIL, Removal.DOCUMENT_PROPERTIES, Removal.GPS} <= set(result.removed)


def test_an_xlsx_loses_its_comment_author_and_the_folder_path() -> None:
    result = sanitize(samples.xlsx_with_comment())

    assert result.verdict is Verdict.CLEANED and result.kind is FileKind.XLSX
    assert result.clean is not None
    everything = b"".join(assert_opens(result.clean).values())
    for marker in (samples.EXCEL_AUTHOR, "Excel-Path-Marker", samples.DOCX_CORE_AUTHOR):
        assert marker.encode() not in everything, marker
    assert b"Nominal" in everything


def test_a_pptx_loses_its_comment_authors() -> None:
    result = sanitize(samples.pptx_with_comment_author())

    assert result.verdict is Verdict.CLEANED and result.kind is FileKind.PPTX
    assert result.clean is not None
    everything = b"".join(assert_opens(result.clean).values())
    assert samples.PPT_AUTHOR.encode() not in everything and b"PAM" not in everything


def test_an_odt_loses_creator_commenter_editor_printer_and_thumbnail() -> None:
    original = samples.odt_with_history()

    result = sanitize(original, claimed_mime="application/vnd.oasis.opendocument.text")

    assert result.verdict is Verdict.CLEANED and result.kind is FileKind.ODT
    assert result.clean is not None
    files = assert_opens(result.clean)
    everything = b"".join(files.values())
    markers = (samples.ODT_CREATOR, samples.ODT_COMMENTER, samples.ODT_EDITOR, samples.ODT_PRINTER)
    for marker in (*markers, "Thumb-PNG-Marker", "2023-01-02T03:04:05"):
        assert marker.encode() not in everything, marker
    assert b"Thumbnails/thumbnail.png" not in files["META-INF/manifest.xml"]
    assert samples.ODT_TEXT.encode() in files["content.xml"]
    with zipfile.ZipFile(io.BytesIO(result.clean)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED


def test_an_office_file_that_unpacks_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.evidence.office.MAX_UNPACKED", 4096)

    result = sanitize(samples.docx_with_history())

    assert result.verdict is Verdict.REFUSED and result.reason is Reason.ZIP_BOMB


def test_a_zip_bomb_disguised_as_a_docx_is_refused_without_unpacking_it() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (201 * 1024 * 1024))
    bomb = out.getvalue()
    assert len(bomb) < 1024 * 1024

    result = sanitize(bomb, claimed_name="laporan.docx")

    assert result.verdict is Verdict.REFUSED and result.reason is Reason.ZIP_BOMB


def test_a_broken_office_file_is_kept_sealed() -> None:
    docx = samples.docx_with_history()
    broken = docx[: len(docx) - 200]  # the central directory cut off

    result = sanitize(broken, claimed_name="laporan.docx")

    assert result.verdict in (Verdict.SEALED, Verdict.REFUSED)
    assert result.reason in (Reason.CORRUPT, Reason.ARCHIVE)
    assert result.clean is None
