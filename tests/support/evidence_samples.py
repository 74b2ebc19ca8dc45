# mypy: disable-error-code="no-untyped-call"
# (mutagen has no type hints)
"""Evidence files made here, each carrying known markers, for the sanitiser's tests.

Nothing is downloaded: pictures by Pillow (EXIF written by hand, so it has a thumbnail IFD as
phones write it), PDFs by pikepdf, Office files by zipfile, audio frames and Ogg pages by hand
with mutagen's page writer, videos by ffmpeg where it is installed.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import wave
import zipfile
from pathlib import Path

import pikepdf
from mutagen.flac import FLAC, Picture, VCFLACDict
from mutagen.id3 import ID3, TIT2, TPE1, TXXX
from mutagen.ogg import OggPage
from PIL import Image, ImageCms, ImageDraw
from PIL.PngImagePlugin import PngInfo

# Markers: each one must be gone from every clean copy.
CAMERA_MAKE = "AcmeCam"
CAMERA_MODEL = "ZX-Secret-9"
CAMERA_SERIAL = "SN-4242-XYZ"
SOFTWARE = "SecretSoft 1.0"
TAKEN_AT = "2024:05:06 07:08:09"
THUMBNAIL_MARKER = "THUMB-MARKER-77"
XMP_MARKER = "XMP-Author-Marker"
IPTC_MARKER = "IPTC-Byline-Marker"
PNG_AUTHOR = "Budi Santoso PNG-Author"
PNG_COMMENT = "PNG-Comment-Marker"
JPEG_MARKERS = (CAMERA_MAKE, CAMERA_MODEL, CAMERA_SERIAL, SOFTWARE, TAKEN_AT, THUMBNAIL_MARKER)
GPS_LATITUDE = ((10, 1), (9, 1), (8, 1))  # 10°9'8"S, Kupang-ish

PDF_AUTHOR = "Pdf-Author-Marker"
PDF_CREATOR = "Creator-PC-Marker"
PDF_XMP_CREATOR = "Pdf-XMP-Creator-Marker"
PDF_JS = "JS-MARKER-alert"
PDF_ATTACHMENT = b"secret attachment body ATTACH-MARKER"
PDF_ANNOT_AUTHOR = "Annot-Author-Marker"
PDF_TEXT = "KUITANSI-CONTENT"

DOCX_CORE_AUTHOR = "Core-Author-Marker"
DOCX_EDITOR = "Last-Editor-Marker"
DOCX_COMPANY = "Company-Marker"
DOCX_CUSTOM = "Custom-Property-Marker"
DOCX_TRACKED_AUTHOR = "Tracked-Author-Marker"
DOCX_COMMENT_AUTHOR = "Comment-Author-Marker"
DOCX_PEOPLE = "people-email-marker@example.org"
DOCX_TEMPLATE = "Budi-Template-Marker"
DOCX_TEXT = "Isi dokumen tetap ada"
DOCX_MARKERS = (
    DOCX_CORE_AUTHOR,
    DOCX_EDITOR,
    DOCX_COMPANY,
    DOCX_CUSTOM,
    DOCX_TRACKED_AUTHOR,
    DOCX_COMMENT_AUTHOR,
    DOCX_PEOPLE,
    DOCX_TEMPLATE,
    "2023-01-02T03:04:05Z",
    "00A1B2C3",  # a revision session id
)

TAG_TITLE = "Title-Marker"
TAG_ARTIST = "Artist-Marker"
TAG_DEVICE = "Device-Marker-Phone"


# -- pictures ---------------------------------------------------------------------------


def picture(size: tuple[int, int] = (64, 48)) -> Image.Image:
    """Not one colour, so that turning it can be seen: red left half, blue right half."""
    image = Image.new("RGB", size, "red")
    ImageDraw.Draw(image).rectangle((size[0] // 2, 0, size[0], size[1]), fill="blue")
    return image


def _ifd(entries: list[tuple[int, int, object]], start: int, next_ifd: int) -> bytes:
    """One little-endian TIFF IFD at `start`, its long values placed right after it."""
    data = b""
    table = b""
    data_start = start + 2 + 12 * len(entries) + 4
    for tag, kind, value in sorted(entries, key=lambda e: e[0]):
        if kind == 2:
            raw = str(value).encode() + b"\x00"
            count = len(raw)
        elif kind == 3:
            raw, count = struct.pack("<H", value), 1
        elif kind == 4:
            raw, count = struct.pack("<I", value), 1
        elif kind == 5:
            pairs = value if isinstance(value, tuple) else ()
            raw = b"".join(struct.pack("<II", n, d) for n, d in pairs)
            count = len(pairs)
        else:  # 7: undefined bytes
            raw = bytes(value) if isinstance(value, bytes) else b""
            count = len(raw)
        if len(raw) <= 4:
            field = raw.ljust(4, b"\x00")
        else:
            field = struct.pack("<I", data_start + len(data))
            data += raw + (b"\x00" if len(raw) % 2 else b"")
        table += struct.pack("<HHI", tag, kind, count) + field
    return struct.pack("<H", len(entries)) + table + struct.pack("<I", next_ifd) + data


def _ifd_size(entries: list[tuple[int, int, object]]) -> int:
    return len(_ifd(entries, 0, 0))


def exif_block(*, orientation: int = 1, thumbnail: bytes | None = None) -> bytes:
    """EXIF as a phone writes it: camera, serial, time, GPS, maker note and a thumbnail."""
    exif_ifd: list[tuple[int, int, object]] = [
        (0x9003, 2, TAKEN_AT),
        (0xA431, 2, CAMERA_SERIAL),
        (0x927C, 7, b"MAKERNOTE:" + CAMERA_SERIAL.encode()),
    ]
    gps_ifd: list[tuple[int, int, object]] = [
        (0x0001, 2, "S"),
        (0x0002, 5, GPS_LATITUDE),
        (0x0003, 2, "E"),
        (0x0004, 5, ((123, 1), (35, 1), (1, 1))),
    ]
    ifd0: list[tuple[int, int, object]] = [
        (0x010F, 2, CAMERA_MAKE),
        (0x0110, 2, CAMERA_MODEL),
        (0x0112, 3, orientation),
        (0x0131, 2, SOFTWARE),
        (0x0132, 2, TAKEN_AT),
        (0x8769, 4, 0),
        (0x8825, 4, 0),
    ]
    at0 = 8
    at_exif = at0 + _ifd_size(ifd0)
    at_gps = at_exif + _ifd_size(exif_ifd)
    at_ifd1 = at_gps + _ifd_size(gps_ifd)
    ifd0 = [e for e in ifd0 if e[0] not in (0x8769, 0x8825)]
    ifd0 += [(0x8769, 4, at_exif), (0x8825, 4, at_gps)]
    ifd1: list[tuple[int, int, object]] = []
    if thumbnail is not None:
        ifd1 = [(0x0103, 3, 6), (0x0201, 4, 0), (0x0202, 4, len(thumbnail))]
        at_thumb = at_ifd1 + _ifd_size(ifd1)
        ifd1 = [(0x0103, 3, 6), (0x0201, 4, at_thumb), (0x0202, 4, len(thumbnail))]
    tiff = b"II*\x00" + struct.pack("<I", at0)
    tiff += _ifd(ifd0, at0, at_ifd1 if thumbnail is not None else 0)
    tiff += _ifd(exif_ifd, at_exif, 0)
    tiff += _ifd(gps_ifd, at_gps, 0)
    if thumbnail is not None:
        tiff += _ifd(ifd1, at_ifd1, 0) + thumbnail
    return b"Exif\x00\x00" + tiff


def thumbnail_jpeg() -> bytes:
    out = io.BytesIO()
    picture((16, 12)).save(out, "JPEG", comment=THUMBNAIL_MARKER.encode())
    return out.getvalue()


def _with_iptc(jpeg: bytes) -> bytes:
    """An APP13 Photoshop/IPTC segment (by-line) right after the start marker."""
    record = b"\x1c\x02\x50" + struct.pack(">H", len(IPTC_MARKER)) + IPTC_MARKER.encode()
    block = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record
    body = b"Photoshop 3.0\x00" + block
    return jpeg[:2] + b"\xff\xed" + struct.pack(">H", len(body) + 2) + body + jpeg[2:]


def phone_jpeg(*, orientation: int = 1, size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG as a phone sends it "as a file": EXIF with GPS, serial, thumbnail; XMP; IPTC."""
    out = io.BytesIO()
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-'
        'rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="10,9.1S"><dc:creator>'
        f"{XMP_MARKER}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    picture(size).save(
        out,
        "JPEG",
        quality=90,
        exif=exif_block(orientation=orientation, thumbnail=thumbnail_jpeg()),
        xmp=xmp.encode(),
        icc_profile=icc,
        comment=b"JPEG-COM-Marker",
    )
    return _with_iptc(out.getvalue())


