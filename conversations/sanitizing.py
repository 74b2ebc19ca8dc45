"""What evidence sanitising can say: the file kinds, what was removed, why a file was not cleaned.

The byte work lives in `bot/evidence/` (it needs Pillow, pikepdf, mutagen, ffmpeg); this module
is only the vocabulary and its sentences, so that the reporter's reply, the officers' alert and
`/lihat` can all render a stored result without importing any of those libraries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from conversations.i18n import Lang, Text

TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # what a bot may download through getFile


class Family(StrEnum):
    """What a reader would call the file; a claimed type of another family is a mismatch."""

    IMAGE = "image"
    DOCUMENT = "document"  # PDF, Office, text
    MEDIA = "media"  # audio and video share containers (MP4/M4A, OGG), so one family
    ARCHIVE = "archive"
    EXECUTABLE = "executable"
    OTHER = "other"


class FileKind(StrEnum):
    """A file's type as its content shows it (magic bytes), never as its name claims."""

    JPEG = "jpeg"
    PNG = "png"
    WEBP = "webp"
    GIF = "gif"
    HEIC = "heic"
    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"
    PPTX = "pptx"
    ODT = "odt"
    ODS = "ods"
    ODP = "odp"
    OLE = "ole"  # .doc/.xls/.ppt of Office 97-2003 (and .msi)
    RTF = "rtf"
    TEXT = "text"
    MARKUP = "markup"  # HTML, SVG, XML
    MP3 = "mp3"
    OGG = "ogg"  # Vorbis or Opus (WhatsApp voice notes)
    FLAC = "flac"
    WAV = "wav"
    AMR = "amr"
    M4A = "m4a"
    MP4 = "mp4"
    MOV = "mov"
    THREE_GP = "3gp"
    WEBM = "webm"
    MKV = "mkv"
    ZIP = "zip"
    RAR = "rar"
    SEVEN_Z = "7z"
    GZIP = "gzip"
    BZIP2 = "bzip2"
    XZ = "xz"
    ZSTD = "zstd"
    TAR = "tar"
    CAB = "cab"
    ELF = "elf"
    PE = "pe"
    MACHO = "macho"
    SCRIPT = "script"
    APK = "apk"
    JAR = "jar"
    UNKNOWN = "unknown"


FAMILY: dict[FileKind, Family] = {
    **dict.fromkeys(
        (FileKind.JPEG, FileKind.PNG, FileKind.WEBP, FileKind.GIF, FileKind.HEIC), Family.IMAGE
    ),
    **dict.fromkeys(
        (
            FileKind.PDF,
            FileKind.DOCX,
            FileKind.XLSX,
            FileKind.PPTX,
            FileKind.ODT,
            FileKind.ODS,
            FileKind.ODP,
            FileKind.OLE,
            FileKind.RTF,
            FileKind.TEXT,
            FileKind.MARKUP,
        ),
        Family.DOCUMENT,
    ),
    **dict.fromkeys(
        (
            FileKind.MP3,
            FileKind.OGG,
            FileKind.FLAC,
            FileKind.WAV,
            FileKind.AMR,
            FileKind.M4A,
            FileKind.MP4,
            FileKind.MOV,
            FileKind.THREE_GP,
            FileKind.WEBM,
            FileKind.MKV,
        ),
        Family.MEDIA,
    ),
    **dict.fromkeys(
        (
            FileKind.ZIP,
            FileKind.RAR,
            FileKind.SEVEN_Z,
            FileKind.GZIP,
            FileKind.BZIP2,
            FileKind.XZ,
            FileKind.ZSTD,
            FileKind.TAR,
            FileKind.CAB,
        ),
        Family.ARCHIVE,
    ),
    **dict.fromkeys(
        (
            FileKind.ELF,
            FileKind.PE,
            FileKind.MACHO,
            FileKind.SCRIPT,
            FileKind.APK,
            FileKind.JAR,
        ),
        Family.EXECUTABLE,
    ),
    FileKind.UNKNOWN: Family.OTHER,
}


