"""Nothing falls through the cracks: reminders and deadlines arrive, once each, across a restart.

Second-scale durations; the bot's clock is the test's, moved forward by hand; the scheduler
really wakes up every second to look at the database, and the test also has it look at once
after each move (two scanners at a time: still once each).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import (
    OFFICER_GROUP,
    OFFICER_ID,
    Clock,
    Reporter,
    RunningBot,
    make_settings,
    walk_to_summary,
)
from tests.support.fake_telegram import FakeTelegram
from tests.waiting import outbox_at_rest, wait_until

TICKET = re.compile(r"WBS-\d{4}-\d{4,}")
FAST = {
    "followup": {
        "evidence_reminder_after": "PT2S",
        "reminder_interval": "3",
        "max_reminders": 2,
        "response_deadline": "PT10S",
    },
    "sla": {
        "acknowledge_within": "PT5S",
        "resolve_within": "PT100S",
        "scan_interval": "PT1S",
        "count_working_days": False,
        "digest_time": "08:00",
    },
}


@pytest.fixture
async def fast_bot(fake: FakeTelegram, data_dir: Path) -> AsyncIterator[RunningBot]:
    clock = Clock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))  # 09:00 WITA, a Monday
    bot = RunningBot(fake, make_settings(data_dir, fake, **FAST), clock)
    bot.group = fake.group(OFFICER_GROUP, "Tim WBS")
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


async def pass_time(bot: RunningBot, seconds: float) -> None:
    """Move the bot's clock; the scheduler looks (now, as its job does every second) and what it
    queued is sent: every delivery round up to the new time has ended."""
    bot.clock.advance(seconds=seconds)
    assert bot.app is not None
    services = bot.app.bot_data["services"]
    await services.dispatcher.deliver(await services.followups.scan())
    database = bot.settings.storage.database
    await wait_until(lambda: outbox_at_rest(database, bot.clock()), what="the outbox at rest")


def count(fake: FakeTelegram, chat_id: int, text: str) -> int:
    return sum(text in m.text for m in fake.messages(chat_id))


async def test_reminders_and_deadlines_arrive_once_each_across_a_restart(
    fast_bot: RunningBot, fake: FakeTelegram, reporter: Reporter
) -> None:
    await walk_to_summary(
        reporter,
        service="SIMPEG",
        complaint="Data riwayat jabatan saya di SIMPEG hilang sejak Oktober.",
    )
    confirmation = await reporter.choose("Kirim Laporan", then="nomor registrasi")
    match = TICKET.search(confirmation.text)
    assert match
    ticket = match.group()

    digest = await fake.next_message(OFFICER_GROUP, contains="Ringkasan harian WBS", timeout=5)
    assert ticket in digest.text

    await pass_time(fast_bot, 2)
    assert count(fake, reporter.chat_id, "belum disertai bukti") == 1
    await pass_time(fast_bot, 3)
    assert count(fake, OFFICER_GROUP, f"{ticket} belum ditangani") == 1

    officer = fake.user(OFFICER_ID, "Budi")
    fake.send_text(officer, f"/tanya {ticket} Sejak tanggal berapa tepatnya?", chat=fast_bot.group)
    await reporter.expect("Pertanyaan dari petugas WBS")

    await pass_time(fast_bot, 3)
    assert count(fake, reporter.chat_id, "Pengingat (1)") == 1
    await fast_bot.restart()  # nothing is kept in memory
    await pass_time(fast_bot, 3)
    assert count(fake, reporter.chat_id, "Pengingat (2)") == 1
    await pass_time(fast_bot, 5)
    assert count(fake, OFFICER_GROUP, "pelapor tidak merespons") == 1
    await pass_time(fast_bot, 10)

    # Exactly once each, however many scans and restarts happened.
    assert count(fake, reporter.chat_id, "belum disertai bukti") == 1
    assert count(fake, reporter.chat_id, "Pengingat (") == 2
    assert count(fake, OFFICER_GROUP, "pelapor tidak merespons") == 1
    assert count(fake, OFFICER_GROUP, f"{ticket} belum ditangani") == 1
    assert count(fake, OFFICER_GROUP, "Ringkasan harian WBS") == 1

    fake.send_text(officer, "/kasus", chat=fast_bot.group)
    listing = await fake.next_message(OFFICER_GROUP, contains="Kasus (1)")
    assert "🚩" in listing.text


async def test_an_answer_stops_the_reminders(
    fast_bot: RunningBot, fake: FakeTelegram, reporter: Reporter
) -> None:
    await walk_to_summary(
        reporter,
        service="SIMAE",
        complaint="Unggahan SK di SIMAE selalu gagal dengan pesan galat.",
        link="https://drive.google.com/file/d/xyz",
    )
    confirmation = await reporter.choose("Kirim Laporan", then="nomor registrasi")
    match = TICKET.search(confirmation.text)
    assert match
    officer = fake.user(OFFICER_ID, "Budi")
    fake.send_text(officer, f"/tanya {match.group()} Pesan galatnya apa?", chat=fast_bot.group)
    question = await reporter.expect("Pertanyaan dari petugas WBS")
    reporter.send("Tertulis 'format tidak didukung'.", reply_to=question.message_id)
    await reporter.expect("diteruskan ke petugas")
    await pass_time(fast_bot, 12)
    assert count(fake, reporter.chat_id, "Pengingat") == 0
    assert count(fake, reporter.chat_id, "belum disertai bukti") == 0
    assert count(fake, OFFICER_GROUP, "tidak merespons") == 0
