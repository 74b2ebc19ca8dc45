"""WhatsApp's 24-hour window: outside it, questions and reminders go as the approved template,
once, and the queued texts follow as soon as the reporter writes, in order."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.test_whatsapp_harness import (
    TEMPLATE,
    TICKET,
    WaBot,
    WaReporter,
    file_violation_on_whatsapp,
    whatsapp_bot,
)
from tests.waiting import wait_until

WA_ID = "6281234567890"


@pytest.fixture
async def bot(data_dir: Path) -> AsyncIterator[WaBot]:
    async with whatsapp_bot(data_dir) as running:
        yield running


@pytest.fixture
def reporter(bot: WaBot) -> WaReporter:
    return WaReporter(bot.wa, bot.wa.user(WA_ID, "Maria Kolo"))


def waiting_rows(data_dir: Path) -> list[str]:
    with sqlite3.connect(data_dir / "wbs.sqlite3") as connection:
        rows = connection.execute(
            "SELECT last_error FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
        ).fetchall()
    return [row[0] or "" for row in rows]


def waits_past(data_dir: Path, now: datetime) -> bool:
    """What is queued (the question; a reminder the scheduler may add) was looked at by now
    and waits for the window past `now`."""
    with sqlite3.connect(data_dir / "wbs.sqlite3") as connection:
        rows = connection.execute(
            "SELECT due_at, last_error FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
        ).fetchall()
    return bool(rows) and all(
        "24-hour window" in (error or "") and datetime.fromisoformat(due) > now
        for due, error in rows
    )


async def ask(bot: WaBot, ticket: str, question: str) -> None:
    bot.group_say(5001, f"/tanya {ticket} {question}")
    await bot.group_expect("pertanyaan dikirim")


async def test_a_question_outside_the_window_goes_as_the_template_then_follows(
    bot: WaBot, reporter: WaReporter, data_dir: Path
) -> None:
    ticket = await file_violation_on_whatsapp(reporter)
    await bot.group_expect(f"Laporan baru {ticket}")
    before = len(bot.wa.messages(WA_ID))

    bot.clock.advance(hours=25)
    await ask(bot, ticket, "Kapan tepatnya uang diminta?")
    template = await reporter.expect(f"template:{TEMPLATE}:id")
    assert template.type == "template"
    await ask(bot, ticket, "Siapa saksinya?")  # a second one waits too: no second template
    await bot.services.dispatcher.deliver()
    sent = bot.wa.messages(WA_ID)[before:]
    assert [m.type for m in sent] == ["template"]
    assert not any(m.outside_window for m in bot.wa.sent)  # nothing WhatsApp would refuse
    waiting = waiting_rows(data_dir)
    assert len(waiting) == 2 and "24-hour window" in waiting[0]

    # Days later the scheduler's reminder queues up behind them: one more template for it
    # (at most one a day, and only when something new waits).
    bot.clock.advance(days=4)
    services = bot.services
    await services.dispatcher.deliver(await services.followups.scan())
    await services.dispatcher.deliver()
    sent = bot.wa.messages(WA_ID)[before:]
    assert [m.type for m in sent] == ["template", "template"]
    reminders = len(waiting_rows(data_dir)) - 2
    assert reminders >= 1
    await services.dispatcher.deliver()
    assert len(bot.wa.messages(WA_ID)) == before + 2

    # The reporter writes: the questions and the reminder arrive, in order, nothing else.
    await reporter.send("Halo, ada apa?")
    first = await reporter.expect("Pertanyaan dari petugas WBS")
    second = await reporter.expect("Pertanyaan dari petugas WBS")
    assert "Kapan tepatnya" in first.text and "Siapa saksinya" in second.text
    for _ in range(reminders):
        await reporter.expect(ticket)
    await bot.idle()
    assert len(bot.wa.messages(WA_ID)) == before + 4 + reminders  # no welcome menu on top
    assert waiting_rows(data_dir) == []

    # A quoted reply to the released question is the answer.
    await reporter.send("Dua orang staf bidang mutasi.", reply_to=second.id)
    await reporter.expect("jawaban Anda untuk")
    answer = await bot.group_expect("jawaban pelapor")
    assert ticket in answer.text and "Dua orang staf" in answer.text


async def test_a_reminder_from_the_scheduler_uses_the_template_and_waits(
    bot: WaBot, reporter: WaReporter
) -> None:
    await reporter.answer("lapor", then="Identitas Pelapor")
    await reporter.choose("Lapor Anonim", then="Tindakan")
    await reporter.choose("Pengaduan Layanan", then="Jenis Layanan")
    await reporter.choose("SIPORA", then="Keluhan")
    await reporter.answer("Pengajuan cuti saya di SIPORA ditolak tanpa alasan.", then="Link Bukti")
    await reporter.choose("Lewati", then="Persetujuan")
    await reporter.choose("Ya, saya bersedia", then="Ringkasan")
    confirmation = await reporter.choose("Kirim Laporan", then="nomor registrasi")
    ticket = TICKET.search(confirmation.text)
    assert ticket is not None

    # Days later the scheduler finds the evidence reminder due (no evidence was sent).
    bot.clock.advance(days=5)
    services = bot.services
    await services.dispatcher.deliver(await services.followups.scan())
    template = await reporter.expect(f"template:{TEMPLATE}")
    assert template.type == "template"
    assert not any(m.outside_window for m in bot.wa.sent)

    # Tapping the template's quick-reply button opens the chat: the reminder follows.
    assert await bot.wa.press_template_button(reporter.user) == 200
    reminder = await reporter.expect(ticket.group())
    assert reminder.type == "text" and "/bukti" in reminder.text
    await bot.idle()
    assert bot.wa.messages(WA_ID)[-1] is reminder  # and no welcome menu on top


async def test_when_whatsapp_says_the_window_closed_the_message_is_sent_again_later(
    bot: WaBot, reporter: WaReporter
) -> None:
    ticket = await file_violation_on_whatsapp(reporter)
    await bot.group_expect(f"Laporan baru {ticket}")
    # WhatsApp's clock disagrees with ours: for WhatsApp the last message is a day old.
    bot.wa.last_inbound[WA_ID] = bot.clock() - timedelta(days=2)
    await ask(bot, ticket, "Apakah ada bukti transfer?")
    refused = await reporter.expect("Pertanyaan dari petugas WBS")
    assert refused.outside_window  # accepted, then a `failed` status (131047) comes back
    template = await reporter.expect(f"template:{TEMPLATE}")
    assert template.type == "template"

    await reporter.send("Saya di sini.")
    again = await reporter.expect("Pertanyaan dari petugas WBS")
    assert "bukti transfer" in again.text and not again.outside_window


async def test_without_a_template_the_message_waits_for_the_reporter(data_dir: Path) -> None:
    async with whatsapp_bot(data_dir, followup_template="") as bot:
        reporter = WaReporter(bot.wa, bot.wa.user(WA_ID, "Maria Kolo"))
        ticket = await file_violation_on_whatsapp(reporter)
        await bot.group_expect(f"Laporan baru {ticket}")
        before = len(bot.wa.messages(WA_ID))
        bot.clock.advance(hours=30)
        await ask(bot, ticket, "Kapan?")
        await bot.services.dispatcher.deliver()
        assert len(bot.wa.messages(WA_ID)) == before  # nothing WhatsApp would refuse
        await reporter.send("/status")
        await reporter.expect("Pertanyaan dari petugas WBS")
        await reporter.expect("Laporan Anda")  # the command's answer comes after it


async def test_a_question_waits_for_the_reporter_however_long_it_takes(
    bot: WaBot, reporter: WaReporter, data_dir: Path
) -> None:
    """Waiting for the reporter is not a failure: no give-up after the outbox's week."""
    ticket = await file_violation_on_whatsapp(reporter)
    await bot.group_expect(f"Laporan baru {ticket}")
    bot.clock.advance(hours=25)
    await ask(bot, ticket, "Kapan tepatnya uang diminta?")
    await reporter.expect(f"template:{TEMPLATE}:id")
    for _ in range(3):  # ten days pass, the outbox looks now and then: the question waits on
        await wait_until(lambda: waits_past(data_dir, bot.clock()), what="the question waiting")
        bot.clock.advance(days=10 / 3)
        await bot.services.dispatcher.deliver()  # (or the outbox job's round, whichever first)
    await wait_until(lambda: waits_past(data_dir, bot.clock()), what="the question waiting")
    await reporter.send("Maaf baru sempat buka WhatsApp.")
    question = await reporter.expect("Pertanyaan dari petugas WBS")
    assert "Kapan tepatnya" in question.text


async def test_a_reporter_who_writes_while_the_template_is_on_its_way_gets_the_question_at_once(
    bot: WaBot, reporter: WaReporter
) -> None:
    """The sender judged the window closed before they wrote; it must not make them wait a day."""
    ticket = await file_violation_on_whatsapp(reporter)
    await bot.group_expect(f"Laporan baru {ticket}")
    bot.clock.advance(hours=25)
    bot.wa.answers_wait = asyncio.Event()  # the Graph API is slow to answer
    await ask(bot, ticket, "Kapan tepatnya uang diminta?")
    await reporter.expect(f"template:{TEMPLATE}:id")  # on the phone; the bot awaits the answer
    await reporter.send("Halo, ada apa?")
    await bot.idle()
    bot.wa.answers_wait.set()
    question = await reporter.expect("Pertanyaan dari petugas WBS")
    assert "Kapan tepatnya" in question.text
