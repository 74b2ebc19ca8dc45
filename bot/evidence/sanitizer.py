"""One call for any evidence file: identify it by content, clean it, say what happened.

Pure bytes in, a `Sanitized` value out: no chat, no storage. The caller seals the original
(chain of custody) whatever the verdict but REFUSED, stores the clean copy when there is one,
and shows officers only the clean copy, or for a SEALED file only its kind, size and hash.
"""

from __future__ import annotations

import hashlib
import logging
import posixpath

from bot.evidence.images import clean_image
from bot.evidence.media import clean_media
from bot.evidence.office import ODF, clean_office
from bot.evidence.outcome import Cleaned, Declined, NotCleaned, Refusal
from bot.evidence.pdf import clean_pdf
from bot.evidence.sniff import identify
from conversations.sanitizing import (
    FAMILY,
    TELEGRAM_DOWNLOAD_LIMIT,
    Family,
    FileKind,
    Reason,
    Sanitized,
    Verdict,
)

log = logging.getLogger(__name__)

OFFICE = {FileKind.DOCX, FileKind.XLSX, FileKind.PPTX} | ODF
MIME_FAMILIES: tuple[tuple[str, Family], ...] = (
    ("image/svg", Family.DOCUMENT),
    ("image/", Family.IMAGE),
    ("audio/", Family.MEDIA),
    ("video/", Family.MEDIA),
    ("text/", Family.DOCUMENT),
    ("application/pdf", Family.DOCUMENT),
    ("application/msword", Family.DOCUMENT),
    ("application/rtf", Family.DOCUMENT),
    ("application/vnd.openxmlformats", Family.DOCUMENT),
    ("application/vnd.oasis.opendocument", Family.DOCUMENT),
    ("application/vnd.ms-", Family.DOCUMENT),
    ("application/vnd.android.package-archive", Family.EXECUTABLE),
    ("application/x-msdownload", Family.EXECUTABLE),
    ("application/x-executable", Family.EXECUTABLE),
    ("application/x-sh", Family.EXECUTABLE),
    ("application/ogg", Family.MEDIA),
    ("application/zip", Family.ARCHIVE),
    ("application/x-zip", Family.ARCHIVE),
    ("application/x-rar", Family.ARCHIVE),
    ("application/vnd.rar", Family.ARCHIVE),
    ("application/x-7z", Family.ARCHIVE),
    ("application/gzip", Family.ARCHIVE),
    ("application/x-tar", Family.ARCHIVE),
)
EXTENSION_FAMILIES: dict[str, Family] = {
    **dict.fromkeys(
        ("jpg", "jpeg", "png", "webp", "gif", "heic", "heif", "bmp", "tif", "tiff"), Family.IMAGE
    ),
    **dict.fromkeys(
        (
            "pdf",
            "doc",
            "docx",
            "xls",
            "xlsx",
            "ppt",
            "pptx",
            "odt",
            "ods",
            "odp",
            "rtf",
            "txt",
            "csv",
            "html",
            "htm",
            "svg",
            "xml",
        ),
        Family.DOCUMENT,
    ),
    **dict.fromkeys(
        (
            "mp3",
            "ogg",
            "oga",
            "opus",
            "flac",
            "wav",
            "amr",
            "m4a",
            "aac",
            "mp4",
            "m4v",
            "mov",
            "3gp",
            "webm",
            "mkv",
        ),
        Family.MEDIA,
    ),
    **dict.fromkeys(("zip", "rar", "7z", "gz", "tgz", "bz2", "xz", "tar", "zst"), Family.ARCHIVE),
    **dict.fromkeys(
        (
            "exe",
            "dll",
            "msi",
            "bat",
            "cmd",
            "com",
            "scr",
            "ps1",
            "sh",
            "apk",
            "jar",
            "elf",
            "bin",
            "app",
            "dmg",
            "vbs",
            "js",
        ),
        Family.EXECUTABLE,
    ),
}
GENERIC_MIMES = {"", "application/octet-stream", "binary/octet-stream", "application/unknown"}