class Verdict(StrEnum):
    """CLEANED: officers get the clean copy. SEALED: kept sealed only, officers see type, size
    and hash. REFUSED: nothing is stored; the reporter is told why."""

    CLEANED = "cleaned"
    SEALED = "sealed"
    REFUSED = "refused"


class Removal(StrEnum):
    """One kind of hidden data found and taken out, in the words a reporter understands."""

    GPS = "gps"
    DEVICE = "device"  # camera/phone make, model, serial numbers, lens, maker notes, software
    TIMESTAMPS = "timestamps"  # when it was taken, created, edited
    THUMBNAIL = "thumbnail"  # the embedded preview, which may show the uncropped picture
    IMAGE_METADATA = "image_metadata"  # XMP, IPTC, other EXIF, text chunks, comments
    COLOR_PROFILE = "color_profile"  # the ICC profile (its texts name devices); colours kept
    AUTHOR = "author"  # author, last editor, company, computer, template path
    DOCUMENT_PROPERTIES = "document_properties"  # title, subject, keywords, app, custom ones
    DOCUMENT_METADATA = "document_metadata"  # XMP of a PDF, document id
    EMBEDDED_FILES = "embedded_files"
    SCRIPTS = "scripts"  # JavaScript, actions run on opening
    COMMENT_AUTHORS = "comment_authors"  # names and dates on comments and annotations
    REVISION_AUTHORS = "revision_authors"  # names and dates on tracked changes, revision ids
    MEDIA_TAGS = "media_tags"  # title, artist, recording device, location, cover art
    EXTRA_STREAMS = "extra_streams"  # data tracks of a video (location tracks, subtitles)


class Reason(StrEnum):
    """Why a file was kept sealed without a clean copy, or refused."""

    # kept sealed (SEALED)
    CORRUPT = "corrupt"
    NO_CLEANER = "no_cleaner"  # e.g. video when ffmpeg is not installed
    OLD_OFFICE = "old_office"
    UNKNOWN_TYPE = "unknown_type"
    MARKUP = "markup"
    TOO_MANY_PIXELS = "too_many_pixels"
    # refused (REFUSED)
    TOO_BIG = "too_big"
    EMPTY = "empty"
    EXECUTABLE = "executable"
    ARCHIVE = "archive"
    ZIP_BOMB = "zip_bomb"
    ENCRYPTED = "encrypted"
    TYPE_MISMATCH = "type_mismatch"


KIND_NAMES: dict[Family, Text] = {
    Family.IMAGE: Text("foto/gambar", "picture"),
    Family.DOCUMENT: Text("dokumen", "document"),
    Family.MEDIA: Text("rekaman", "recording"),
    Family.ARCHIVE: Text("arsip", "archive"),
    Family.EXECUTABLE: Text("program", "program"),
    Family.OTHER: Text("file", "file"),
}

REMOVAL_NAMES: dict[Removal, Text] = {
    Removal.GPS: Text("lokasi GPS", "the GPS location"),
    Removal.DEVICE: Text("data perangkat", "the device data"),
    Removal.TIMESTAMPS: Text("waktu pembuatan", "the creation times"),
    Removal.THUMBNAIL: Text("gambar pratinjau tersembunyi", "the hidden preview picture"),
    Removal.IMAGE_METADATA: Text("data tersembunyi lain", "other hidden data"),
    Removal.COLOR_PROFILE: Text("profil warna", "the colour profile"),
    Removal.AUTHOR: Text("nama penulis dan komputer", "the author's and computer's names"),
    Removal.DOCUMENT_PROPERTIES: Text("properti dokumen", "the document properties"),
    Removal.DOCUMENT_METADATA: Text("metadata dokumen", "the document metadata"),
    Removal.EMBEDDED_FILES: Text("file yang disisipkan", "the embedded files"),
    Removal.SCRIPTS: Text("skrip", "the scripts"),
    Removal.COMMENT_AUTHORS: Text("nama pemberi komentar", "the names on comments"),
    Removal.REVISION_AUTHORS: Text(
        "nama dan waktu pada riwayat perubahan", "the names and times in the change history"
    ),
    Removal.MEDIA_TAGS: Text(
        "label rekaman (judul, perangkat, lokasi)", "the recording's tags (title, device, place)"
    ),
    Removal.EXTRA_STREAMS: Text("jalur data tambahan", "the extra data tracks"),
}

