"""Voice notes, recordings and videos reach officers without their tags."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import mutagen
import pytest
from mutagen.flac import FLAC
from mutagen.mp3 import MP3
from mutagen.oggopus import OggOpus

from bot.evidence import sanitize
from conversations.i18n import Lang
from conversations.sanitizing import FileKind, Reason, Removal, Verdict
from tests.support import evidence_samples as samples

pytestmark = pytest.mark.unit

TAG_MARKERS = (samples.TAG_TITLE, samples.TAG_ARTIST, samples.TAG_DEVICE)
needs_ffmpeg = pytest.mark.skipif(
    not samples.ffmpeg_available(), reason="ffmpeg is not installed (Debian package ffmpeg)"
)


def assert_no_markers(clean: bytes) -> None:
    for marker in TAG_MARKERS:
        assert marker.encode() not in clean, marker


def test_an_mp3_loses_its_id3_tags_and_still_plays(tmp_path: Path) -> None:
    original = samples.mp3_with_tags(tmp_path)
    assert samples.TAG_TITLE.encode() in original and original[-128:-125] == b"TAG"

    result = sanitize(original, claimed_mime="audio/mpeg", claimed_name="rekaman.mp3")

    assert result.verdict is Verdict.CLEANED and result.kind is FileKind.MP3
    assert result.clean is not None
    assert_no_markers(result.clean)
    assert not result.clean.startswith(b"ID3") and result.clean[-128:-125] != b"TAG"
    audio = MP3(io.BytesIO(result.clean))
    assert audio.tags is None and audio.info.length > 0
    assert result.removed == (Removal.MEDIA_TAGS,)


def test_a_whatsapp_voice_note_loses_its_opus_comments() -> None:
    original = samples.ogg_opus_with_tags()
    assert OggOpus(io.BytesIO(original)).tags["title"] == [samples.TAG_TITLE]

    result = sanitize(original, claimed_mime="audio/ogg; codecs=opus")

    assert result.verdict is Verdict.CLEANED and result.kind is FileKind.OGG
    assert result.clean is not None
    assert_no_markers(result.clean)
    voice = OggOpus(io.BytesIO(result.clean))
    assert not list(voice.tags.keys()) and voice.info.length > 0


def test_a_flac_loses_its_comments_and_cover(tmp_path: Path) -> None:
    result = sanitize(samples.flac_with_tags(tmp_path))

    assert result.verdict is Verdict.CLEANED and result.clean is not None
    assert_no_markers(result.clean)
    assert samples.THUMBNAIL_MARKER.encode() not in result.clean
    flac = FLAC(io.BytesIO(result.clean))
    assert not flac.pictures and not (flac.tags and list(flac.tags.keys()))


def test_a_wav_keeps_only_its_format_and_samples() -> None:
    import wave

    result = sanitize(samples.wav_with_info())

    assert result.verdict is Verdict.CLEANED and result.clean is not None
    assert_no_markers(result.clean)
    assert b"LIST" not in result.clean
    with wave.open(io.BytesIO(result.clean)) as reader:
        assert reader.getnframes() == 800


def test_a_video_without_ffmpeg_is_kept_sealed_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("bot.evidence.media.ffmpeg_available", lambda: False)
    fake_mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(64)

    result = sanitize(fake_mp4, claimed_mime="video/mp4")

    assert result.verdict is Verdict.SEALED and result.reason is Reason.NO_CLEANER
    assert result.kind is FileKind.MP4 and result.clean is None
    assert "hanya melihat jenis, ukuran, dan kode hash" in result.reporter_text(Lang.ID)
    assert result.officer_note(Lang.ID) == "disegel, tidak dibersihkan: tidak ada alat pembersih"


def ffprobe_tags(data: bytes, tmp: Path) -> dict[str, str]:
    path = tmp / "probe.bin"
    path.write_bytes(data)
    report = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-of", "json", "-show_entries",
             "format_tags:stream_tags", str(path)],
            check=True, capture_output=True,
        ).stdout
    )  # fmt: skip
    tags = dict(report.get("format", {}).get("tags", {}))
    for stream in report.get("streams", []):
        tags.update(stream.get("tags", {}))
    return tags


@needs_ffmpeg
@pytest.mark.parametrize("extension", ["mp4", "mov", "webm"])
def test_a_video_loses_title_location_device_and_time(tmp_path: Path, extension: str) -> None:
    original = samples.video_with_tags(tmp_path, extension)
    before = ffprobe_tags(original, tmp_path)
    assert before.get("title", before.get("TITLE")) == samples.TAG_TITLE

    result = sanitize(original, claimed_mime=f"video/{extension}")

    assert result.verdict is Verdict.CLEANED and result.clean is not None
    assert_no_markers(result.clean)
    after = {k.casefold(): v for k, v in ffprobe_tags(result.clean, tmp_path).items()}
    assert not {"title", "location", "make", "creation_time"} & set(after), after
    assert after.get("encoder") in (None, "Lavf")  # Matroska names its writer, not the phone
    assert samples.TAG_ARTIST not in after.values()
    assert {Removal.GPS, Removal.TIMESTAMPS, Removal.MEDIA_TAGS} <= set(result.removed)


@needs_ffmpeg
def test_an_m4a_recording_loses_its_tags(tmp_path: Path) -> None:
    result = sanitize(samples.m4a_with_tags(tmp_path), claimed_mime="audio/mp4")

    assert result.verdict is Verdict.CLEANED and result.kind is FileKind.M4A
    assert result.clean is not None
    assert_no_markers(result.clean)
    audio = mutagen.File(io.BytesIO(result.clean))
    assert audio is not None and not audio.tags and audio.info.length > 0
    assert result.claimed is None  # audio/mp4 is what an M4A is


@needs_ffmpeg
def test_a_video_that_is_not_one_is_kept_sealed() -> None:
    fake_mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(64)

    result = sanitize(fake_mp4, claimed_mime="video/mp4")

    assert result.verdict is Verdict.SEALED and result.reason is Reason.CORRUPT


def test_an_mp3_that_does_not_parse_is_kept_sealed() -> None:
    result = sanitize(b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f" + bytes(40))

    assert result.verdict is Verdict.SEALED and result.reason is Reason.CORRUPT
