"""`wbs-officer` beside the running bot: what the CLI queues, the bot delivers (also when it
starts later), and CLI writes during a burst of reporter traffic neither fail nor stall the bot.

Real python-telegram-bot against the fake Bot API, one SQLite file shared by the bot and the CLI
(which runs in a thread, as a second process would, with its own connection).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from conversations.i18n import Lang
from conversations.ports import Outgoing
from officer_cli import context as cli_context
from officer_cli.main import app as officer_app
from storage.store import Store
from storage.vault import Vault
from tests.conftest import ADMIN_ID, OFFICER_GROUP, OFFICER_ID, Reporter, RunningBot
from tests.support.fake_telegram import FakeTelegram
from tests.test_many_reporters import file_quickly
from tests.test_reporter_journey import file_identified_violation
from tests.waiting import undelivered, wait_until

TICKET = re.compile(r"WBS-\d{4}-\d{4,}")


@pytest.fixture
def config(running_bot: RunningBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI's config: the bot's database, key and group; the CLI reads the bot's clock
    (both run on one machine's clock; the test's is frozen unless advanced)."""
    settings = running_bot.settings
    path = tmp_path / "config.toml"
    path.write_text(
        f"[telegram]\nofficer_chat_id = {OFFICER_GROUP}\n"
        f"officer_user_ids = [{OFFICER_ID}, {ADMIN_ID}]\nadmin_user_ids = [{ADMIN_ID}]\n"
        f'[storage]\ndatabase = "{settings.storage.database}"\n'
        f'[security]\nkey_file = "{settings.security.key_file}"\n'
    )
    monkeypatch.setattr(cli_context, "clock", running_bot.clock)
    return path


async def cli(config: Path, *args: str, who: str = str(OFFICER_ID)) -> Result:
    return await asyncio.to_thread(
        CliRunner().invoke, officer_app, ["--config", str(config), "--as", who, *args]
    )


async def test_a_cli_question_reaches_the_reporter_and_the_answer_the_group(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram, config: Path
) -> None:
    ticket = await file_identified_violation(reporter)
    await fake.next_message(OFFICER_GROUP, contains=f"Laporan baru {ticket}")

    asked = await cli(config, "cases", "ask", ticket, "Siapa saja saksinya?")
    assert asked.exit_code == 0, asked.output
    # Delivered by the bot's outbox job (every 2 s), not by the CLI.
    question = await reporter.expect("Pertanyaan dari petugas WBS", timeout=10)
    assert ticket in question.text and "Siapa saja saksinya?" in question.text
    notice = await fake.next_message(OFFICER_GROUP, contains="pertanyaan dikirim", timeout=10)
    assert ticket in notice.text

    reporter.send("Dua orang staf bidang mutasi.", reply_to=question.message_id)
    answer = await fake.next_message(OFFICER_GROUP, contains="jawaban pelapor", timeout=10)
    assert ticket in answer.text and "Dua orang staf" in answer.text

    moved = await cli(
        config, "cases", "move", ticket, "selesai", "--outcome", "terbukti",
        "--reason", "Terlapor dijatuhi hukuman disiplin.",
    )  # fmt: skip
    assert moved.exit_code == 1 and "tidak diizinkan" in moved.output  # kelengkapan → selesai
    assert (
        await cli(config, "cases", "move", ticket, "telaah", "--reason", "lengkap")
    ).exit_code == 0
    await fake.next_message(OFFICER_GROUP, contains="Penelaahan", timeout=10)
    closed = await cli(
        config, "cases", "move", ticket, "selesai", "--outcome", "terbukti",
        "--reason", "Terlapor dijatuhi hukuman disiplin.",
    )  # fmt: skip
    assert closed.exit_code == 0, closed.output
    end = await reporter.expect("telah selesai ditangani", timeout=10)
    assert "Terbukti" in end.text and "hukuman disiplin" in end.text

    # The group command sees what the CLI did, under the officer's name from the group.
    fake.send_text(fake.user(OFFICER_ID, "Budi"), f"/lihat {ticket}", chat=running_bot.group)
    detail = await fake.next_message(OFFICER_GROUP, contains="Riwayat", timeout=10)
    assert "pertanyaan ke pelapor: Siapa saja saksinya?" in detail.text
    assert "selesai" in detail.text


async def test_what_the_cli_queues_while_the_bot_is_down_arrives_when_it_starts(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram, config: Path
) -> None:
    ticket = await file_identified_violation(reporter)
    await fake.next_message(OFFICER_GROUP, contains=f"Laporan baru {ticket}")
    await running_bot.stop()

    asked = await cli(config, "cases", "ask", ticket, "Mohon kirim foto kuitansi.")
    assert asked.exit_code == 0, asked.output
    revealed = await cli(
        config, "identity", "reveal", ticket, "--reason", "Pemeriksaan", "--yes", who=str(ADMIN_ID)
    )
    assert revealed.exit_code == 0 and "Maria Kolo" in revealed.output
    # The bot is down: the question waits in the outbox (beside the group's notices).
    assert undelivered(running_bot.settings.storage.database) >= 1
    assert "Pertanyaan" not in " ".join(m.text for m in fake.messages(reporter.chat_id))

    await running_bot.start()
    question = await reporter.expect("Pertanyaan dari petugas WBS", timeout=10)
    assert "foto kuitansi" in question.text
    await fake.next_message(OFFICER_GROUP, contains="identitas pelapor dibuka", timeout=10)
    # The identity went to the terminal only: not to the group, not to the admin's chat.
    group_saw = " ".join(m.text for m in fake.messages(OFFICER_GROUP))
    assert "Maria Kolo" not in group_saw and "6281234567890" not in group_saw
    assert not fake.messages(ADMIN_ID)