REASONS: dict[Reason, Text] = {
    Reason.CORRUPT: Text(
        "File tidak dapat dibuka (mungkin rusak). File disimpan tersegel; petugas hanya "
        "melihat jenis, ukuran, dan kode hash-nya.",
        "The file could not be opened (it may be damaged). It is kept sealed; officers see "
        "only its type, size and hash.",
    ),
    Reason.NO_CLEANER: Text(
        "Metadata jenis file ini belum dapat dihapus. File disimpan tersegel; petugas hanya "
        "melihat jenis, ukuran, dan kode hash-nya.",
        "The metadata of this kind of file cannot be removed yet. It is kept sealed; officers "
        "see only its type, size and hash.",
    ),
    Reason.OLD_OFFICE: Text(
        "Format Office lama (.doc/.xls/.ppt) belum dapat dibersihkan. File disimpan tersegel; "
        "bila bisa, kirim ulang sebagai PDF atau DOCX/XLSX.",
        "Old Office files (.doc/.xls/.ppt) cannot be cleaned. It is kept sealed; if you can, "
        "send it again as PDF or DOCX/XLSX.",
    ),
    Reason.UNKNOWN_TYPE: Text(
        "Jenis file tidak dikenali. File disimpan tersegel; petugas hanya melihat jenis, "
        "ukuran, dan kode hash-nya.",
        "The kind of file was not recognised. It is kept sealed; officers see only its type, "
        "size and hash.",
    ),
    Reason.MARKUP: Text(
        "Halaman web atau SVG dapat memuat isi dari internet saat dibuka. File disimpan "
        "tersegel; bila bisa, kirim tangkapan layar atau PDF-nya.",
        "A web page or SVG can load content from the internet when opened. It is kept sealed; "
        "if you can, send a screenshot or a PDF of it.",
    ),
    Reason.TOO_MANY_PIXELS: Text(
        "Gambar terlalu besar untuk diproses. File disimpan tersegel; petugas hanya melihat "
        "jenis, ukuran, dan kode hash-nya.",
        "The picture is too large to process. It is kept sealed; officers see only its type, "
        "size and hash.",
    ),
    Reason.TOO_BIG: Text(
        "File lebih besar dari {limit} MB dan tidak dapat diterima. Kirim file yang lebih "
        "kecil atau bagi menjadi beberapa file.",
        "The file is larger than {limit} MB and cannot be accepted. Send a smaller file or "
        "split it into several.",
    ),
    Reason.EMPTY: Text("File kosong.", "The file is empty."),
    Reason.EXECUTABLE: Text(
        "Program atau skrip tidak diterima sebagai bukti, demi keamanan petugas. Bila program "
        "itu sendiri buktinya, jelaskan dengan teks dan petugas akan menghubungi Anda.",
        "Programs and scripts are not accepted as evidence, for the officers' safety. If the "
        "program itself is the evidence, describe it in text and an officer will contact you.",
    ),
    Reason.ARCHIVE: Text(
        "Arsip (zip/rar/7z) tidak diterima: isinya tidak dapat diperiksa dan dibersihkan dari "
        "data tersembunyi. Mohon kirim file-file di dalamnya satu per satu.",
        "Archives (zip/rar/7z) are not accepted: what is inside cannot be checked and cleaned "
        "of hidden data. Please send the files inside one by one.",
    ),
    Reason.ZIP_BOMB: Text(
        "Isi file ini terlalu besar setelah dibuka dan tidak dapat diterima.",
        "This file is far too large once unpacked and cannot be accepted.",
    ),
    Reason.ENCRYPTED: Text(
        "PDF ini dilindungi kata sandi, sehingga petugas tidak dapat membukanya. Mohon kirim "
        "ulang tanpa kata sandi.",
        "This PDF is password-protected, so officers cannot open it. Please send it again "
        "without the password.",
    ),
    Reason.TYPE_MISMATCH: Text(
        "Isi file tidak sesuai dengan jenisnya (tertulis {claimed}, isinya {actual}). Mohon "
        "kirim file aslinya.",
        "The file's content does not match its type (it says {claimed}, it contains "
        "{actual}). Please send the original file.",
    ),
}