def sanitize(
    data: bytes,
    *,
    claimed_mime: str | None = None,
    claimed_name: str | None = None,
    limit: int = TELEGRAM_DOWNLOAD_LIMIT,
) -> Sanitized:
    """Identify `data` by its bytes and clean it; never raises for a bad file."""
    digest = hashlib.sha256(data).hexdigest()
    limit_mb = limit // (1024 * 1024)

    def verdict(kind: FileKind, declined: Declined, claimed: str | None = None) -> Sanitized:
        refused = isinstance(declined, Refusal)
        return Sanitized(
            Verdict.REFUSED if refused else Verdict.SEALED,
            kind,
            len(data),
            digest,
            reason=declined.reason,
            claimed=claimed,
            limit_mb=limit_mb,
        )

    if not data:
        return verdict(FileKind.UNKNOWN, Refusal(Reason.EMPTY))
    if len(data) > limit:
        return verdict(FileKind.UNKNOWN, Refusal(Reason.TOO_BIG))
    kind = identify(data)
    family = FAMILY[kind]
    if family is Family.EXECUTABLE:
        return verdict(kind, Refusal(Reason.EXECUTABLE))
    if family is Family.ARCHIVE:
        return verdict(kind, Refusal(Reason.ARCHIVE))
    claimed, claimed_family = _claim(claimed_mime, claimed_name)
    mismatch = claimed_family is not None and claimed_family is not family
    office_as_zip = kind in OFFICE and claimed_family is Family.ARCHIVE
    if mismatch and not office_as_zip and kind is not FileKind.UNKNOWN:
        return verdict(kind, Refusal(Reason.TYPE_MISMATCH), claimed)
    try:
        cleaned = _clean(data, kind)
    except Declined as declined:
        return verdict(kind, declined)
    except Exception as error:  # a library tripping over hostile bytes: keep it, sealed
        log.warning("evidence cleaner failed on a %s file: %s", kind, type(error).__name__)
        return verdict(kind, NotCleaned(Reason.CORRUPT))
    if FAMILY[identify(cleaned.data)] is not family:
        log.warning("clean copy of a %s file is not of its family", kind)
        return verdict(kind, NotCleaned(Reason.CORRUPT))
    different = (
        claimed is not None
        and claimed_family is family
        and _claimed_kind(claimed) not in (None, kind.value)
    )
    return Sanitized(
        Verdict.CLEANED,
        kind,
        len(data),
        digest,
        clean=cleaned.data,
        clean_sha256=hashlib.sha256(cleaned.data).hexdigest(),
        extension=cleaned.extension,
        mime=cleaned.mime,
        removed=tuple(dict.fromkeys(cleaned.removed)),
        claimed=claimed if different else None,
        limit_mb=limit_mb,
    )


def _clean(data: bytes, kind: FileKind) -> Cleaned:
    family = FAMILY[kind]
    if family is Family.IMAGE:
        return clean_image(data, kind)
    if family is Family.MEDIA:
        return clean_media(data, kind)
    if kind is FileKind.PDF:
        return clean_pdf(data)
    if kind in OFFICE:
        body, mime, removed = clean_office(data, kind)
        return Cleaned(body, kind.value, mime, removed)
    if kind is FileKind.TEXT:
        return Cleaned(data, "txt", "text/plain", [])  # plain text hides nothing
    if kind is FileKind.OLE:
        raise NotCleaned(Reason.OLD_OFFICE)
    if kind is FileKind.MARKUP:
        raise NotCleaned(Reason.MARKUP)
    if kind is FileKind.RTF:
        raise NotCleaned(Reason.NO_CLEANER, "RTF")
    raise NotCleaned(Reason.UNKNOWN_TYPE)


def _claim(mime: str | None, name: str | None) -> tuple[str | None, Family | None]:
    """What the client claimed (the extension, else the MIME type) and its family."""
    mime = (mime or "").split(";")[0].strip().casefold()
    extension = posixpath.splitext((name or "").casefold())[1].lstrip(".")
    if extension in EXTENSION_FAMILIES:
        return extension.upper(), EXTENSION_FAMILIES[extension]
    if mime not in GENERIC_MIMES:
        family = next((f for prefix, f in MIME_FAMILIES if mime.startswith(prefix)), None)
        if family is not None:
            return mime, family
    return None, None


def _claimed_kind(claimed: str) -> str | None:
    """The file kind a claim names, when it names one we know ("JPG" -> "jpeg")."""
    if claimed.casefold() == "audio/mp4":
        return FileKind.M4A.value
    word = claimed.casefold().rsplit("/", 1)[-1]
    word = {
        "jpg": "jpeg",
        "heif": "heic",
        "oga": "ogg",
        "opus": "ogg",
        "mpeg": "mp3",
        "quicktime": "mov",
        "3gpp": "3gp",
        "x-matroska": "mkv",
        "m4v": "mp4",
    }.get(word, word)
    return word if word in {k.value for k in FileKind} else None
