"""The reporter sends evidence as a file; officers get a clean copy, the original stays sealed."""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner, Result

from officer_cli.main import app as officer_app
from tests.conftest import ADMIN_ID, OFFICER_GROUP, OFFICER_ID, Reporter, RunningBot
from tests.support import evidence_samples as samples
from tests.support.fake_telegram import FakeTelegram

pytestmark = pytest.mark.journey

TICKET = re.compile(r"WBS-\d{4}-\d{4,}")


async def start_service_complaint(reporter: Reporter) -> None:
    await reporter.answer("/lapor", then="Identitas Pelapor")
    await reporter.choose("Lapor Anonim", then="Tindakan")
    await reporter.choose("Pengaduan Layanan", then="Jenis Layanan")
    await reporter.choose("SIMPEG", then="Keluhan")
    await reporter.answer("Data kenaikan pangkat saya hilang dari SIMPEG.", then="Link Bukti")


async def submit(reporter: Reporter) -> str:
    await reporter.choose("Selesai", then="Persetujuan")
    await reporter.choose("Ya, saya bersedia", then="Ringkasan Laporan")
    confirmation = await reporter.choose("Kirim Laporan", then="nomor registrasi")
    match = TICKET.search(confirmation.text)
    assert match, confirmation.text
    return match.group()


async def test_a_photo_sent_as_a_file_reaches_officers_without_gps_and_the_original_is_sealed(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram, data_dir: Path
) -> None:
    original = samples.phone_jpeg(orientation=6)
    await start_service_complaint(reporter)

    fake.send_document(
        reporter.user, original, file_name="IMG_20240506_Budi.jpg", mime_type="image/jpeg"
    )
    await reporter.expect("Bukti diterima (total 1)")
    told = await reporter.expect("telah dihapus")
    assert "Lokasi GPS" in told.text and "data perangkat" in told.text
    ticket = await submit(reporter)

    alert = await fake.next_message(OFFICER_GROUP, contains=f"Laporan baru {ticket}")
    assert "dokumen JPEG" in alert.text and "metadata dihapus" in alert.text
    document = await fake.next_message(OFFICER_GROUP, contains=ticket)
    assert document.kind == "document" and document.file is not None
    clean = document.file
    for marker in (*samples.JPEG_MARKERS, samples.XMP_MARKER, samples.IPTC_MARKER):
        assert marker.encode() not in clean, marker
    assert document.file_name is not None and "Budi" not in document.file_name
    assert document.file_name.endswith(".jpg")
    assert Image.open(io.BytesIO(clean)).size == (48, 64)  # turned as the phone showed it
    clean_hash = hashlib.sha256(clean).hexdigest()
    assert clean_hash in document.text  # the caption: the hash of what officers got
    assert clean_hash[:16] in alert.text

    # The chain of custody: the original, sealed, decrypts to the bytes sent.
    store = running_bot.app.bot_data["services"].store
    record = await store.reports.get(ticket)
    [item] = record.evidence
    assert "name" not in item and "Budi" not in repr(item)
    assert item["original"]["sha256"] == hashlib.sha256(original).hexdigest()
    assert store.blobs.get(item["original"]["blob"]) == original
    assert store.blobs.get(item["blob"]) == clean and item["sha256"] == clean_hash
    on_disk = b"".join(p.read_bytes() for p in (data_dir / "evidence").iterdir())
    assert samples.CAMERA_SERIAL.encode() not in on_disk  # sealed, not readable


async def test_a_program_is_refused_and_nothing_is_stored(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram, data_dir: Path
) -> None:
    await start_service_complaint(reporter)

    fake.send_document(
        reporter.user,
        b"MZ\x90\x00" + bytes(200),
        file_name="kuitansi.pdf",
        mime_type="application/pdf",
    )
    refused = await reporter.expect("tidak diterima")
    assert "Program atau skrip" in refused.text
    fake.send_document(
        reporter.user,
        samples.plain_zip({"a.jpg": b"x"}),
        file_name="bukti.zip",
        mime_type="application/zip",
    )
    await reporter.expect("kirim file-file di dalamnya")
    evidence = data_dir / "evidence"
    assert not evidence.exists() or not any(evidence.iterdir())
    await reporter.answer("https://example.org/berita", then="total 1")  # still at the question


