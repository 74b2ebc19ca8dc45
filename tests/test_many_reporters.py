"""Many reporters at once: each chat in order, chats concurrently, each report numbered once."""

from __future__ import annotations

import asyncio
import re

from tests.conftest import OFFICER_GROUP, Reporter, RunningBot
from tests.support.fake_telegram import FakeTelegram

TICKET = re.compile(r"WBS-\d{4}-\d{4,}")
QUESTIONS = [
    "Identitas Pelapor",
    "Tindakan/Perbuatan",
    "Jenis Layanan",
    "Keluhan",
    "Link Bukti",
    "Persetujuan",
    "Ringkasan Laporan",
    "nomor registrasi",
]


async def file_quickly(reporter: Reporter) -> str:
    """Answers typed back to back without waiting: the bot must still take them in order."""
    for text in ("/lapor", "Lapor Anonim", "Pengaduan Layanan", "SIMPEG"):
        reporter.send(text)
    reporter.send("Tidak bisa mengunggah SK ke SIMPEG sejak Senin pagi.")
    for text in ("Lewati", "Ya, saya bersedia", "Kirim Laporan"):
        reporter.send(text)
    confirmation = await reporter.expect("nomor registrasi", timeout=30)
    match = TICKET.search(confirmation.text)
    assert match
    return match.group()


async def test_forty_reporters_typing_at_once_each_get_their_own_number(
    running_bot: RunningBot, fake: FakeTelegram
) -> None:
    fake.latency = 0.01
    reporters = [Reporter(fake, fake.user(900000 + n, f"R{n}")) for n in range(40)]
    tickets = await asyncio.gather(*(file_quickly(r) for r in reporters))
    assert len(set(tickets)) == 40

    for reporter in reporters:
        texts = [m.text for m in fake.messages(reporter.chat_id)]
        warnings = [t for t in texts if t.startswith("⚠️")]
        assert not warnings, warnings
        positions = [next(i for i, t in enumerate(texts) if q in t) for q in QUESTIONS]
        assert positions == sorted(positions), texts

    def alerted() -> list[str]:
        alerts = (m for m in fake.messages(OFFICER_GROUP) if "Laporan baru" in m.text)
        found = (TICKET.search(m.text) for m in alerts)
        return sorted(match.group() for match in found if match)

    await fake.wait_until(lambda: len(alerted()) >= 40, timeout=10, what="40 alerts")
    assert alerted() == sorted(tickets)
