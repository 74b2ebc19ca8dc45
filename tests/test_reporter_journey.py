"""A reporter files a WBS report on Telegram; it is stored safely and the officers are alerted.

Real python-telegram-bot, real HTTP against the fake Bot API on 127.0.0.1, real SQLite files.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

from typer.testing import CliRunner

from officer_cli.main import app as officer_app
from tests.conftest import (
    OFFICER_GROUP,
    Clock,
    Reporter,
    RunningBot,
    make_settings,
    walk_to_summary,
)
from tests.support import evidence_samples as samples
from tests.support.fake_telegram import FakeTelegram
from tests.waiting import outbox_at_rest, undelivered, wait_until

TICKET = re.compile(r"WBS-\d{4}-\d{4,}")
CHRONOLOGY = (
    "Pada 12 Maret 2024 Kepala Sub Bidang meminta <b>uang pelicin</b> & 'tanda terima kasih' "
    "sebesar lima juta rupiah agar berkas mutasi saya diproses."
)
PHOTO = samples.phone_jpeg()  # as a phone sends it: GPS, camera serial, thumbnail


async def file_identified_violation(reporter: Reporter) -> str:
    """The whole form, identified, category Pelanggaran Kode Etik; returns the ticket."""
    reporter.send("/start")
    await reporter.expect("Whistleblowing System")
    await reporter.choose("Buat Laporan", then="Identitas Pelapor")
    await reporter.choose("Isi Identitas", then="Nama Pelapor")
    await reporter.answer("Maria  Kolo", then="Telepon Pelapor")
    reporter.fake.send_contact(reporter.user, "6281234567890")
    await reporter.expect("Email Pelapor")
    await reporter.answer("Maria.Kolo@Example.com", then="Tindakan/Perbuatan yang Dilaporkan")
    await reporter.choose("Pelanggaran Kode Etik", then="Nama Terlapor")
    await reporter.answer("Yohanes Benu", then="Jabatan Terlapor")
    await reporter.choose("Lewati", then="Waktu Kejadian")
    await reporter.answer("12 Maret 2024", then="Lokasi Kejadian")
    await reporter.answer("Ruang Bidang Mutasi", then="Kronologi Kejadian")
    await reporter.answer(CHRONOLOGY, then="Nominal")
    await reporter.answer("5 juta", then="Link Bukti")
    reporter.fake.send_photo(reporter.user, PHOTO)
    await reporter.expect("Bukti diterima (total 1)")
    await reporter.answer("https://drive.google.com/file/d/abc123", then="total 2")
    await reporter.choose("Selesai", then="Persetujuan Untuk Dihubungi Kembali")
    summary = await reporter.choose("Ya, saya bersedia", then="Ringkasan Laporan")
    assert "Rp 5.000.000" in summary.text and "Yohanes Benu" in summary.text
    assert "2 bukti" in summary.text
    confirmation = await reporter.choose("Kirim Laporan", then="nomor registrasi")
    match = TICKET.search(confirmation.text)
    assert match, confirmation.text
    assert "/status" in confirmation.text and "dirahasiakan" in confirmation.text
    return match.group()


async def test_identified_report_reaches_the_group_without_the_reporter(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram, data_dir: Path
) -> None:
    ticket = await file_identified_violation(reporter)

    alert = await fake.next_message(OFFICER_GROUP, contains=ticket)
    for expected in (
        "Pelanggaran Kode Etik",
        "Yohanes Benu",
        "Ruang Bidang Mutasi",
        "12 Maret 2024",
        "Rp 5.000.000",
        "https://drive.google.com/file/d/abc123",
        "dirahasiakan",
        "5W1H",
    ):
        assert expected in alert.text, expected
    # The reporter's text is escaped: it shows as typed and forges no formatting.
    assert "<b>uang pelicin</b>" in alert.text
    for secret in (
        "Maria",
        "Kolo",
        "6281234567890",
        "maria.kolo",
        "maria_k",
        str(reporter.chat_id),
    ):
        assert secret.casefold() not in alert.text.casefold(), secret
    assert fake.buttons(alert) == ["Ambil", "Minta Kelengkapan", "Telaah", "Tolak"]

    photo = await fake.next_message(OFFICER_GROUP, contains=ticket)
    # Officers get the clean copy: the picture, without where and with what it was taken.
    assert photo.kind == "photo" and photo.file is not None and photo.file != PHOTO
    for marker in samples.JPEG_MARKERS:
        assert marker.encode() not in photo.file, marker
    assert "metadata dihapus" in alert.text and "JPEG" in alert.text

    # A copy of the database files alone reveals none of it (once all it caused is written).
    await wait_until(lambda: undelivered(data_dir / "wbs.sqlite3") == 0, what="all delivered")
    raw = b"".join(p.read_bytes() for p in data_dir.glob("wbs.sqlite3*"))
    raw += b"".join(p.read_bytes() for p in (data_dir / "evidence").iterdir())
    for secret in (
        "Maria Kolo",
        "+6281234567890",
        "maria.kolo@example.com",
        str(reporter.chat_id),
        "uang pelicin",
        "Yohanes Benu",
    ):
        assert secret.encode() not in raw, secret
    assert samples.CAMERA_SERIAL.encode() not in raw  # the sealed original too


async def test_officer_cli_shows_the_case_without_identity(
    running_bot: RunningBot, reporter: Reporter, tmp_path: Path
) -> None:
    ticket = await file_identified_violation(reporter)
    config = tmp_path / "config.toml"
    settings = running_bot.settings
    config.write_text(
        f'[storage]\ndatabase = "{settings.storage.database}"\n'
        f'[security]\nkey_file = "{settings.security.key_file}"\n'
    )
    runner = CliRunner()
    listed = await asyncio.to_thread(
        runner.invoke, officer_app, ["--config", str(config), "cases", "list", "--json"]
    )
    assert listed.exit_code == 0, listed.output
    (case,) = json.loads(listed.output)
    assert case["ticket"] == ticket and case["state"] == "baru" and case["outcome"] is None
    assert case["category"] == "Pelanggaran Kode Etik" and case["service"] is None
    assert case["anonymous"] is False and case["consent"] is True and case["amount"] == 5_000_000
    assert [e["kind"] for e in case["evidence"]] == ["photo", "link"]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", case["created_at"])
    assert case["history"][0]["action"] == "baru"  # the move into baru (stored as report_submitted)

    shown = await asyncio.to_thread(
        runner.invoke,
        officer_app,
        ["--config", str(config), "cases", "show", ticket.split("-")[-1], "--json"],
    )
    assert shown.exit_code == 0, shown.output
    full = json.loads(shown.output)
    assert full["accused_name"] == "Yohanes Benu" and full["location"] == "Ruang Bidang Mutasi"
    assert full["chronology"] == CHRONOLOGY and full["incident_time"]["start"] == "2024-03-12"
    for secret in ("Maria", "6281234567890", "example.com", str(reporter.chat_id)):
        assert secret not in shown.output and secret not in listed.output

    missing = await asyncio.to_thread(
        runner.invoke, officer_app, ["--config", str(config), "cases", "show", "WBS-2020-0099"]
    )
    assert missing.exit_code == 1 and "WBS-2020-0099" in missing.output


async def test_anonymous_service_complaint(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram
) -> None:
    await reporter.answer("/lapor", then="Identitas Pelapor")
    await reporter.choose("Lapor Anonim", then="Tindakan/Perbuatan yang Dilaporkan")
    services = await reporter.choose("Pengaduan Layanan", then="Jenis Layanan")
    assert fake.buttons(services) == [
        "SI IKAN MAS",
        "SIPORA",
        "SIMPEG",
        "SIMAE",
        "E-FORMASI",
        "PPK ONLINE",
        "LAPOR PNS MENINGGAL",
    ]
    await reporter.answer("simpeg", then="Keluhan")
    await reporter.answer(
        "Sejak 1 Maret 2024 saya tidak bisa masuk ke SIMPEG, akun terkunci.", then="Link Bukti"
    )
    await reporter.choose("Lewati", then="Persetujuan")
    summary = await reporter.choose("Ya, saya bersedia", then="Ringkasan Laporan")
    assert "Nama Pelapor" not in summary.text and "SIMPEG" in summary.text
    confirmation = await reporter.choose("Kirim Laporan", then="nomor registrasi")
    ticket = TICKET.search(confirmation.text)
    assert ticket
    alert = await fake.next_message(OFFICER_GROUP, contains=ticket.group())
    assert "Pengaduan Layanan" in alert.text and "SIMPEG" in alert.text and "anonim" in alert.text


async def test_every_bad_answer_gets_a_reason_an_example_and_the_same_question(
    running_bot: RunningBot, reporter: Reporter
) -> None:
    await reporter.answer("/lapor", then="Identitas Pelapor")
    await reporter.choose("Isi Identitas", then="Nama Pelapor")
    cases = [
        ("Nama Pelapor", "M", "Maria Kolo", "Telepon Pelapor"),
        ("Telepon Pelapor", "+1 202 555 0100", "0812-3456-7890", "Email Pelapor"),
        ("Email Pelapor", "maria@", "maria@example.com", "Tindakan/Perbuatan"),
    ]
    for question, bad, good, following in cases:
        reporter.send(bad)
        warning = await reporter.expect("⚠️")
        assert "Contoh" in warning.text, warning.text
        await reporter.expect(question)
        await reporter.answer(good, then=following)
    await reporter.answer("9", then="⚠️")  # not a category number: only 5 buttons
    await reporter.answer("Penipuan", then="Nama Terlapor")
    await reporter.answer("Yohanes Benu", then="Jabatan Terlapor")
    await reporter.answer("lewati", then="Waktu Kejadian")
    for bad in ("entah kapan", "12 Maret 2099", "31/02/2024"):
        reporter.send(bad)
        warning = await reporter.expect("⚠️")
        assert "Contoh" in warning.text
        await reporter.expect("Waktu Kejadian")
    await reporter.answer("Januari - Maret 2024", then="Lokasi Kejadian")
    await reporter.answer("Kupang", then="Kronologi Kejadian")
    reporter.send("terlalu pendek")
    assert "Contoh" in (await reporter.expect("⚠️")).text
    await reporter.answer(CHRONOLOGY, then="Nominal")
    reporter.send("banyak sekali")
    # Moments after a story, a message that is no amount may be more of the story: asked.
    await reporter.expect("Apakah ini lanjutan Kronologi Kejadian?")
    reporter.press("Bukan")
    assert "Contoh" in (await reporter.expect("⚠️")).text
    await reporter.answer("Rp 2,5 juta", then="Link Bukti")
    reporter.send("bukan link")
    assert "Contoh" in (await reporter.expect("⚠️")).text
    await reporter.choose("Lewati", then="Persetujuan")
    summary = await reporter.choose("Ya, saya bersedia", then="Ringkasan Laporan")
    assert "Rp 2.500.000" in summary.text and "Januari - Maret 2024" in summary.text


async def test_edit_from_the_summary_then_reset(
    running_bot: RunningBot, reporter: Reporter
) -> None:
    await walk_to_summary(
        reporter,
        service="SIPORA",
        complaint="Aplikasi SIPORA tidak bisa dibuka sejak kemarin pagi.",
    )

    await reporter.choose("Ubah", then="Bagian mana")
    question = await reporter.choose("Jenis Layanan", then="Jenis Layanan")
    assert "Jawaban sekarang: SIPORA" in question.text
    summary = await reporter.choose("E-FORMASI", then="Ringkasan Laporan")
    assert "E-FORMASI" in summary.text and "SIPORA</" not in summary.text

    # Changing the category to a violation asks that branch's fields before the summary.
    await reporter.choose("Ubah", then="Bagian mana")
    await reporter.choose("Tindakan/Perbuatan yang Dilaporkan", then="Jawaban sekarang")
    await reporter.choose("Pelanggaran Hukum", then="Nama Terlapor")
    await reporter.answer("Yohanes Benu", then="Jabatan Terlapor")
    await reporter.choose("Lewati", then="Waktu Kejadian")
    await reporter.answer("Maret 2024", then="Lokasi Kejadian")
    await reporter.answer("Kupang", then="Kronologi Kejadian")
    await reporter.answer(CHRONOLOGY, then="Nominal")
    summary = await reporter.choose("Tidak Ada", then="Ringkasan Laporan")
    assert "Jenis Layanan" not in summary.text and "Pelanggaran Hukum" in summary.text

    await reporter.choose("Reset", then="Kosongkan semua isian")
    await reporter.choose("Tidak", then="Ringkasan Laporan")
    await reporter.choose("Reset", then="Kosongkan semua isian")
    await reporter.choose("Ya, kosongkan", then="Identitas Pelapor")


async def test_status_lists_own_reports_and_cancel_drops_the_draft(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram
) -> None:
    await reporter.answer("/status", then="belum mengirim laporan")
    ticket = await file_identified_violation(reporter)
    status = await reporter.answer("/status", then="Laporan Anda")
    assert ticket in status.text and "Diterima" in status.text

    other = Reporter(fake, fake.user(777002, "Budi"))
    await other.answer("/status", then="belum mengirim laporan")

    await reporter.answer("/lapor", then="Identitas Pelapor")
    await reporter.choose("Lapor Anonim", then="Tindakan")
    await reporter.answer("/batal", then="Batalkan laporan ini")
    await reporter.choose("Ya, batalkan", then="dibatalkan")
    await reporter.answer("/lapor", then="Identitas Pelapor")  # no draft to resume


async def test_a_telegram_outage_delays_the_alert_but_never_loses_it(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram
) -> None:
    await walk_to_summary(
        reporter,
        service="SIMAE",
        complaint="SIMAE menolak unggahan dokumen PDF saya sejak minggu lalu.",
    )

    fake.fail_next("sendMessage", count=4, error_code=502, description="Bad Gateway")
    reporter.press("Kirim Laporan")
    database, clock = running_bot.settings.storage.database, running_bot.clock
    # Stored, its first sends refused: the receipt and the alert wait for a retry.
    await wait_until(
        lambda: undelivered(database) > 0 and outbox_at_rest(database, clock()),
        what="the report's messages waiting for a retry",
    )
    assert not [m for m in fake.messages(OFFICER_GROUP) if "WBS-" in (m.text or "")]
    assert running_bot.app is not None
    dispatcher = running_bot.app.bot_data["services"].dispatcher
    for _ in range(6):  # the retries fall due; the outbox looks (as its job does every 2 s)
        clock.advance(minutes=5)
        await dispatcher.deliver()
        await wait_until(lambda: outbox_at_rest(database, clock()), what="the outbox at rest")
    confirmation = await reporter.expect("nomor registrasi", timeout=10)
    ticket = TICKET.search(confirmation.text)
    assert ticket
    await fake.next_message(OFFICER_GROUP, contains=ticket.group(), timeout=10)


async def test_a_restart_keeps_the_draft_and_offers_to_continue(
    running_bot: RunningBot, reporter: Reporter
) -> None:
    await reporter.answer("/lapor", then="Identitas Pelapor")
    await reporter.choose("Isi Identitas", then="Nama Pelapor")
    await reporter.answer("Maria Kolo", then="Telepon Pelapor")
    await running_bot.restart()
    await reporter.answer("/lapor", then="belum dikirim")
    await reporter.choose("Lanjutkan", then="Telepon Pelapor")
    await reporter.answer("0812 3456 7890", then="Email Pelapor")


async def test_alerts_wait_for_a_group_the_bot_is_not_in_yet(
    fake: FakeTelegram, data_dir: Path, clock: Clock, reporter: Reporter
) -> None:
    bot = RunningBot(fake, make_settings(data_dir, fake), clock)  # no group exists yet
    await bot.start()
    try:
        await walk_to_summary(
            reporter,
            service="SIPORA",
            complaint="SIPORA tidak bisa dibuka sama sekali sejak pagi.",
        )
        confirmation = await reporter.choose("Kirim Laporan", then="nomor registrasi")
        ticket = TICKET.search(confirmation.text)
        assert ticket
        # "Bad Request: chat not found": the alert is kept, retried every 10 min.
        database = bot.settings.storage.database
        await wait_until(
            lambda: undelivered(database) == 1 and outbox_at_rest(database, clock()),
            what="the alert waiting for a retry",
        )

        fake.group(OFFICER_GROUP, "Tim WBS")  # the bot is added to the group
        clock.advance(minutes=11)
        await fake.next_message(OFFICER_GROUP, contains=f"Laporan baru {ticket.group()}", timeout=8)
    finally:
        await bot.stop()