def png_with_text() -> bytes:
    info = PngInfo()
    info.add_text("Author", PNG_AUTHOR)
    info.add_text("Comment", PNG_COMMENT)
    info.add_itxt("Description", "iTXt-Marker")
    out = io.BytesIO()
    exif = exif_block()[6:]  # PNG's eXIf chunk holds the TIFF part only
    picture().save(out, "PNG", pnginfo=info, exif=exif)
    return out.getvalue()


def webp_with_exif(*, animated: bool = False) -> bytes:
    out = io.BytesIO()
    exif = exif_block()
    if animated:
        frames = [picture(), picture().transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
        frames[0].save(
            out, "WEBP", save_all=True, append_images=frames[1:], duration=120, exif=exif
        )
    else:
        picture().save(out, "WEBP", exif=exif, xmp=f"<x>{XMP_MARKER}</x>".encode())
    return out.getvalue()


def heic_with_exif() -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    picture().save(out, format="HEIF", exif=exif_block(), quality=80)
    return out.getvalue()


# -- PDF --------------------------------------------------------------------------------


def pdf_with_metadata(*, encryption: pikepdf.Encryption | None = None, pages: int = 1) -> bytes:
    """Author, creator, dates, XMP, an attachment, JavaScript on opening, an annotation's author."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont="/Helvetica"
        )
    )
    for _ in range(pages):
        page = pdf.add_blank_page(page_size=(300, 200))
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        content = f"BT /F1 12 Tf 20 100 Td ({PDF_TEXT}) Tj ET".encode()
        page.obj.Contents = pdf.make_stream(content)
        annotation = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Text,
            Rect=[10, 10, 30, 30],
            Contents=pikepdf.String("catatan"),
            T=pikepdf.String(PDF_ANNOT_AUTHOR),
            M=pikepdf.String("D:20230102030405Z"),
        )
        page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annotation)]))
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:creator"] = [PDF_XMP_CREATOR]
    pdf.docinfo["/Author"] = PDF_AUTHOR
    pdf.docinfo["/Creator"] = PDF_CREATOR
    pdf.docinfo["/Producer"] = "Producer-Marker"
    pdf.docinfo["/CreationDate"] = "D:20230102030405Z"
    pdf.attachments["bukti.txt"] = pikepdf.AttachedFileSpec(pdf, PDF_ATTACHMENT)
    pdf.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.JavaScript, JS=pikepdf.String(f"app.alert('{PDF_JS}')")
    )
    out = io.BytesIO()
    pdf.save(out, encryption=encryption or False, compress_streams=False)
    return out.getvalue()


def pdf_expanded(data: bytes) -> bytes:
    """A PDF with every stream decompressed, so a byte search sees what a reader would."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(
            out,
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.all,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
        )
    return out.getvalue()