async def test_a_corrupt_pdf_is_kept_sealed_and_officers_see_only_type_size_and_hash(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram
) -> None:
    broken = b"%PDF-1.7\n" + b"\x00rusak" * 100
    await start_service_complaint(reporter)

    fake.send_document(reporter.user, broken, file_name="laporan.pdf", mime_type="application/pdf")
    await reporter.expect("Bukti diterima (total 1)")
    await reporter.expect("tidak dapat dibuka")
    ticket = await submit(reporter)

    alert = await fake.next_message(OFFICER_GROUP, contains=f"Laporan baru {ticket}")
    assert "disegel, tidak dibersihkan: tidak dapat dibuka" in alert.text
    assert hashlib.sha256(broken).hexdigest()[:16] in alert.text
    await running_bot.app.bot_data["services"].dispatcher.deliver()
    assert not [m for m in fake.messages(OFFICER_GROUP) if m.kind == "document"]


async def test_links_reach_the_group_as_plain_text_without_previews(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram
) -> None:
    await start_service_complaint(reporter)
    await reporter.answer("https://contoh.example.org/dokumen-rahasia", then="total 1")
    ticket = await submit(reporter)

    await fake.next_message(OFFICER_GROUP, contains=f"Laporan baru {ticket}")
    sends = [
        c
        for c in fake.calls_to("sendMessage")
        if str(c.params.get("chat_id")) == str(OFFICER_GROUP)
    ]
    assert sends
    for call in sends:
        options = call.params.get("link_preview_options")
        if isinstance(options, str):
            import json

            options = json.loads(options)
        assert options == {"is_disabled": True}, call.params


async def test_officers_export_the_clean_copy_and_only_an_admin_the_original_audited(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram, tmp_path: Path
) -> None:
    original = samples.phone_jpeg()
    await start_service_complaint(reporter)
    fake.send_document(reporter.user, original, file_name="IMG_1.jpg", mime_type="image/jpeg")
    await reporter.expect("telah dihapus")
    ticket = await submit(reporter)
    settings = running_bot.settings
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\ndatabase = "{settings.storage.database}"\n'
        f'[security]\nkey_file = "{settings.security.key_file}"\n'
        f"[telegram]\nofficer_user_ids = [{OFFICER_ID}, {ADMIN_ID}]\n"
        f"admin_user_ids = [{ADMIN_ID}]\n"
    )
    runner = CliRunner()

    def cli(*args: str) -> Result:
        return runner.invoke(officer_app, ["--config", str(config), *args])

    listed = await asyncio.to_thread(cli, "evidence", "list", ticket)
    assert listed.exit_code == 0, listed.output
    assert "JPEG" in listed.output and "cleaned" in listed.output

    clean_file = tmp_path / "bersih.jpg"
    got = await asyncio.to_thread(
        cli, "--as", str(OFFICER_ID), "evidence", "get", ticket, "1", str(clean_file)
    )
    assert got.exit_code == 0, got.output
    assert samples.CAMERA_SERIAL.encode() not in clean_file.read_bytes()
    assert clean_file.stat().st_mode & 0o777 == 0o600

    asli = tmp_path / "asli.jpg"
    refused = await asyncio.to_thread(
        cli, "--as", str(OFFICER_ID), "evidence", "original", ticket, "1", str(asli),
        "--reason", "Pemeriksaan",
    )  # fmt: skip
    assert refused.exit_code == 1 and not asli.exists()
    no_reason = await asyncio.to_thread(
        cli, "--as", str(ADMIN_ID), "evidence", "original", ticket, "1", str(asli)
    )
    assert no_reason.exit_code == 2 and not asli.exists()
    exported = await asyncio.to_thread(
        cli, "--as", str(ADMIN_ID), "evidence", "original", ticket, "1", str(asli),
        "--reason", "Permintaan penyidik Inspektorat",
    )  # fmt: skip
    assert exported.exit_code == 0, exported.output
    assert asli.read_bytes() == original  # the sealed original, byte for byte
    again = await asyncio.to_thread(
        cli, "--as", str(ADMIN_ID), "evidence", "original", ticket, "1", str(asli),
        "--reason", "lagi",
    )  # fmt: skip
    assert again.exit_code == 1  # never overwritten

    store = running_bot.app.bot_data["services"].store
    entries = [e for e in await store.audit.entries() if e.action == "bukti_asli_dibuka"]
    assert len(entries) == 1 and entries[0].ticket == ticket
    assert entries[0].actor == str(ADMIN_ID)
    assert entries[0].detail["reason"] == "Permintaan penyidik Inspektorat"
    assert entries[0].detail["sha256"] == hashlib.sha256(original).hexdigest()
