"""Every button press is answered, even when answerCallbackQuery fails at first."""

from __future__ import annotations

import pytest

from tests.conftest import Reporter, RunningBot
from tests.support.fake_telegram import FakeTelegram

pytestmark = pytest.mark.journey


async def test_a_press_is_answered_through_api_faults(
    running_bot: RunningBot, fake: FakeTelegram, reporter: Reporter
) -> None:
    await reporter.answer("/start", then="Whistleblowing System")
    fake.fail_next("answerCallbackQuery", 2)  # a 500, then another
    reporter.press("Buat Laporan")
    await reporter.expect("Identitas Pelapor")
    await fake.wait_until(lambda: len(fake.answered_callbacks) == 1, what="the press answered")
    fake.fail_next("answerCallbackQuery", 1, retry_after=1)
    reporter.press("Isi Identitas")
    await reporter.expect("Nama Pelapor")
    await fake.wait_until(lambda: len(fake.answered_callbacks) == 2, what="the press answered")
