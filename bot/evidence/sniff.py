"""Tell a file's kind from its bytes, never from its name or the MIME type the client claims.

A signature table of our own rather than puremagic or filetype: what decides here is past the
first bytes (which brand an ISO-BMFF `ftyp` box names, whether a ZIP is a DOCX, an ODT, an APK
or an archive, "#!AMR" before "#!" scripts), and both libraries guess Office files from the
first few kilobytes of the ZIP, which depends on the order a program wrote the entries in. The
ZIP's central directory, read with the standard library, is the reliable answer.
"""

from __future__ import annotations

import io
import zipfile

from conversations.sanitizing import FileKind

# (offset, signature, kind), checked in order: longer and more specific signatures first.
SIGNATURES: tuple[tuple[int, bytes, FileKind], ...] = (
    (0, b"\xff\xd8\xff", FileKind.JPEG),
    (0, b"\x89PNG\r\n\x1a\n", FileKind.PNG),
    (0, b"GIF87a", FileKind.GIF),
    (0, b"GIF89a", FileKind.GIF),
    (0, b"%PDF-", FileKind.PDF),
    (0, b"{\\rtf", FileKind.RTF),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", FileKind.OLE),
    (0, b"ID3", FileKind.MP3),
    (0, b"OggS", FileKind.OGG),
    (0, b"fLaC", FileKind.FLAC),
    (0, b"#!AMR", FileKind.AMR),  # before "#!": an AMR voice recording is not a script
    (0, b"\x1a\x45\xdf\xa3", FileKind.MKV),  # EBML; WebM is told apart by its DocType
    (0, b"Rar!\x1a\x07", FileKind.RAR),
    (0, b"7z\xbc\xaf\x27\x1c", FileKind.SEVEN_Z),
    (0, b"\x1f\x8b", FileKind.GZIP),
    (0, b"BZh", FileKind.BZIP2),
    (0, b"\xfd7zXZ\x00", FileKind.XZ),
    (0, b"\x28\xb5\x2f\xfd", FileKind.ZSTD),
    (0, b"MSCF", FileKind.CAB),
    (257, b"ustar", FileKind.TAR),
    (0, b"\x7fELF", FileKind.ELF),
    (0, b"MZ", FileKind.PE),
    (0, b"\xfe\xed\xfa\xce", FileKind.MACHO),
    (0, b"\xfe\xed\xfa\xcf", FileKind.MACHO),
    (0, b"\xce\xfa\xed\xfe", FileKind.MACHO),
    (0, b"\xcf\xfa\xed\xfe", FileKind.MACHO),
    (0, b"\xca\xfe\xba\xbe", FileKind.MACHO),  # universal binary (or a Java class: refused too)
    (0, b"#!", FileKind.SCRIPT),
)
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif"}
M4A_BRANDS = {b"M4A ", b"M4B ", b"M4P "}
MOV_BRANDS = {b"qt  "}
ODF_KINDS = {
    b"application/vnd.oasis.opendocument.text": FileKind.ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": FileKind.ODS,
    b"application/vnd.oasis.opendocument.presentation": FileKind.ODP,
}
OOXML_FOLDERS = (("word/", FileKind.DOCX), ("xl/", FileKind.XLSX), ("ppt/", FileKind.PPTX))
MARKUP_STARTS = (b"<?xml", b"<!doctype", b"<html", b"<svg", b"<head", b"<body", b"<script")


def identify(data: bytes) -> FileKind:
    """The kind of `data` by content; `UNKNOWN` when no signature fits."""
    head = data[:512]
    if head[:4] == b"RIFF" and len(head) >= 12:
        return {b"WEBP": FileKind.WEBP, b"WAVE": FileKind.WAV}.get(head[8:12], FileKind.UNKNOWN)
    if head[4:8] == b"ftyp":
        return _iso_bmff(head)
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _zip(data)
    for offset, signature, kind in SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            if kind is FileKind.MKV and b"webm" in data[:64]:
                return FileKind.WEBM
            return kind
    if _mpeg_audio_frame(head):
        return FileKind.MP3
    return _text(data)


def _iso_bmff(head: bytes) -> FileKind:
    """MP4, M4A, MOV, 3GP or HEIC: the major brand says, the compatible brands confirm."""
    size = int.from_bytes(head[:4], "big")
    brands = [head[8:12]] + [head[i : i + 4] for i in range(16, min(size, len(head)), 4)]
    major = brands[0]
    if major in HEIF_BRANDS:
        return FileKind.HEIC
    if major in M4A_BRANDS:
        return FileKind.M4A
    if major in MOV_BRANDS:
        return FileKind.MOV
    if major.startswith(b"3g"):
        return FileKind.THREE_GP
    return FileKind.MP4


def _zip(data: bytes) -> FileKind:
    """Office and OpenDocument files and Android apps are ZIPs; what is inside says which."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].strip()
                if mimetype in ODF_KINDS:
                    return ODF_KINDS[mimetype]
            if "AndroidManifest.xml" in names and any(n.endswith(".dex") for n in names):
                return FileKind.APK
            if "META-INF/MANIFEST.MF" in names and any(n.endswith(".class") for n in names):
                return FileKind.JAR
            if "[Content_Types].xml" in names:
                for folder, kind in OOXML_FOLDERS:
                    if any(n.startswith(folder) for n in names):
                        return kind
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        pass
    return FileKind.ZIP


def _mpeg_audio_frame(head: bytes) -> bool:
    """An MP3 without an ID3 tag starts with a frame header: 11 sync bits, layer III."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    layer = (head[1] >> 1) & 0x03
    bitrate = head[2] >> 4
    return layer == 0x01 and bitrate not in (0x00, 0x0F) and (head[2] >> 2) & 0x03 != 0x03


def _text(data: bytes) -> FileKind:
    """Plain UTF-8 text (notes, CSV) carries no hidden data; markup can fetch from the web."""
    sample = data[:65536]
    if b"\x00" in sample:
        return FileKind.UNKNOWN
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 4:  # a character cut at the sample's end is fine
            return FileKind.UNKNOWN
    start = sample.lstrip(b"\xef\xbb\xbf \t\r\n")[:16].lower()
    if start.startswith(MARKUP_STARTS):
        return FileKind.MARKUP
    return FileKind.TEXT