T_REMOVED = Text(
    "🧹 {items} telah dihapus dari {kind} Anda sebelum diteruskan ke petugas.",
    "🧹 Removed from your {kind} before it was passed to the officers: {items}.",
)
T_NOTHING_FOUND = Text(
    "🧹 {kind} Anda sudah diperiksa: tidak ada data tersembunyi yang perlu dihapus.",
    "🧹 Your {kind} was checked: it carried no hidden data to remove.",
)
T_WARN_MISMATCH = Text(
    "Catatan: isi file adalah {actual}, bukan {claimed}; file diperlakukan sesuai isinya.",
    "Note: the file contains {actual}, not {claimed}; it is treated by its content.",
)
T_OFFICER_CLEANED = Text("metadata dihapus", "metadata removed")
T_OFFICER_NOTHING = Text("tanpa metadata", "no metadata")
T_OFFICER_SEALED = Text("disegel, tidak dibersihkan: {why}", "sealed, not cleaned: {why}")
OFFICER_REASONS: dict[Reason, Text] = {
    Reason.CORRUPT: Text("tidak dapat dibuka", "could not be opened"),
    Reason.NO_CLEANER: Text("tidak ada alat pembersih", "no tool can clean it"),
    Reason.OLD_OFFICE: Text("format Office lama", "old Office format"),
    Reason.UNKNOWN_TYPE: Text("jenis tidak dikenali", "unrecognised type"),
    Reason.MARKUP: Text("halaman web/SVG", "web page/SVG"),
    Reason.TOO_MANY_PIXELS: Text("gambar terlalu besar", "picture too large"),
}
T_FILE_LINE = Text(
    "• {kind} {type}, {size}, {note}, SHA-256 <code>{sha256}</code>",
    "• {kind} {type}, {size}, {note}, SHA-256 <code>{sha256}</code>",
)
# Placeholders every text of one kind must share, checked by the tests.
ALL_TEXTS: tuple[Text, ...] = (
    *KIND_NAMES.values(),
    *REMOVAL_NAMES.values(),
    *REASONS.values(),
    *OFFICER_REASONS.values(),
    T_REMOVED,
    T_NOTHING_FOUND,
    T_WARN_MISMATCH,
    T_OFFICER_CLEANED,
    T_OFFICER_NOTHING,
    T_OFFICER_SEALED,
    T_FILE_LINE,
)


def join_words(words: list[str], lang: Lang) -> str:
    """ "a, b dan c" / "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    last = " dan " if lang is Lang.ID else " and "
    return ", ".join(words[:-1]) + last + words[-1]


def removed_sentence(kind: FileKind, removed: Iterable[Removal], lang: Lang) -> str:
    """The reporter's "what was removed" line, e.g. "lokasi GPS dan data perangkat telah…"."""
    items = [REMOVAL_NAMES[r].render(lang) for r in dict.fromkeys(removed)]
    kind_name = KIND_NAMES[FAMILY[kind]].render(lang)
    if not items:
        return T_NOTHING_FOUND.render(lang, kind=kind_name)
    text = join_words(items, lang)
    return T_REMOVED.render(
        lang, items=text[:1].upper() + text[1:] if lang is Lang.ID else text, kind=kind_name
    )