# -- Office -----------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _core() -> str:
    return (
        XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-'
        f'instance"><dc:creator>{DOCX_CORE_AUTHOR}</dc:creator><cp:lastModifiedBy>{DOCX_EDITOR}'
        '</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">2023-01-02T03:04:05Z'
        "</dcterms:created><dc:title>Judul Rahasia</dc:title></cp:coreProperties>"
    )


def _app() -> str:
    return (
        XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'extended-properties"><Company>{DOCX_COMPANY}</Company><TotalTime>42</TotalTime>'
        "<Application>Microsoft Office Word</Application></Properties>"
    )


def _custom() -> str:
    return (
        XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
        f'name="Owner"><vt:lpwstr>{DOCX_CUSTOM}</vt:lpwstr></property></Properties>'
    )


def _package_rels(extra: str = "") -> str:
    return (
        XML_HEAD + f'<Relationships xmlns="{PKG_REL}">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="{main}"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/extended-properties" Target="docProps/app.xml"/>'
        '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/custom-properties" Target="docProps/custom.xml"/>'
        '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/>'
        f"{extra}</Relationships>"
    )


def _content_types(main: str, main_type: str, extra: str = "") -> str:
    return (
        XML_HEAD + f'<Types xmlns="{CT}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="jpeg" ContentType="image/jpeg"/>'
        f'<Override PartName="/{main}" ContentType="{main_type}"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.extended-properties+xml"/>'
        '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.custom-properties+xml"/>{extra}</Types>'
    )


