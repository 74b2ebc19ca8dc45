"""Turns queued, channel-neutral messages into Telegram API calls."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.dispatcher import RetryLater, Undeliverable
from conversations.i18n import Lang, Text
from storage.blobs import BlobStore
from storage.database import QueuedMessage

SHARE_NUMBER = Text("📱 Bagikan Nomor Saya", "📱 Share my number")

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None


def markup(payload: Mapping[str, Any]) -> Markup:
    """Inline buttons for choices; Telegram's contact button while the phone is asked."""
    if payload.get("ask_contact"):
        label = SHARE_NUMBER.render(Lang(payload.get("lang", Lang.ID)))
        return ReplyKeyboardMarkup(
            [[KeyboardButton(label, request_contact=True)]],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    if payload.get("close_contact"):
        return ReplyKeyboardRemove()
    rows = payload.get("buttons") or []
    if rows:
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                for row in rows
            ]
        )
    return None


class TelegramSender:
    def __init__(self, bot: Bot, blobs: BlobStore) -> None:
        self.bot = bot
        self.blobs = blobs

    async def send(self, chat_id: str, message: QueuedMessage) -> str | None:
        try:
            sent = await self._send(int(chat_id), message.payload)
        except RetryAfter as exc:
            after = exc.retry_after  # seconds, or a timedelta when PTB_TIMEDELTA is set
            seconds = after.total_seconds() if isinstance(after, timedelta) else float(after)
            raise RetryLater("flood control", seconds) from exc
        except Forbidden as exc:
            raise Undeliverable(f"forbidden: {exc.message}") from exc
        except BadRequest as exc:
            raise Undeliverable(f"bad request: {exc.message}") from exc
        except (NetworkError, TelegramError) as exc:
            raise RetryLater(type(exc).__name__) from exc
        return str(sent.message_id)

    async def _send(self, chat_id: int, payload: Mapping[str, Any]) -> Message:
        file = payload.get("file")
        if file is not None:
            data = self.blobs.get(file["blob"])
            caption = payload.get("caption")
            name = file.get("name") or f"bukti-{file['sha256'][:12]}"
            if file["kind"] == "photo":
                return await self.bot.send_photo(chat_id, data, caption=caption)
            if file["kind"] == "video":
                return await self.bot.send_video(chat_id, data, caption=caption, filename=name)
            return await self.bot.send_document(chat_id, data, caption=caption, filename=name)
        return await self.bot.send_message(
            chat_id,
            payload["text"],
            parse_mode=ParseMode.HTML,
            reply_markup=markup(payload),
            link_preview_options=None,
        )