async def test_cli_writes_during_a_burst_of_reporters(
    running_bot: RunningBot,
    reporter: Reporter,
    fake: FakeTelegram,
    config: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """20 reporters fill their forms while the CLI writes 20 notes and questions to one case:
    every CLI call succeeds at once, every reporter gets their own number, the questions reach
    the reporter through the bot."""
    caplog.set_level(logging.WARNING)
    fake.latency = 0.01
    ticket = await file_identified_violation(reporter)
    await fake.next_message(OFFICER_GROUP, contains=f"Laporan baru {ticket}")
    others = [Reporter(fake, fake.user(910000 + n, f"R{n}")) for n in range(20)]
    durations: list[float] = []

    def officer_writes() -> list[Result]:
        results = []
        runner = CliRunner()
        for n in range(20):
            command = ["cases", "ask"] if n % 2 else ["cases", "note"]
            started = time.monotonic()
            args = ["--config", str(config), "--as", str(OFFICER_ID), *command, ticket]
            results.append(runner.invoke(officer_app, [*args, f"Tulisan nomor {n}"]))
            durations.append(time.monotonic() - started)
        return results

    async def reporters() -> list[str]:
        started = time.monotonic()
        tickets = await asyncio.gather(*(file_quickly(r) for r in others))
        durations.append(-(time.monotonic() - started))  # negative: the reporters' time
        return tickets

    tickets, results = await asyncio.gather(reporters(), asyncio.to_thread(officer_writes))
    for result in results:
        assert result.exit_code == 0, result.output
    assert len(set(tickets)) == 20 and ticket not in tickets
    # A CLI write waits for the bot's short transactions, never for seconds (the busy timeout
    # is 5), and the bot keeps answering: all 20 forms are through within a few seconds.
    (reporters_took,) = [-d for d in durations if d < 0]
    assert max(durations) < 3.0 and reporters_took < 15.0, durations

    for n in range(1, 20, 2):
        question = await reporter.expect(f"Tulisan nomor {n}", timeout=15)
        assert "Pertanyaan dari petugas WBS" in question.text
    assert "Tulisan nomor 0" not in " ".join(m.text for m in fake.messages(reporter.chat_id))

    logged = await asyncio.to_thread(
        CliRunner().invoke, officer_app, ["--config", str(config), "audit", "log", ticket, "--json"]
    )
    history = json.loads(logged.output)
    assert [e["action"] for e in history].count("catatan") == 10
    assert [e["action"] for e in history].count("kelengkapan") == 10
    verified = await asyncio.to_thread(
        CliRunner().invoke, officer_app, ["--config", str(config), "audit", "verify"]
    )
    assert verified.exit_code == 0, verified.output
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not problems, problems
    assert "locked" not in caplog.text


@pytest.mark.parametrize("write", ["set_language", "enqueue"])
async def test_a_bot_write_waits_out_its_own_read_made_stale_by_the_cli(
    tmp_path: Path, write: str
) -> None:
    """The mechanism behind the burst test's rare failure, made deterministic: one coroutine of
    the bot is part-way through a SELECT when the CLI (another connection) commits; another
    coroutine's write must wait a moment, not fail."""
    data = tmp_path / "data"
    vault = Vault.open_or_create(data / "wbs.key")
    bot_store = await Store.open(data / "wbs.sqlite3", vault)
    cli_store = await Store.open(data / "wbs.sqlite3", vault)
    now = datetime.now(UTC)
    try:
        reading = await bot_store.connection._db.execute("SELECT name FROM sqlite_master")
        assert await reading.fetchone() is not None  # mid-iteration: its snapshot is held
        await cli_store.sessions.set_language("telegram:1", Lang.EN)  # the CLI commits
        statements: list[str] = []
        await bot_store.connection._db.set_trace_callback(statements.append)  # SQL as it runs
        writing = asyncio.create_task(
            bot_store.sessions.set_language("telegram:2", Lang.EN)
            if write == "set_language"
            else bot_store.outbox.enqueue([Outgoing("telegram:2", {"text": "x"}, "reply")], now)
        )
        # The write tried (and was refused: the snapshot is stale) before the read ends.
        await wait_until(lambda: "BEGIN IMMEDIATE" in statements, what="the write's BEGIN")
        assert not writing.done()
        await reading.close()  # the SELECT ends a moment later
        await asyncio.wait_for(writing, timeout=5)
    finally:
        await cli_store.close()
        await bot_store.close()