def _zip(parts: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            info = zipfile.ZipInfo(name, (2023, 1, 2, 3, 4, 6))
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(info, body.encode() if isinstance(body, str) else body)
        archive.comment = b"zip-comment-marker"
    return out.getvalue()


def docx_with_history() -> bytes:
    """A DOCX with an author, a tracked change, a comment, a template path and a photo."""
    document = (
        XML_HEAD + f'<w:document xmlns:w="{W}" xmlns:r="{REL}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14">'
        '<w:body><w:p w:rsidR="00A1B2C3" w14:paraId="1A2B3C4D"><w:r><w:t>'
        f"{DOCX_TEXT}</w:t></w:r>"
        f'<w:ins w:id="1" w:author="{DOCX_TRACKED_AUTHOR}" w:date="2023-01-02T03:04:05Z">'
        "<w:r><w:t> tambahan</w:t></w:r></w:ins>"
        f'<w:del w:id="2" w:author="{DOCX_TRACKED_AUTHOR}" w:date="2023-01-02T03:04:05Z">'
        "<w:r><w:delText> hapus</w:delText></w:r></w:del>"
        '<w:commentRangeStart w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
        "</w:p></w:body></w:document>"
    )
    comments = (
        XML_HEAD + f'<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="'
        f'{DOCX_COMMENT_AUTHOR}" w:date="2023-01-02T03:04:05Z" w:initials="CAM"><w:p><w:r>'
        "<w:t>komentar</w:t></w:r></w:p></w:comment></w:comments>"
    )
    people = (
        XML_HEAD + '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/'
        f'wordml"><w15:person w15:author="{DOCX_COMMENT_AUTHOR}"><w15:presenceInfo '
        f'w15:providerId="AD" w15:userId="{DOCX_PEOPLE}"/></w15:person></w15:people>'
    )
    settings = (
        XML_HEAD + f'<w:settings xmlns:w="{W}" xmlns:r="{REL}"><w:attachedTemplate r:id="rId1"/>'
        '<w:rsids><w:rsidRoot w:val="00A1B2C3"/><w:rsid w:val="00A1B2C3"/></w:rsids>'
        "</w:settings>"
    )
    document_rels = (
        XML_HEAD + f'<Relationships xmlns="{PKG_REL}">'
        f'<Relationship Id="rId1" Type="{REL}/comments" Target="comments.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2011/relationships/'
        'people" Target="people.xml"/>'
        f'<Relationship Id="rId3" Type="{REL}/settings" Target="settings.xml"/>'
        f'<Relationship Id="rId4" Type="{REL}/image" Target="media/image1.jpeg"/>'
        "</Relationships>"
    )
    settings_rels = (
        XML_HEAD + f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
        f'Type="{REL}/attachedTemplate" Target="file:///C:/Users/{DOCX_TEMPLATE}/Normal.dotm" '
        'TargetMode="External"/></Relationships>'
    )
    main_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    extra_types = (
        '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.comments+xml"/>'
        '<Override PartName="/word/people.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.people+xml"/>'
        '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.settings+xml"/>'
    )
    return _zip(
        {
            "[Content_Types].xml": _content_types("word/document.xml", main_type, extra_types),
            "_rels/.rels": _package_rels().replace("{main}", "word/document.xml"),
            "docProps/core.xml": _core(),
            "docProps/app.xml": _app(),
            "docProps/custom.xml": _custom(),
            "docProps/thumbnail.jpeg": thumbnail_jpeg(),
            "word/document.xml": document,
            "word/comments.xml": comments,
            "word/people.xml": people,
            "word/settings.xml": settings,
            "word/_rels/document.xml.rels": document_rels,
            "word/_rels/settings.xml.rels": settings_rels,
            "word/media/image1.jpeg": phone_jpeg(),
        }
    )


EXCEL_AUTHOR = "Excel-Author-Marker"
EXCEL_PATH = "C:\\Users\\Excel-Path-Marker\\Documents\\"


def xlsx_with_comment() -> bytes:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    workbook = (
        XML_HEAD + f'<workbook xmlns="{main}" xmlns:r="{REL}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac" '
        'mc:Ignorable="x15ac"><mc:AlternateContent><mc:Choice Requires="x15">'
        f'<x15ac:absPath url="{EXCEL_PATH}"/></mc:Choice></mc:AlternateContent>'
        '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    sheet = (
        XML_HEAD + f'<worksheet xmlns="{main}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
        "<is><t>Nominal</t></is></c></row></sheetData></worksheet>"
    )
    comments = (
        XML_HEAD + f'<comments xmlns="{main}"><authors><author>{EXCEL_AUTHOR}</author></authors>'
        '<commentList><comment ref="A1" authorId="0"><text><t>cek</t></text></comment>'
        "</commentList></comments>"
    )
    rels = (
        XML_HEAD + f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
        f'Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    )
    main_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    return _zip(
        {
            "[Content_Types].xml": _content_types("xl/workbook.xml", main_type),
            "_rels/.rels": _package_rels().replace("{main}", "xl/workbook.xml"),
            "docProps/core.xml": _core(),
            "docProps/app.xml": _app(),
            "docProps/custom.xml": _custom(),
            "docProps/thumbnail.jpeg": thumbnail_jpeg(),
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": rels,
            "xl/worksheets/sheet1.xml": sheet,
            "xl/comments1.xml": comments,
        }
    )


PPT_AUTHOR = "Ppt-Author-Marker"


def pptx_with_comment_author() -> bytes:
    p = "http://schemas.openxmlformats.org/presentationml/2006/main"
    presentation = XML_HEAD + f'<p:presentation xmlns:p="{p}" xmlns:r="{REL}"/>'
    authors = (
        XML_HEAD + f'<p:cmAuthorLst xmlns:p="{p}"><p:cmAuthor id="0" name="{PPT_AUTHOR}" '
        'initials="PAM" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>'
    )
    main_type = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    return _zip(
        {
            "[Content_Types].xml": _content_types("ppt/presentation.xml", main_type),
            "_rels/.rels": _package_rels().replace("{main}", "ppt/presentation.xml"),
            "docProps/core.xml": _core(),
            "docProps/app.xml": _app(),
            "docProps/custom.xml": _custom(),
            "docProps/thumbnail.jpeg": thumbnail_jpeg(),
            "ppt/presentation.xml": presentation,
            "ppt/commentAuthors.xml": authors,
        }
    )


ODT_CREATOR = "Odt-Creator-Marker"
ODT_COMMENTER = "Odt-Commenter-Marker"
ODT_EDITOR = "Odt-Tracked-Editor-Marker"
ODT_PRINTER = "Printer-Room-301-Marker"
ODT_TEXT = "Isi ODT tetap ada"


def odt_with_history() -> bytes:
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    dc = "http://purl.org/dc/elements/1.1/"
    meta_ns = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
    config = "urn:oasis:names:tc:opendocument:xmlns:config:1.0"
    manifest_ns = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="{office}" '
        f'xmlns:meta="{meta_ns}" xmlns:dc="{dc}" office:version="1.2"><office:meta>'
        f"<meta:initial-creator>{ODT_CREATOR}</meta:initial-creator><dc:creator>{ODT_CREATOR}"
        "</dc:creator><meta:creation-date>2023-01-02T03:04:05</meta:creation-date>"
        "<meta:generator>LibreOffice/7.4</meta:generator></office:meta></office:document-meta>"
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}"'
        f' xmlns:text="{text}" xmlns:dc="{dc}" office:version="1.2"><office:body><office:text>'
        '<text:tracked-changes><text:changed-region text:id="c1"><text:insertion>'
        f"<office:change-info><dc:creator>{ODT_EDITOR}</dc:creator><dc:date>2023-01-02T03:04:05"
        "</dc:date></office:change-info></text:insertion></text:changed-region>"
        f"</text:tracked-changes><text:p>{ODT_TEXT}<office:annotation><dc:creator>"
        f"{ODT_COMMENTER}</dc:creator><dc:date>2023-01-02T03:04:05</dc:date><text:p>catatan"
        "</text:p></office:annotation></text:p></office:text></office:body>"
        "</office:document-content>"
    )
    settings = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-settings xmlns:office="'
        f'{office}" xmlns:config="{config}" office:version="1.2"><office:settings>'
        '<config:config-item-set config:name="ooo:configuration-settings"><config:config-item '
        f'config:name="PrinterName" config:type="string">{ODT_PRINTER}</config:config-item>'
        "</config:config-item-set></office:settings></office:document-settings>"
    )
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="'
        f'{manifest_ns}" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="Thumbnails/thumbnail.png" '
        'manifest:media-type="image/png"/></manifest:manifest>'
    )
    thumb = io.BytesIO()
    picture((16, 12)).save(thumb, "PNG", pnginfo=_png_text("Thumb-PNG-Marker"))
    return _zip(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "META-INF/manifest.xml": manifest,
            "meta.xml": meta,
            "content.xml": content,
            "settings.xml": settings,
            "Thumbnails/thumbnail.png": thumb.getvalue(),
        }
    )


