"""Shared end-to-end fixtures: the fake Bot API on 127.0.0.1, the real bot, and people."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_app
from bot.settings import Settings
from tests.speed import mark_by_speed
from tests.support.fake_telegram import BotMessage, FakeChat, FakeTelegram, FakeUser

OFFICER_GROUP = -1001234567890
OFFICER_ID = 5001
ADMIN_ID = 5002


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by these markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_by_speed(items)


def make_settings(data_dir: Path, fake: FakeTelegram, **overrides: dict[str, Any]) -> Settings:
    sections: dict[str, dict[str, Any]] = {
        "telegram": {
            "token": fake.token,
            "api_base_url": fake.base_url,
            "file_base_url": fake.base_file_url,
            "officer_chat_id": OFFICER_GROUP,
            "officer_user_ids": [OFFICER_ID, ADMIN_ID],
            "admin_user_ids": [ADMIN_ID],
            "rate_limit": False,
        },
        "storage": {"database": data_dir / "wbs.sqlite3"},
        "security": {"key_file": data_dir / "wbs.key"},
    }
    for name, values in overrides.items():
        sections.setdefault(name, {}).update(values)
    return Settings(**sections)


class Clock:
    """A clock the test can move; the bot reads it through `build_app(clock=...)`."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@dataclass
class RunningBot:
    fake: FakeTelegram
    settings: Settings
    clock: Clock
    app: Any = None
    group: FakeChat | None = None

    async def start(self) -> None:
        # The order of Application.run_polling, which tests cannot use (it owns the loop).
        self.app = build_app(self.settings, clock=self.clock)
        await self.app.initialize()
        await self.app.post_init(self.app)
        assert self.app.updater is not None
        await self.app.updater.start_polling(poll_interval=0.0, timeout=1)
        await self.app.start()

    async def stop(self) -> None:
        if self.app is None:
            return
        assert self.app.updater is not None
        await self.app.updater.stop()
        await self.app.stop()
        await self.app.shutdown()
        await self.app.post_shutdown(self.app)
        self.app = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()


@pytest.fixture
async def running_bot(
    fake: FakeTelegram, data_dir: Path, clock: Clock
) -> AsyncIterator[RunningBot]:
    bot = RunningBot(fake, make_settings(data_dir, fake), clock)
    bot.group = fake.group(OFFICER_GROUP, "Tim WBS BKD NTT")
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


@dataclass
class Reporter:
    """A person on a phone: types, presses buttons, shares files, and reads what arrives."""

    fake: FakeTelegram
    user: FakeUser
    seen: list[BotMessage] = field(default_factory=list)

    @property
    def chat_id(self) -> int:
        return self.user.id

    async def expect(self, contains: str, timeout: float = 5.0) -> BotMessage:
        """Wait for the next bot message containing `contains` (earlier ones are skipped)."""
        message = await self.fake.next_message(self.chat_id, contains=contains, timeout=timeout)
        self.seen.append(message)
        return message

    def send(self, text: str, **kwargs: Any) -> None:
        self.fake.send_text(self.user, text, **kwargs)

    def press(self, label: str) -> None:
        """Press the button with that label on the newest bot message that shows it."""
        for message in reversed(self.fake.messages(self.chat_id)):
            if label in self.fake.buttons(message):
                self.fake.press(self.user, message.message_id, label)
                return
        raise AssertionError(f"no button {label!r} on screen")

    async def answer(self, text: str, then: str, timeout: float = 5.0) -> BotMessage:
        self.send(text)
        return await self.expect(then, timeout)

    async def choose(self, label: str, then: str) -> BotMessage:
        self.press(label)
        return await self.expect(then)


async def walk_to_summary(
    reporter: Reporter, *, service: str = "SIMPEG", complaint: str, link: str | None = None
) -> None:
    """An anonymous "Pengaduan Layanan" from /lapor up to its summary (optionally a link)."""
    await reporter.answer("/lapor", then="Identitas Pelapor")
    await reporter.choose("Lapor Anonim", then="Tindakan")
    await reporter.choose("Pengaduan Layanan", then="Jenis Layanan")
    await reporter.choose(service, then="Keluhan")
    await reporter.answer(complaint, then="Link Bukti")
    if link is None:
        await reporter.choose("Lewati", then="Persetujuan")
    else:
        await reporter.answer(link, then="total 1")
        await reporter.choose("Selesai", then="Persetujuan")
    await reporter.choose("Ya, saya bersedia", then="Ringkasan Laporan")


@pytest.fixture
def reporter(fake: FakeTelegram) -> Reporter:
    return Reporter(fake, fake.user(777001, "Maria", username="maria_k"))


def officer_messages(fake: FakeTelegram) -> list[BotMessage]:
    return fake.messages(OFFICER_GROUP)
