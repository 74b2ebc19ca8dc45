"""On WhatsApp too, an answer typed without quoting the question reaches the officers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conftest import OFFICER_ID
from tests.test_whatsapp_harness import PHOTO, WaBot, WaReporter, whatsapp_bot


@pytest.fixture
async def bot(data_dir: Path) -> AsyncIterator[WaBot]:
    async with whatsapp_bot(data_dir) as running:
        yield running


@pytest.fixture
def reporter(bot: WaBot) -> WaReporter:
    return WaReporter(bot.wa, bot.wa.user("6281234567890", "Maria Kolo"))


async def file_complaint(reporter: WaReporter) -> str:
    """An anonymous service complaint, typed the WhatsApp way; returns the ticket."""
    await reporter.answer("lapor", then="Identitas Pelapor")
    await reporter.choose("Lapor Anonim", then="Tindakan/Perbuatan yang Dilaporkan")
    await reporter.choose("Pengaduan Layanan", then="Jenis Layanan")
    await reporter.choose("SIMPEG", then="Keluhan")
    await reporter.answer(
        "Data riwayat jabatan saya di SIMPEG tidak berubah sejak tiga bulan.", then="Link Bukti"
    )
    await reporter.choose("Lewati", then="Persetujuan")
    await reporter.choose("Ya, saya bersedia", then="Ringkasan Laporan")
    confirmation = await reporter.choose("Kirim Laporan", then="nomor registrasi")
    return confirmation.text.split("*")[1]


async def ask(bot: WaBot, reporter: WaReporter, ticket: str, question: str) -> None:
    bot.group_say(OFFICER_ID, f"/tanya {ticket} {question}")
    await bot.group_expect("pertanyaan dikirim")
    await reporter.expect(question)


async def test_one_waiting_case_takes_the_typed_answer_and_the_photo(
    bot: WaBot, reporter: WaReporter
) -> None:
    ticket = await file_complaint(reporter)
    await bot.group_expect(f"Laporan baru {ticket}")
    await ask(bot, reporter, ticket, "Sejak tanggal berapa?")

    await reporter.send("Sejak 2 Januari 2026.")  # not quoting the question
    confirmed = await reporter.expect("sudah diteruskan")
    assert ticket in confirmed.text
    answer = await bot.group_expect("jawaban pelapor")
    assert ticket in answer.text and "2 Januari 2026" in answer.text

    await reporter.send_image(PHOTO)
    assert ticket in (await reporter.expect("(berkas) sudah diteruskan")).text
    photo = await bot.group_expect(ticket)
    while photo.kind != "photo":
        photo = await bot.group_expect(ticket)
    assert photo.file  # the cleaned copy (the sanitiser strips its metadata)
    assert not any("Buat Laporan" in m.labels for m in reporter.seen[-3:])


async def test_two_waiting_cases_ask_which_one(bot: WaBot, reporter: WaReporter) -> None:
    first = await file_complaint(reporter)
    second = await file_complaint(reporter)
    await ask(bot, reporter, first, "Akun apa yang terkunci?")
    await ask(bot, reporter, second, "Sudah lapor ke admin?")

    await reporter.send("Sudah, tapi belum dibalas.")
    which = await reporter.expect("Untuk laporan yang mana")
    assert which.labels == [first, second]
    confirmed = await reporter.choose(second, then="sudah diteruskan")
    assert second in confirmed.text
    answer = await bot.group_expect("jawaban pelapor")
    assert second in answer.text and "belum dibalas" in answer.text
