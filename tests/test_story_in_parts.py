"""People tell the chronology in several bubbles, or paste one the app splits: nothing is lost."""

from __future__ import annotations

import asyncio
import re

from tests.conftest import OFFICER_GROUP, Reporter, RunningBot
from tests.support.fake_telegram import FakeTelegram

TICKET = re.compile(r"WBS-\d{4}-\d{4,}")
BUBBLES = (
    "Tanggal 12 Maret kepala sub bidang memanggil saya ke ruangannya.",
    "Dia minta uang 5 juta supaya SK mutasi saya keluar.",
    "Saya menolak dan sejak itu berkas saya ditahan.",
)


async def walk_to_chronology(reporter: Reporter) -> None:
    await reporter.answer("/lapor", then="Identitas Pelapor")
    await reporter.choose("Lapor Anonim", then="Tindakan")
    await reporter.choose("Pelanggaran Kode Etik", then="Nama Terlapor")
    await reporter.answer("Yohanes Benu", then="Jabatan Terlapor")
    await reporter.choose("Lewati", then="Waktu Kejadian")
    await reporter.answer("12 Maret 2024", then="Lokasi Kejadian")
    question = await reporter.answer("Ruang Bidang Mutasi", then="Kronologi Kejadian")
    assert "20.000" in question.text and "beberapa pesan" in question.text


async def send_report(reporter: Reporter) -> str:
    await reporter.choose("Lewati", then="Persetujuan")
    await reporter.choose("Ya, saya bersedia", then="Ringkasan Laporan")
    for _ in range(100):  # a long summary comes in parts; its buttons are on the last one
        if any(
            "Kirim Laporan" in reporter.fake.buttons(m)
            for m in reporter.fake.messages(reporter.chat_id)
        ):
            break
        await asyncio.sleep(0.05)
    confirmation = await reporter.choose("Kirim Laporan", then="nomor registrasi")
    match = TICKET.search(confirmation.text)
    assert match, confirmation.text
    return match.group()


async def test_a_chronology_in_three_bubbles_is_kept_whole(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram
) -> None:
    await walk_to_chronology(reporter)
    await reporter.answer(BUBBLES[0], then="Nominal")
    asked = await reporter.answer(BUBBLES[1], then="Apakah ini lanjutan Kronologi Kejadian?")
    assert fake.buttons(asked) == ["Ya, tambahkan", "Bukan"]
    await reporter.choose("Ya, tambahkan", then="Ditambahkan ke Kronologi Kejadian")
    await reporter.expect("Nominal")  # the current question again
    await reporter.answer(BUBBLES[2], then="lanjutan Kronologi Kejadian")
    added = await reporter.choose("Ya, tambahkan", then="Ditambahkan ke Kronologi Kejadian")
    assert f"sekarang {len(chr(10).join(BUBBLES))} karakter" in added.text

    # A wrong amount is not the story: "Bukan" gives the amount's own reason.
    await reporter.answer("banyak sekali", then="lanjutan Kronologi Kejadian")
    await reporter.choose("Bukan", then="Nominal")
    await reporter.answer("5 juta", then="Link Bukti")
    ticket = await send_report(reporter)

    alert = await fake.next_message(OFFICER_GROUP, contains=f"Laporan baru {ticket}")
    for bubble in BUBBLES:
        assert bubble in alert.text, bubble
    assert "banyak sekali" not in alert.text


async def test_a_long_paste_split_by_the_app_is_joined_without_asking(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram
) -> None:
    await walk_to_chronology(reporter)
    paste = ("Kronologi panjang kejadian di ruang mutasi. " * 140)[:6000]
    first, second = paste[:4096].rstrip(), paste[4096:].strip()  # as Telegram splits it
    reporter.send(first)
    reporter.send(second)
    added = await reporter.expect("Ditambahkan ke Kronologi Kejadian")
    joined = f"{first}\n{second}"
    assert f"sekarang {len(joined)} karakter" in added.text
    assert not [m for m in fake.messages(reporter.chat_id) if "Apakah ini lanjutan" in m.text]
    assert not [m for m in fake.messages(reporter.chat_id) if "terlalu panjang" in m.text]
    await reporter.expect("Nominal")
    await reporter.answer("Tidak Ada", then="Link Bukti")
    ticket = await send_report(reporter)
    stored = await running_bot.app.bot_data["services"].store.reports.get(ticket)
    assert stored.content["chronology"] == joined


async def test_edit_offers_to_add_to_a_story(running_bot: RunningBot, reporter: Reporter) -> None:
    await walk_to_chronology(reporter)
    await reporter.answer(BUBBLES[0], then="Nominal")
    await reporter.answer("5 juta", then="Link Bukti")
    await reporter.choose("Lewati", then="Persetujuan")
    await reporter.choose("Ya, saya bersedia", then="Ringkasan Laporan")
    await reporter.choose("Ubah", then="Bagian mana")
    await reporter.choose("Kronologi Kejadian", then="Kronologi Kejadian")
    await reporter.choose("Tambahkan", then="ditambahkan")
    await reporter.answer(BUBBLES[1], then="Ditambahkan ke Kronologi Kejadian")
    summary = await reporter.expect("Ringkasan Laporan")
    assert BUBBLES[0] in summary.text and BUBBLES[1] in summary.text