def _png_text(value: str) -> PngInfo:
    info = PngInfo()
    info.add_text("Comment", value)
    return info


def plain_zip(names: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in names.items():
            archive.writestr(name, body)
    return out.getvalue()


# -- audio and video --------------------------------------------------------------------

MP3_FRAME_HEADER = b"\xff\xfb\x90\x64"  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz, no padding
MP3_FRAME_SIZE = 417


def mp3_with_tags(tmp: Path) -> bytes:
    """Silent MPEG frames with an ID3v2 tag (title, artist, device) and an ID3v1 tag."""
    path = tmp / "audio.mp3"
    frame = MP3_FRAME_HEADER + bytes(MP3_FRAME_SIZE - 4)
    path.write_bytes(frame * 40)
    tags = ID3()
    tags.add(TIT2(encoding=3, text=TAG_TITLE))
    tags.add(TPE1(encoding=3, text=TAG_ARTIST))
    tags.add(TXXX(encoding=3, desc="device", text=TAG_DEVICE))
    tags.save(str(path), v1=2)
    return path.read_bytes()


def ogg_opus_with_tags() -> bytes:
    """An Ogg Opus stream as WhatsApp's voice notes: header, tags (with markers), audio."""
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 1, 312, 48000, 0, 0)
    comments = [f"TITLE={TAG_TITLE}".encode(), f"ENCODER={TAG_DEVICE}".encode()]
    tags = b"OpusTags" + struct.pack("<I", 7) + b"libopus" + struct.pack("<I", len(comments))
    tags += b"".join(struct.pack("<I", len(c)) + c for c in comments)
    pages = []
    for sequence, (packet, position) in enumerate(
        [(head, 0), (tags, 0), (b"\xf8\xff\xfe", 960 * 25)]
    ):
        page = OggPage()
        page.serial, page.sequence, page.position = 0x5EC2E7, sequence, position
        page.first, page.last = sequence == 0, sequence == 2
        page.packets = [packet]
        pages.append(page.write())
    return b"".join(pages)


