"""Turns queued, channel-neutral messages into Telegram API calls."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBUserWarning

from bot.dispatcher import RetryLater, Undeliverable
from bot.telegram_text import CAPTION_LIMIT, plain, split_html
from conversations import texts
from conversations.i18n import Lang
from conversations.ports import BlobsPort, QueuedMessage

GROUP_RETRY = 600.0  # seconds between tries while the officers' group refuses the bot

JSONDict = dict[str, Any]
RAW_CALLS = ("send_message", "edit_message_text")
# No link previews, ever: a preview makes Telegram fetch the page, which tells the site's owner
# that someone (the officers' group) looked at a link given as evidence.
NO_PREVIEW = {"is_disabled": True}


def allow_raw_calls() -> None:
    """`raw_call` uses PTB's `do_api_request`, which nudges toward the typed method: quiet that."""
    for endpoint in RAW_CALLS:
        warnings.filterwarnings(
            "ignore", message=rf"Please use 'Bot\.{endpoint}'", category=PTBUserWarning
        )


async def raw_call(bot: Bot, endpoint: str, **params: Any) -> Any:
    """Call the Bot API and keep its answer as plain JSON.

    The typed methods build a full `Message` from every answer: ~120 attributes, each through
    PTB's guarded `__setattr__`, a sixth of the bot's CPU under load, for an object we only
    read one number from. This still goes through the ExtBot (its rate limiter, its errors).
    """
    assert endpoint in RAW_CALLS, endpoint
    return await bot.do_api_request(endpoint, api_kwargs=params)


def markup(payload: Mapping[str, Any]) -> JSONDict | None:
    """Inline buttons for choices; Telegram's contact button while the phone is asked.

    Bot API JSON as it goes on the wire: building PTB's keyboard objects only to turn them
    back into this costs more than the rest of composing a message.
    """
    if payload.get("ask_contact"):
        label = texts.SHARE_NUMBER_TELEGRAM.render(Lang(payload.get("lang", Lang.ID)))
        return {
            "keyboard": [[{"text": label, "request_contact": True}]],
            "resize_keyboard": True,
            "one_time_keyboard": True,
        }
    if payload.get("close_contact"):
        return {"remove_keyboard": True}
    rows = payload.get("buttons") or []
    if rows:
        return {
            "inline_keyboard": [
                [{"text": label, "callback_data": data} for label, data in row] for row in rows
            ]
        }
    return None


class TelegramSender:
    def __init__(self, bot: Bot, blobs: BlobsPort, group_id: int) -> None:
        self.bot = bot
        self.blobs = blobs
        self.group_id = group_id

    async def send(self, chat_id: str, message: QueuedMessage) -> str | None:
        to_group = int(chat_id) == self.group_id
        try:
            return await self._send(int(chat_id), message.payload)
        except RetryAfter as exc:
            after = exc.retry_after  # seconds, or a timedelta when PTB_TIMEDELTA is set
            seconds = after.total_seconds() if isinstance(after, timedelta) else float(after)
            raise RetryLater("flood control", seconds) from exc
        except (Forbidden, BadRequest) as exc:
            if to_group:
                # The bot was removed from the group, or lost its rights: officers must fix
                # that, and nothing meant for them may be dropped meanwhile.
                raise RetryLater(f"officers' group: {exc.message}", GROUP_RETRY) from exc
            raise Undeliverable(f"{type(exc).__name__}: {exc.message}") from exc
        except TelegramError as exc:  # NetworkError, TimedOut, server errors
            raise RetryLater(type(exc).__name__) from exc

    async def _send(self, chat_id: int, payload: Mapping[str, Any]) -> str:
        """The sent message's id (the last part's, when a long text goes in parts)."""
        file = payload.get("file")
        if file is not None:
            sent = await self._send_file(chat_id, file, payload.get("caption"))
            return str(sent.message_id)
        parts = split_html(payload["text"])
        for part in parts[:-1]:
            await self._send_text(chat_id, part, None)
        return await self._send_text(chat_id, parts[-1], markup(payload))

    async def _send_text(self, chat_id: int, text: str, keyboard: JSONDict | None) -> str:
        try:
            sent = await raw_call(
                self.bot,
                "send_message",
                chat_id=chat_id,
                text=text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
                link_preview_options=NO_PREVIEW,
            )
        except BadRequest as exc:
            if "can't parse entities" not in exc.message.lower():
                raise
            # Never lose a message to a formatting mistake: send it as plain text.
            sent = await raw_call(
                self.bot,
                "send_message",
                chat_id=chat_id,
                text=plain(text),
                reply_markup=keyboard,
                link_preview_options=NO_PREVIEW,
            )
        return str(sent["message_id"])

    async def _send_file(
        self, chat_id: int, file: Mapping[str, Any], caption: str | None
    ) -> Message:
        """Evidence (the clean copy) under a neutral name: a reporter's file name can say who
        they are, so it is never stored; the extension is the clean copy's own."""
        data = self.blobs.get(file["blob"])
        caption = caption[:CAPTION_LIMIT] if caption else None
        extension = "." + file["ext"] if file.get("ext") else Path(file.get("name") or "").suffix
        name = f"bukti-{file['sha256'][:12]}{extension.lower()[:8]}"
        if file["kind"] == "photo":
            return await self.bot.send_photo(chat_id, data, caption=caption)
        if file["kind"] == "video":
            return await self.bot.send_video(chat_id, data, caption=caption, filename=name)
        return await self.bot.send_document(chat_id, data, caption=caption, filename=name)
