"""Drafts survive anything: `wbs-bot run` is killed with SIGKILL mid-form and started again."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.conftest import OFFICER_GROUP, Reporter
from tests.support.fake_telegram import FakeTelegram
from tests.waiting import wait_until

WBS_BOT = Path(sys.executable).with_name("wbs-bot")


def write_config(folder: Path, fake: FakeTelegram) -> Path:
    config = folder / "config.toml"
    config.write_text(
        f"""
[telegram]
token = "{fake.token}"
api_base_url = "{fake.base_url}"
file_base_url = "{fake.base_file_url}"
officer_chat_id = {OFFICER_GROUP}
rate_limit = false

[storage]
database = "data/wbs.sqlite3"

[security]
key_file = "data/wbs.key"
"""
    )
    return config


async def start_bot(config: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        str(WBS_BOT),
        "run",
        "--config",
        str(config),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def polling(fake: FakeTelegram, *, since: int) -> None:
    """Wait until the started process asks for updates (its first getUpdates after `since`)."""
    await wait_until(
        lambda: len(fake.calls_to("getUpdates")) > since, timeout=60, what="the bot polling"
    )


async def test_a_killed_bot_resumes_the_draft_where_the_reporter_left(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    fake.group(OFFICER_GROUP, "Tim WBS")
    config = write_config(tmp_path, fake)
    reporter = Reporter(fake, fake.user(880001, "Yosef"))

    process = await start_bot(config)
    try:
        await polling(fake, since=0)  # a new process takes its time on a busy machine
        await reporter.answer("/lapor", then="Identitas Pelapor")
        await reporter.choose("Lapor Anonim", then="Tindakan")
        await reporter.choose("Pelanggaran Benturan Kepentingan", then="Nama Terlapor")
        await reporter.answer("Yohanes Benu", then="Jabatan Terlapor")
    finally:
        process.send_signal(signal.SIGKILL)
        await process.wait()
    assert process.returncode == -signal.SIGKILL

    before = len(fake.calls_to("getUpdates"))
    process = await start_bot(config)
    try:
        await polling(fake, since=before)
        offer = await reporter.answer("/lapor", then="belum dikirim")
        assert fake.buttons(offer) == ["Lanjutkan", "Mulai Baru"]
        await reporter.choose("Lanjutkan", then="Jabatan Terlapor")
        await reporter.answer("Kepala Sub Bagian Umum", then="Waktu Kejadian")
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 0, stderr.decode()[-2000:]
    # Logs name events, never what the reporter wrote.
    assert b"Yohanes" not in stderr and b"Kepala Sub Bagian" not in stderr
    assert (tmp_path / "data" / "wbs.key").stat().st_mode & 0o777 == 0o600
    assert os.path.exists(tmp_path / "data" / "wbs.sqlite3")