def reason_text(
    reason: Reason, lang: Lang, *, limit_mb: int = 20, claimed: str = "", actual: str = ""
) -> str:
    """The reporter's sentence for a file that was refused or kept sealed."""
    return REASONS[reason].render(lang, limit=limit_mb, claimed=claimed, actual=actual)


@dataclass(frozen=True)
class Sanitized:
    """The verdict on one file, with both hashes: the original's is the chain of custody."""

    verdict: Verdict
    kind: FileKind
    size: int
    original_sha256: str
    clean: bytes | None = field(default=None, repr=False)
    clean_sha256: str | None = None
    extension: str | None = None  # of the clean copy, for the name officers see
    mime: str | None = None
    removed: tuple[Removal, ...] = ()
    reason: Reason | None = None
    claimed: str | None = None  # what the client said the file was, when it was something else
    limit_mb: int = TELEGRAM_DOWNLOAD_LIMIT // (1024 * 1024)

    @property
    def family(self) -> Family:
        return FAMILY[self.kind]

    def reporter_text(self, lang: Lang) -> str:
        """What the reporter reads: what was removed, or why the file was kept sealed/refused."""
        if self.verdict is Verdict.CLEANED:
            text = removed_sentence(self.kind, self.removed, lang)
            if self.claimed:
                note = T_WARN_MISMATCH.render(lang, actual=self.kind.upper(), claimed=self.claimed)
                text += "\n" + note
            return text
        assert self.reason is not None
        return reason_text(
            self.reason,
            lang,
            limit_mb=self.limit_mb,
            claimed=self.claimed or "",
            actual=self.kind.upper(),
        )

    def officer_note(self, lang: Lang) -> str:
        """The officers' short word per file: "metadata dihapus" or why it was not cleaned."""
        if self.verdict is Verdict.CLEANED:
            return (T_OFFICER_CLEANED if self.removed else T_OFFICER_NOTHING).render(lang)
        why = OFFICER_REASONS.get(self.reason) if self.reason else None
        return T_OFFICER_SEALED.render(lang, why=why.render(lang) if why else "-")

    def record(self) -> dict[str, Any]:
        """What is kept of the verdict beside the sealed files (no bytes, no file name)."""
        return {
            "verdict": str(self.verdict),
            "type": str(self.kind),
            "size": self.size,
            "sha256": self.original_sha256,
            "clean_sha256": self.clean_sha256,
            "clean_size": len(self.clean) if self.clean is not None else None,
            "removed": [str(r) for r in self.removed],
            "reason": str(self.reason) if self.reason else None,
        }


# -- evidence items: what is stored for one file, and how officers see it ---------------


def evidence_item(
    channel_kind: str, result: Sanitized, original_blob: str, clean_blob: str | None
) -> dict[str, Any]:
    """The draft's record of one file: never the reporter's file name, both hashes.

    `blob`, `sha256` and `size` name what officers get (the clean copy); a file kept sealed
    has no `blob`, and its `sha256` is the original's. `original` is the sealed original.
    """
    item: dict[str, Any] = {
        "kind": channel_kind,
        "type": str(result.kind),
        "verdict": str(result.verdict),
        "original": {
            "blob": original_blob,
            "sha256": result.original_sha256,
            "size": result.size,
        },
        "removed": [str(r) for r in result.removed],
        "sha256": result.clean_sha256 or result.original_sha256,
        "size": len(result.clean) if result.clean is not None else result.size,
    }
    if clean_blob is not None:
        item |= {"blob": clean_blob, "ext": result.extension, "mime": result.mime}
    if result.reason is not None:
        item["reason"] = str(result.reason)
    return item