def flac_with_tags(tmp: Path) -> bytes:
    """A FLAC header (STREAMINFO) with Vorbis comments and a cover picture added by mutagen."""
    streaminfo = struct.pack(">HH", 4096, 4096) + b"\x00\x00\x0e" + b"\x00\x00\x0e"
    rate_channels_bits = (44100 << 44) | (0 << 41) | (15 << 36) | 44100
    streaminfo += rate_channels_bits.to_bytes(8, "big") + bytes(16)
    path = tmp / "audio.flac"
    path.write_bytes(
        b"fLaC"
        + b"\x80"
        + len(streaminfo).to_bytes(3, "big")
        + streaminfo
        + b"\xff\xf8"
        + bytes(64)
    )
    flac = FLAC(str(path))
    flac.add_tags()
    tags = flac.tags
    assert isinstance(tags, VCFLACDict)
    tags["TITLE"] = TAG_TITLE
    tags["ARTIST"] = TAG_ARTIST
    cover = Picture()
    cover.data = thumbnail_jpeg()
    cover.mime = "image/jpeg"
    flac.add_picture(cover)
    flac.save()
    return path.read_bytes()


def wav_with_info() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(bytes(1600))
    data = out.getvalue()
    name = TAG_TITLE.encode() + b"\x00"
    info = b"INFO" + b"INAM" + struct.pack("<I", len(name)) + name
    chunk = b"LIST" + struct.pack("<I", len(info)) + info
    body = data[12:] + chunk
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


def ffmpeg_available() -> bool:
    return shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None


def video_with_tags(tmp: Path, extension: str = "mp4") -> bytes:
    """One second of test picture and tone, with title, location, device and a time."""
    path = tmp / f"video.{extension}"
    subprocess.run(
        [
            "ffmpeg", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10",
            "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", "1", "-c:v", "mpeg4", "-c:a", "aac" if extension != "webm" else "libvorbis",
            *(["-c:v", "libvpx"] if extension == "webm" else []),
            "-metadata", f"title={TAG_TITLE}",
            "-metadata", "location=+10.1508-123.5836/",
            "-metadata", f"make={TAG_DEVICE}",
            "-metadata", "creation_time=2024-05-06T07:08:09Z",
            "-metadata:s:v", f"handler_name={TAG_ARTIST}",
            str(path),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return path.read_bytes()


def m4a_with_tags(tmp: Path) -> bytes:
    path = tmp / "voice.m4a"
    subprocess.run(
        [
            "ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", "1", "-c:a", "aac",
            "-metadata", f"title={TAG_TITLE}", "-metadata", f"artist={TAG_ARTIST}",
            "-metadata", "creation_time=2024-05-06T07:08:09Z", str(path),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return path.read_bytes()
