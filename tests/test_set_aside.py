"""One bad update never stops the bot: unreadable or failing updates are set aside.

An update python-telegram-bot cannot read (a poll in an older shape, without the
`persistent_id` PTB 22 requires of each option) used to fail the whole getUpdates batch,
forever. Now it is acknowledged, logged once as one warning, and its sender gets an apology;
everyone else is answered as usual. A handler that raises is treated the same way.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from conversations import texts
from tests.conftest import OFFICER_GROUP, OFFICER_ID, Reporter, RunningBot
from tests.support.fake_telegram import FakeTelegram

pytestmark = pytest.mark.journey

SECRET = "Perpetua Ironbark"


def old_poll_message(user_id: int, *, chat: dict[str, Any] | None = None) -> dict[str, Any]:
    """A message with a poll as the Bot API sent it before options had a persistent id."""
    return {
        "message": {
            "message_id": 900 + user_id % 100,
            "date": 1_700_000_000,
            "chat": chat or {"id": user_id, "type": "private", "first_name": SECRET},
            "from": {"id": user_id, "is_bot": False, "first_name": SECRET},
            "poll": {
                "id": "5",
                "question": f"Siapa yang meminta uang, {SECRET}?",
                "options": [{"text": SECRET, "voter_count": 0}],
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
            },
        }
    }


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def first_line(text: str) -> str:
    return text.split("\n", 1)[0]


async def test_an_unreadable_update_is_set_aside_and_everyone_else_is_answered(
    running_bot: RunningBot,
    fake: FakeTelegram,
    reporter: Reporter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    other = Reporter(fake, fake.user(777002, "Yosef"))
    await reporter.answer("/start", then="Whistleblowing System")  # the chat exists
    caplog.set_level(logging.INFO)
    fake.add_update({"update_id": 5000, **old_poll_message(reporter.chat_id)})
    other.send("/start")  # in the same batch, behind the bad one

    await other.expect("Whistleblowing System")
    apology = await reporter.expect(first_line(texts.UPDATE_UNREADABLE.id))
    assert SECRET not in apology.text
    await fake.wait_until(lambda: not fake.pending_updates, what="the batch acknowledged")

    problems = warnings_of(caplog)
    assert [r.getMessage() for r in problems] == [
        f"update 5000 (message) could not be read, set aside: TypeError at {where(problems)}"
    ]
    # The reporter carries on as if nothing happened.
    await reporter.answer("/start", then="Whistleblowing System")


def where(records: list[logging.LogRecord]) -> str:
    """The 'file:line' the warning names (PTB's code, which may move between versions)."""
    message = records[0].getMessage() if records else ""
    return message.rsplit(" at ", 1)[-1]


async def test_bad_updates_anywhere_in_a_batch_move_the_offset_past_them(
    running_bot: RunningBot,
    fake: FakeTelegram,
    reporter: Reporter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    for user_id in (777005, 777006):  # they started the bot earlier
        await Reporter(fake, fake.user(user_id, "Pelapor")).answer("/start", then="Whistleblowing")
    await running_bot.stop()  # the whole batch waits for the bot: bad, good, bad
    fake.add_update({"update_id": 7000, **old_poll_message(777005)})
    reporter.send("/start")
    fake.add_update({"update_id": 7100, **old_poll_message(777006)})
    await running_bot.start()

    await reporter.expect("Whistleblowing System")
    for user_id in (777005, 777006):
        await fake.next_message(user_id, contains=first_line(texts.UPDATE_UNREADABLE.id))
    await fake.wait_until(lambda: not fake.pending_updates, what="the batch acknowledged")
    assert len(warnings_of(caplog)) == 2
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_an_unreadable_update_from_a_strange_group_gets_no_reply_there(
    running_bot: RunningBot, fake: FakeTelegram, reporter: Reporter
) -> None:
    stranger_group = {"id": -100777, "type": "supergroup", "title": "Grup lain"}
    fake.add_update({"update_id": 8000, **old_poll_message(777007, chat=stranger_group)})
    reporter.send("/start")
    await reporter.expect("Whistleblowing System")
    await fake.wait_until(lambda: not fake.pending_updates, what="the batch acknowledged")
    assert fake.messages(-100777) == []


def first(bot: RunningBot, handler: MessageHandler[Any, None]) -> None:
    """The handler ahead of the bot's own in their group: it takes the update, as they do."""
    bot.app.handlers[0].insert(0, handler)


async def crash(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    raise KeyError(update.effective_message.text)


async def test_a_handler_that_raises_costs_one_warning_and_one_apology(
    running_bot: RunningBot,
    fake: FakeTelegram,
    reporter: Reporter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    first(running_bot, MessageHandler(filters.Regex("Ironbark"), crash))
    caplog.set_level(logging.INFO)
    reporter.send(f"Saya {SECRET}")
    apology = await reporter.expect(first_line(texts.TRY_AGAIN.id))
    assert SECRET not in apology.text and "Traceback" not in apology.text

    problems = warnings_of(caplog)
    assert len(problems) == 1, [r.getMessage() for r in problems]
    line = problems[0].getMessage()
    assert re.fullmatch(
        r"update \d+ \(message\) failed, set aside: KeyError at test_set_aside.py:\d+", line
    )
    assert SECRET not in line and problems[0].exc_info is None
    await reporter.answer("/start", then="Whistleblowing System")


async def test_a_failing_group_command_is_answered_in_the_group(
    running_bot: RunningBot, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    first(
        running_bot, MessageHandler(filters.Chat(OFFICER_GROUP) & filters.Regex("Ironbark"), crash)
    )
    caplog.set_level(logging.WARNING)
    assert running_bot.group is not None
    officer = fake.user(OFFICER_ID, "Budi")
    fake.send_text(officer, f"catatan {SECRET}", chat=running_bot.group)
    await fake.next_message(OFFICER_GROUP, contains=first_line(texts.GROUP_TRY_AGAIN.id))
    assert len(warnings_of(caplog)) == 1
