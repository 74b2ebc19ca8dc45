"""Audio and video: container tags out, sound and pictures untouched (no re-encoding).

mutagen for the audio tag formats (ID3 and APEv2 of MP3, Vorbis comments of OGG and FLAC, the
`ilst` atoms of M4A); ffmpeg (Debian's, when installed) copies the streams of MP4, MOV, 3GP,
WebM and MKV into a new container without global or per-stream metadata, chapters, data
tracks (an iPhone's location track) or attached cover pictures, and without the creation
times mutagen cannot reach. Without ffmpeg a video stays sealed with the reason. WAV's RIFF
chunks are filtered here: only the format and the samples are kept.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import mutagen
from mutagen.apev2 import APEv2
from mutagen.apev2 import delete as delete_ape
from mutagen.flac import FLAC, VCFLACDict
from mutagen.id3 import delete as delete_id3
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4

from bot.evidence.outcome import Cleaned, NotCleaned
from conversations.sanitizing import FileKind, Reason, Removal

FFMPEG_TIMEOUT = 120.0
PROBED = "format_tags:stream_tags:stream=codec_type:stream_disposition=attached_pic"
FFMPEG_FORMATS = {
    FileKind.MP4: ("mp4", "mp4", "video/mp4"),
    FileKind.MOV: ("mov", "mov", "video/quicktime"),
    FileKind.THREE_GP: ("3gp", "3gp", "video/3gpp"),
    FileKind.M4A: ("ipod", "m4a", "audio/mp4"),
    FileKind.WEBM: ("webm", "webm", "video/webm"),
    FileKind.MKV: ("matroska", "mkv", "video/x-matroska"),
}
AUDIO_FORMATS = {
    FileKind.MP3: ("mp3", "audio/mpeg"),
    FileKind.OGG: ("ogg", "audio/ogg"),
    FileKind.FLAC: ("flac", "audio/flac"),
    FileKind.WAV: ("wav", "audio/wav"),
    FileKind.AMR: ("amr", "audio/amr"),
}
WAV_KEPT_CHUNKS = {b"fmt ", b"data", b"fact"}
TAG_FINDINGS = (
    (("location", "gps", "xyz"), Removal.GPS),
    (
        ("make", "model", "device", "software", "encoder", "com.apple.quicktime.make"),
        Removal.DEVICE,
    ),
    (("creation_time", "date", "creationdate"), Removal.TIMESTAMPS),
)
# Tags every container has and that say nothing about the sender.
NEUTRAL_TAGS = {
    "major_brand",
    "minor_version",
    "compatible_brands",
    "language",
    "vendor_id",
    "handler_name",
    "duration",
}


def ffmpeg_available() -> bool:
    return shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None


def clean_media(data: bytes, kind: FileKind) -> Cleaned:
    if kind in FFMPEG_FORMATS:
        if ffmpeg_available():
            return _ffmpeg(data, kind)
        if kind is FileKind.M4A:
            return _mutagen(data, kind)
        raise NotCleaned(Reason.NO_CLEANER, "ffmpeg is not installed")
    if kind is FileKind.WAV:
        return _wav(data)
    if kind is FileKind.AMR:
        return Cleaned(data, "amr", "audio/amr", [])  # AMR has no place for tags
    return _mutagen(data, kind)


# -- mutagen --------------------------------------------------------------------------


def _mutagen(data: bytes, kind: FileKind) -> Cleaned:
    buffer = io.BytesIO(data)
    try:
        if kind is FileKind.MP3:
            removed = _mp3(buffer)
        elif kind is FileKind.FLAC:
            removed = _flac(buffer)
        else:
            opened = MP4(buffer) if kind is FileKind.M4A else mutagen.File(buffer)  # type: ignore[no-untyped-call]
            if opened is None:
                raise NotCleaned(Reason.CORRUPT, "mutagen found no stream")
            removed = [Removal.MEDIA_TAGS] if opened.tags else []
            buffer.seek(0)
            opened.delete(buffer)
    except NotCleaned:
        raise
    except (mutagen.MutagenError, OSError, ValueError, EOFError) as error:
        raise NotCleaned(Reason.CORRUPT, type(error).__name__) from error
    extension, mime = AUDIO_FORMATS.get(kind, ("m4a", "audio/mp4"))
    return Cleaned(buffer.getvalue(), extension, mime, removed)


def _mp3(buffer: io.BytesIO) -> list[Removal]:
    removed: list[Removal] = []
    if MP3(buffer).tags:  # type: ignore[no-untyped-call]
        removed.append(Removal.MEDIA_TAGS)
    buffer.seek(0)
    try:
        APEv2(buffer)  # type: ignore[no-untyped-call]
        removed.append(Removal.MEDIA_TAGS)
        buffer.seek(0)
        delete_ape(buffer)
    except mutagen.MutagenError:
        pass  # no APEv2 tag
    buffer.seek(0)
    delete_id3(buffer, delete_v1=True, delete_v2=True)
    data = buffer.getvalue()
    if data[-128:-125] == b"TAG":  # a second ID3v1 left behind by a careless tagger
        buffer.truncate(len(data) - 128)
    return list(dict.fromkeys(removed))


def _flac(buffer: io.BytesIO) -> list[Removal]:
    flac = FLAC(buffer)  # type: ignore[no-untyped-call]
    removed = [Removal.MEDIA_TAGS] if flac.tags or flac.pictures else []
    flac.clear_pictures()  # type: ignore[no-untyped-call]
    if isinstance(flac.tags, VCFLACDict):
        flac.tags.clear()
    buffer.seek(0)
    flac.save(buffer, deleteid3=True)
    return removed


# -- WAV ------------------------------------------------------------------------------


def _wav(data: bytes) -> Cleaned:
    """RIFF chunks other than the format and the samples (INFO, bext, iXML, XMP) dropped."""
    view = memoryview(data)
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise NotCleaned(Reason.CORRUPT, "not a RIFF WAVE")
    kept: list[memoryview] = []
    dropped = False
    offset = 12
    while offset + 8 <= len(data):
        chunk_id = bytes(view[offset : offset + 4])
        size = int.from_bytes(view[offset + 4 : offset + 8], "little")
        end = offset + 8 + size + (size & 1)
        if offset + 8 + size > len(data):
            raise NotCleaned(Reason.CORRUPT, "truncated chunk")
        if chunk_id in WAV_KEPT_CHUNKS:
            kept.append(view[offset : min(end, len(data))])
        else:
            dropped = True
        offset = end
    if not any(bytes(chunk[:4]) == b"data" for chunk in kept):
        raise NotCleaned(Reason.CORRUPT, "no data chunk")
    body_size = 4 + sum(len(chunk) for chunk in kept)
    out = io.BytesIO()
    out.write(b"RIFF" + body_size.to_bytes(4, "little") + b"WAVE")
    for chunk in kept:
        out.write(chunk)
    return Cleaned(out.getvalue(), "wav", "audio/wav", [Removal.MEDIA_TAGS] if dropped else [])


# -- ffmpeg ---------------------------------------------------------------------------


def _ffmpeg(data: bytes, kind: FileKind) -> Cleaned:
    muxer, extension, mime = FFMPEG_FORMATS[kind]
    with _memory_file(data) as source, _memory_file(b"") as target:
        removed = _probe(source.path, source.fds)
        command = [
            "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-i", source.path,
            "-map", "0:V?", "-map", "0:a?",  # pictures and sound: no data tracks, no covers
            "-c", "copy",
            "-map_metadata", "-1", "-map_chapters", "-1",
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
            "-f", muxer, target.path,
        ]  # fmt: skip
        result = _run(command, source.fds + target.fds)
        if result.returncode != 0:
            raise NotCleaned(
                Reason.NO_CLEANER, "ffmpeg: " + result.stderr[-300:].decode(errors="replace")
            )
        clean = target.read()
    if not clean:
        raise NotCleaned(Reason.NO_CLEANER, "ffmpeg wrote nothing")
    return Cleaned(clean, extension, mime, removed)


def _probe(path: str, fds: tuple[int, ...]) -> list[Removal]:
    """What the container tells, read by ffprobe before it is left behind."""
    command = [
        "ffprobe", "-v", "error", "-of", "json",
        "-show_entries", PROBED,
        path,
    ]  # fmt: skip
    result = _run(command, fds)
    if result.returncode != 0:
        raise NotCleaned(
            Reason.CORRUPT, "ffprobe: " + result.stderr[-300:].decode(errors="replace")
        )
    try:
        report = json.loads(result.stdout or b"{}")
    except ValueError as error:
        raise NotCleaned(Reason.CORRUPT, "ffprobe output") from error
    streams = report.get("streams") or []
    if not any(s.get("codec_type") in ("video", "audio") for s in streams):
        raise NotCleaned(Reason.CORRUPT, "no picture or sound")
    tags: dict[str, str] = dict((report.get("format") or {}).get("tags") or {})
    for stream in streams:
        tags.update(stream.get("tags") or {})
    found: list[Removal] = []
    for key in tags:
        name = key.casefold()
        if name in NEUTRAL_TAGS:
            continue
        found.append(
            next(
                (r for words, r in TAG_FINDINGS if any(w in name for w in words)),
                Removal.MEDIA_TAGS,
            )
        )
    extra = [
        s
        for s in streams
        if s.get("codec_type") not in ("video", "audio")
        or (s.get("disposition") or {}).get("attached_pic")
    ]
    if extra:
        found.append(Removal.EXTRA_STREAMS)
    return list(dict.fromkeys(found))


def _tail(stderr: bytes) -> str:
    return stderr[-300:].decode(errors="replace")


def _run(command: list[str], fds: tuple[int, ...]) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            command, pass_fds=fds, capture_output=True, timeout=FFMPEG_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise NotCleaned(Reason.NO_CLEANER, "ffmpeg took too long") from error
    except OSError as error:
        raise NotCleaned(Reason.NO_CLEANER, "ffmpeg could not run") from error


class _MemoryFile:
    """A file ffmpeg can seek in, by path, that never touches a disk (memfd) where possible."""

    def __init__(self, fd: int, path: str, fds: tuple[int, ...]) -> None:
        self.fd, self.path, self.fds = fd, path, fds

    def read(self) -> bytes:
        os.lseek(self.fd, 0, os.SEEK_SET)
        chunks = []
        while chunk := os.read(self.fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)


@contextmanager
def _memory_file(data: bytes) -> Iterator[_MemoryFile]:
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("evidence", 0)  # not inheritable except through pass_fds
        try:
            _write_all(fd, data)
            yield _MemoryFile(fd, f"/dev/fd/{fd}", (fd,))
        finally:
            os.close(fd)
        return
    with tempfile.TemporaryDirectory(prefix="wbs-evidence-") as folder:  # mode 0700
        path = os.path.join(folder, "file")
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            _write_all(fd, data)
            yield _MemoryFile(fd, path, ())
        finally:
            os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
