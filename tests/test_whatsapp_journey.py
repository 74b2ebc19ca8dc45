"""A reporter files a WBS report on WhatsApp; officers get it in their Telegram group.

The real bot (`build_app`, WhatsApp enabled), real HTTP both ways: signed webhooks into the
bot's webhook server, Graph API calls out to the fake on 127.0.0.1, real SQLite files.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support import evidence_samples as samples
from tests.test_whatsapp_harness import (
    PDF,
    PHOTO,
    WaBot,
    WaReporter,
    file_violation_on_whatsapp,
    whatsapp_bot,
)
from tests.waiting import undelivered, wait_until

WA_ID = "6281234567890"


@pytest.fixture
async def bot(data_dir: Path) -> AsyncIterator[WaBot]:
    async with whatsapp_bot(data_dir) as running:
        yield running


@pytest.fixture
def reporter(bot: WaBot) -> WaReporter:
    return WaReporter(bot.wa, bot.wa.user(WA_ID, "Maria Kolo"))


async def test_identified_violation_reaches_the_group_without_the_number(
    bot: WaBot, reporter: WaReporter, data_dir: Path
) -> None:
    ticket = await file_violation_on_whatsapp(reporter)

    alert = await bot.group_expect(f"Laporan baru {ticket}")
    for expected in ("Pelanggaran Benturan Kepentingan", "Yohanes Benu", "Rp 5.000.000"):
        assert expected in alert.text, expected
    assert "<b>uang pelicin</b>" in alert.text  # escaped, as typed
    for secret in ("Maria", "Kolo", WA_ID, "81234567890", "maria.kolo"):
        assert secret.casefold() not in alert.text.casefold(), secret
    photo = await bot.group_expect(ticket)
    # Officers get the clean copies only.
    assert photo.kind == "photo" and photo.file is not None and photo.file != PHOTO
    assert samples.CAMERA_SERIAL.encode() not in photo.file
    document = await bot.group_expect(ticket)
    assert document.kind == "document" and document.file is not None and document.file != PDF
    assert samples.PDF_AUTHOR.encode() not in samples.pdf_expanded(document.file)
    assert "metadata dihapus" in alert.text

    # Media were fetched through the Graph API: the URL look-up, then the download.
    paths = [path for method, path in bot.wa.requests if method == "GET"]
    assert any(p.startswith("/v23.0/") for p in paths)
    assert sum(p.startswith("/media-download/") for p in paths) == 2

    # The copy of the database and the evidence folder reveal neither number nor text, and
    # no WhatsApp message id (they carry the number).
    await bot.idle()
    await wait_until(lambda: undelivered(data_dir / "wbs.sqlite3") == 0, what="all delivered")
    raw = b"".join(p.read_bytes() for p in data_dir.glob("wbs.sqlite3*"))
    raw += b"".join(p.read_bytes() for p in (data_dir / "evidence").iterdir())
    for secret in (WA_ID, "+6281234567890", "Maria Kolo", "maria.kolo", "uang pelicin"):
        assert secret.encode() not in raw, secret
    for message in [*bot.wa.sent, *bot.wa.received]:
        identifier = message.id if hasattr(message, "id") else message["id"]
        assert identifier.encode() not in raw
    assert b"foto-bukti-wa-" not in raw and b"kuitansi-wa" not in raw


async def test_service_complaint_anonymous_with_lists_and_skips(
    bot: WaBot, reporter: WaReporter
) -> None:
    await reporter.answer("lapor", then="Identitas Pelapor")  # a command without the slash
    await reporter.choose("Lapor Anonim", then="Tindakan/Perbuatan yang Dilaporkan")
    services = await reporter.choose("Pengaduan Layanan", then="Jenis Layanan")
    assert services.labels == [
        "SI IKAN MAS",
        "SIPORA",
        "SIMPEG",
        "SIMAE",
        "E-FORMASI",
        "PPK ONLINE",
        "LAPOR PNS MENINGGAL",
    ]
    await reporter.choose("SIMPEG", then="Keluhan")
    await reporter.answer(
        "Data riwayat jabatan saya di SIMPEG tidak berubah sejak tiga bulan.", then="Link Bukti"
    )
    await reporter.choose("Lewati", then="Persetujuan")
    summary = await reporter.choose("Ya, saya bersedia", then="Ringkasan Laporan")
    assert "SIMPEG" in summary.text
    confirmation = await reporter.choose("Kirim Laporan", then="nomor registrasi")
    ticket = confirmation.text.split("*")[1]
    alert = await bot.group_expect(f"Laporan baru {ticket}")
    assert "Pengaduan Layanan" in alert.text and "SIMPEG" in alert.text

    status = await reporter.answer("/status", then="Laporan Anda")
    assert ticket in status.text


async def test_a_file_over_the_download_limit_is_refused_with_the_limit(
    bot: WaBot, reporter: WaReporter
) -> None:
    await reporter.answer("lapor", then="Identitas Pelapor")
    await reporter.choose("Lapor Anonim", then="Tindakan/Perbuatan yang Dilaporkan")
    await reporter.choose("Pengaduan Layanan", then="Jenis Layanan")
    await reporter.choose("SIMPEG", then="Keluhan")
    await reporter.answer(
        "Data riwayat jabatan saya di SIMPEG tidak berubah sejak tiga bulan.", then="Link Bukti"
    )
    await reporter.send_document(b"%PDF-1.4 " + b"0" * (50 * 1024 * 1024), "besar.pdf")
    refused = await reporter.expect("terlalu besar")
    assert "50 MB" in refused.text
    await reporter.answer("https://drive.google.com/file/d/abc123", then="Bukti diterima (total 1)")


async def test_edit_menu_over_ten_choices_is_split_and_typed_labels_work(
    bot: WaBot, reporter: WaReporter
) -> None:
    await file_until_summary(reporter)
    first = await reporter.choose("Ubah", then="Bagian mana yang ingin diubah?")
    second = await reporter.expect("Pilihan lainnya")
    assert len(first.rows) == 10 and 1 <= len(second.rows) <= 10
    labels = first.labels + second.labels
    assert labels[-1] == "Kembali ke Ringkasan"
    await reporter.choose("Lokasi Kejadian", then="Lokasi Kejadian")  # a row of the first list
    await reporter.answer("Aula BKD lantai 2", then="Ringkasan Laporan")
    await reporter.choose("Ubah", then="Bagian mana")
    await reporter.answer("kembali ke ringkasan", then="Ringkasan Laporan")  # typed label
    summary = await reporter.answer("Kirim Laporan", then="nomor registrasi")  # typed too
    assert summary.type == "text"


async def file_until_summary(reporter: WaReporter) -> None:
    await reporter.answer("/lapor", then="Identitas Pelapor")
    await reporter.answer("2", then="Tindakan/Perbuatan")  # a typed number picks a choice
    await reporter.choose("Penipuan", then="Nama Terlapor")
    await reporter.answer("Yohanes Benu", then="Jabatan Terlapor")
    await reporter.answer("Kepala Sub Bidang Mutasi", then="Waktu Kejadian")
    await reporter.answer("Maret 2024", then="Lokasi Kejadian")
    await reporter.answer("Ruang Bidang Mutasi", then="Kronologi Kejadian")
    await reporter.answer(
        "Terlapor meminta uang agar berkas mutasi diproses lebih cepat dari antrean.",
        then="Nominal",
    )
    await reporter.choose("Tidak Ada", then="Link Bukti")
    await reporter.choose("Lewati", then="Persetujuan")
    await reporter.choose("Ya, saya bersedia", then="Ringkasan Laporan")


async def test_a_first_message_of_any_kind_gets_the_welcome(
    bot: WaBot, reporter: WaReporter
) -> None:
    await reporter.send_image(PHOTO)
    await reporter.expect("Whistleblowing System")
    other = WaReporter(bot.wa, bot.wa.user("6281298765432", "Lain"))
    await other.answer("/menu-yang-tidak-ada", then="Perintah")  # unknown command: help
    help_text = await other.answer("bantuan", then="Perintah")
    assert "/balas WBS-… jawaban" in help_text.text  # the same table as Telegram's menu
    assert "tanpa garis miring" in help_text.text  # no menu here: commands are typed
    await other.answer("BAHASA", then="Pilih bahasa")
    # a photo outside the evidence question is refused politely, and nothing is kept
    await reporter.answer("lapor", then="Identitas Pelapor")
    await reporter.send_image(PHOTO)
    await reporter.expect("tidak bisa dipakai di sini")


async def test_officer_question_and_quoted_answer(bot: WaBot, reporter: WaReporter) -> None:
    ticket = await file_violation_on_whatsapp(reporter)
    await bot.group_expect(f"Laporan baru {ticket}")
    bot.group_say(5001, f"/tanya {ticket} Kapan tepatnya uang diminta?")
    question = await reporter.expect("Pertanyaan dari petugas WBS")
    assert ticket in question.text and "Kapan tepatnya uang diminta?" in question.text
    await reporter.send("Tanggal 12 Maret sekitar jam 10 pagi.", reply_to=question.id)
    await reporter.expect("jawaban Anda untuk")
    answer = await bot.group_expect("jawaban pelapor")
    assert ticket in answer.text and "jam 10 pagi" in answer.text
    await reporter.answer(f"balas {ticket} Saksinya dua orang staf.", then="diteruskan")
    assert "dua orang staf" in (await bot.group_expect("jawaban pelapor")).text

    # More evidence for the sent report (/bukti): a document, passed on to the group.
    await reporter.answer(f"bukti {ticket}", then="Kirim foto, video, dokumen")
    await reporter.send_document(samples.pdf_with_metadata(), "transfer.pdf")
    await reporter.expect("diterima dan diteruskan")
    assert ticket in (await bot.group_expect("menambah bukti")).text
    forwarded = await bot.group_expect(ticket)
    assert forwarded.kind == "document" and forwarded.file is not None
    assert samples.PDF_AUTHOR.encode() not in samples.pdf_expanded(forwarded.file)
    await reporter.choose("Selesai", then="sudah lengkap kami terima")


async def test_twenty_reporters_at_once_each_in_order(bot: WaBot) -> None:
    async def file(n: int) -> str:
        reporter = WaReporter(bot.wa, bot.wa.user(f"628120000{n:04d}", f"R{n}"))
        await reporter.answer("lapor", then="Identitas Pelapor")
        await reporter.choose("Lapor Anonim", then="Tindakan")
        await reporter.choose("Pengaduan Layanan", then="Jenis Layanan")
        await reporter.choose("SIMAE", then="Keluhan")
        await reporter.answer("Aplikasi SIMAE gagal menyimpan data sejak kemarin.", then="Link")
        await reporter.choose("Lewati", then="Persetujuan")
        await reporter.choose("Ya, saya bersedia", then="Ringkasan")
        done = await reporter.choose("Kirim Laporan", then="nomor registrasi")
        texts = [m.text for m in bot.wa.messages(reporter.wa_id)]
        assert not [t for t in texts if t.startswith("⚠️")], texts
        return done.text.split("*")[1]

    tickets = await asyncio.gather(*(file(n) for n in range(20)))
    assert len(set(tickets)) == 20


async def test_the_phone_question_takes_a_typed_number_or_the_own_contact_card(
    bot: WaBot, reporter: WaReporter
) -> None:
    await reporter.answer("lapor", then="Identitas Pelapor")
    await reporter.choose("Isi Identitas", then="Nama Pelapor")
    await reporter.answer("Maria Kolo", then="Telepon Pelapor")
    assert await bot.wa.send_contact(reporter.user, "+62 812-9999-0000", "6281299990000") == 200
    await reporter.expect("nomor Anda sendiri")  # someone else's card is refused
    assert await bot.wa.send_contact(reporter.user, "+62 812-3456-7890", WA_ID) == 200
    await reporter.expect("Email Pelapor")
    other = WaReporter(bot.wa, bot.wa.user("6281311112222", "Yosef"))
    await other.answer("lapor", then="Identitas Pelapor")
    await other.choose("Isi Identitas", then="Nama Pelapor")
    await other.answer("Yosef Tefa", then="Telepon Pelapor")
    saved = await other.answer("0813-1111-2222", then="tersimpan")
    assert "+6281311112222" in saved.text
    await other.expect("Email Pelapor")