def blobs_of(item: Mapping[str, Any]) -> list[str]:
    """Every stored file of an evidence item (clean copy and sealed original)."""
    names = [item.get("blob"), (item.get("original") or {}).get("blob")]
    return [name for name in names if isinstance(name, str) and name]


def forwarded(evidence: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The files officers receive: clean copies only (a sealed file is listed, never sent)."""
    return [item for item in evidence if item.get("kind") != "link" and item.get("blob")]


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"


def file_line(item: Mapping[str, Any], kind_name: str, lang: Lang) -> str:
    """One file in the alert and /lihat: kind, size, "metadata dihapus" or why not, hash."""
    verdict = item.get("verdict")
    if verdict == Verdict.SEALED:
        why = OFFICER_REASONS.get(Reason(item["reason"])) if item.get("reason") else None
        note = T_OFFICER_SEALED.render(lang, why=why.render(lang) if why else "-")
    elif verdict == Verdict.CLEANED:
        note = (T_OFFICER_CLEANED if item.get("removed") else T_OFFICER_NOTHING).render(lang)
    else:  # evidence stored before files were cleaned
        note = "-"
    return T_FILE_LINE.render(
        lang,
        kind=kind_name,
        type=str(item.get("type", "")).upper(),
        size=human_size(int(item.get("size") or 0)),
        note=note,
        sha256=str(item.get("sha256", ""))[:16] + "…",
    )


# -- `wbs-officer evidence` ---------------------------------------------------------------

E_NO_FILES = Text("{ticket} tidak memiliki file bukti.", "{ticket} has no evidence files.")
E_NO_ITEM = Text(
    "{ticket} tidak memiliki file bukti nomor {item} (ada {count}).",
    "{ticket} has no evidence file number {item} (it has {count}).",
)
E_SEALED = Text(
    "File bukti {item} dari {ticket} disegel tanpa salinan bersih ({reason}); hanya admin "
    "yang dapat mengekspor aslinya: evidence original {ticket} {item} FILE --reason ….",
    "Evidence file {item} of {ticket} is sealed without a clean copy ({reason}); only an admin "
    "exports the original: evidence original {ticket} {item} FILE --reason ….",
)
E_NO_ORIGINAL = Text(
    "File bukti {item} dari {ticket} tersimpan sebelum pembersihan; tidak ada asli terpisah.",
    "Evidence file {item} of {ticket} was stored before cleaning; there is no separate original.",
)
E_HASH_MISMATCH = Text(
    "SHA-256 file bukti {item} dari {ticket} tidak cocok dengan yang dicatat; tidak ditulis.",
    "The SHA-256 of evidence file {item} of {ticket} does not match the recorded one; not written.",
)
E_EXISTS = Text(
    "{output} sudah ada; pilih nama lain (file bukti tidak pernah ditimpa).",
    "{output} exists; choose another name (evidence is never overwritten).",
)
E_REASON = Text("Alasan wajib diisi (--reason).", "A reason is required (--reason).")
E_WRITTEN = Text(
    "{what} file bukti {item} dari {ticket} ditulis ke {output} ({size}, SHA-256 {sha256}).",
    "{what} of evidence file {item} of {ticket} written to {output} ({size}, SHA-256 {sha256}).",
)
E_CLEAN = Text("Salinan bersih", "The clean copy")
E_ORIGINAL = Text("Asli", "The original")
E_LINE = Text(
    "{item}. {kind} {type}, {size}, {verdict}, SHA-256 {sha256}",
    "{item}. {kind} {type}, {size}, {verdict}, SHA-256 {sha256}",
)
CLI_TEXTS = (
    E_NO_FILES,
    E_NO_ITEM,
    E_SEALED,
    E_NO_ORIGINAL,
    E_HASH_MISMATCH,
    E_EXISTS,
    E_REASON,
    E_WRITTEN,
    E_CLEAN,
    E_ORIGINAL,
    E_LINE,
)
