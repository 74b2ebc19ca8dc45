"""Every button press is answered (answerCallbackQuery), whatever happens next.

An unanswered press leaves the person's button spinning for about 15 seconds and then shows an
error; under API faults (a 500, a 429, a timeout) one answer in twenty used to be lost. The
answer is retried a few times on transient failures; a definite refusal (400: the query is too
old) ends it, and nothing here ever raises.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import CallbackQuery
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

log = logging.getLogger(__name__)

ATTEMPTS = 4
MAX_WAIT = 2.0  # seconds: Telegram stops waiting for an answer after about 15


async def stop_spinner(query: CallbackQuery, text: str | None = None, alert: bool = False) -> bool:
    """Answer the press; True when Telegram took the answer."""
    for attempt in range(ATTEMPTS):
        try:
            await query.answer(text, show_alert=alert)
            return True
        except (BadRequest, Forbidden):
            return False  # answered already, or too old: retrying cannot help
        except RetryAfter as exc:
            retry = exc.retry_after
            seconds = retry if isinstance(retry, int | float) else retry.total_seconds()
            await asyncio.sleep(min(float(seconds), MAX_WAIT))
        except NetworkError:  # 5xx and timeouts are NetworkErrors in PTB
            await asyncio.sleep(0.1 * 2**attempt)
        except TelegramError as exc:
            log.info("a button press could not be answered: %s", type(exc).__name__)
            return False
    log.info("a button press could not be answered after %s attempts", ATTEMPTS)
    return False
