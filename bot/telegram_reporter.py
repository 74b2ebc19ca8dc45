"""Reporter chats on Telegram: each update becomes a ReporterInput; replies go through the outbox.

This module only translates (and marks pressed buttons): what an input means is decided by
`ReportingService.receive`, the same for WhatsApp.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from telegram import Audio, Document, Message, PhotoSize, Update, Video, VideoNote, Voice
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.dispatcher import Dispatcher
from bot.telegram_sender import raw_call
from conversations.addresses import Address, Channel
from conversations.reporter_commands import ReporterCommand, read_slash_command
from conversations.reporter_input import (
    Chose,
    Command,
    Contact,
    Content,
    Downloaded,
    FileTooBig,
    Other,
    Replied,
    ReporterInput,
    Said,
    SentFile,
)
from conversations.reporting import ReportingService

log = logging.getLogger(__name__)

CHANNEL = Channel.TELEGRAM
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # the Bot API's getFile limit

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]
App = Application[Any, Any, Any, Any, Any, Any]


def private_chat(update: Update) -> Address:
    assert update.effective_chat is not None
    return Address.of(CHANNEL, update.effective_chat.id)


class TelegramReporterChats:
    """Registers the private-chat handlers; `services` are attached once the app has started."""

    def __init__(self) -> None:
        self.reporting: ReportingService | None = None
        self.dispatcher: Dispatcher | None = None

    def register(self, app: App) -> None:
        # New messages only: an edited message must not answer or act a second time.
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        app.add_handler(MessageHandler(private & filters.COMMAND, self._guard(self._command)))
        app.add_handler(CallbackQueryHandler(self._guard(self._pressed), pattern=r"^(?!case:)"))
        app.add_handler(MessageHandler(private & filters.CONTACT, self._guard(self._contact)))
        app.add_handler(
            MessageHandler(
                private
                & (
                    filters.PHOTO
                    | filters.VIDEO
                    | filters.Document.ALL
                    | filters.VOICE
                    | filters.AUDIO
                    | filters.VIDEO_NOTE
                ),
                self._guard(self._file),
            )
        )
        app.add_handler(MessageHandler(private & filters.TEXT, self._guard(self._text)))
        app.add_handler(MessageHandler(private, self._guard(self._other)))

    @property
    def _reporting(self) -> ReportingService:
        assert self.reporting is not None, "the application has not started"
        return self.reporting

    async def _flush(self, addresses: Sequence[str]) -> None:
        assert self.dispatcher is not None
        await self.dispatcher.deliver(addresses)

    @staticmethod
    def _guard(handler: Handler) -> Handler:
        """A failure is not answered here: it reaches the application's error handler
        (bot/set_aside.py), which logs one line and apologises through the outbox."""
        return handler

    async def _receive(self, chat: Address, content: Content) -> None:
        await self._flush(await self._reporting.receive(ReporterInput(chat, content)))

    async def _command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any /command: the reporter commands' table says which (unknown ones: the help)."""
        text = update.message.text if update.message is not None else None
        command = read_slash_command(text or "") or (ReporterCommand.BANTUAN, "")
        await self._receive(private_chat(update), Command(*command))

    async def _pressed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        message = query.message
        if not isinstance(message, Message) or message.chat.type != ChatType.PRIVATE:
            await query.answer()
            return
        data = query.data or ""

        async def stop_spinner() -> None:
            with contextlib.suppress(TelegramError):
                await query.answer()

        async def answer() -> None:
            await self._receive(Address.of(CHANNEL, message.chat.id), Chose(data))

        # Stopping the spinner and marking the choice are cosmetic: they run alongside the
        # answer, so the chat's next update waits for one round trip, not three.
        cosmetic = [stop_spinner()]
        if not data.startswith("menu:"):  # the welcome menu stays usable
            cosmetic.append(self._mark_choice(message, data))
        await asyncio.gather(*cosmetic, answer())

    @staticmethod
    async def _mark_choice(message: Message, data: str) -> None:
        """Show what was pressed and remove the buttons: an old question is not answered twice."""
        markup = message.reply_markup
        label = next(
            (
                b.text
                for row in (markup.inline_keyboard if markup else ())
                for b in row
                if b.callback_data == data
            ),
            None,
        )
        if label is None or message.text is None:
            return
        try:
            await raw_call(  # without reply_markup: the buttons go
                message.get_bot(),
                "edit_message_text",
                chat_id=message.chat.id,
                message_id=message.message_id,
                text=f"{message.text_html}\n\n➡️ <i>{html.escape(label)}</i>",
                parse_mode=ParseMode.HTML,
            )
        except TelegramError as exc:
            log.info("could not mark a choice: %s", type(exc).__name__)

    async def _text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        assert message is not None and message.text is not None
        replied = message.reply_to_message
        quoted = None
        if replied is not None and replied.from_user is not None and replied.from_user.is_bot:
            quoted = Replied(str(replied.message_id), replied.text or replied.caption)
        await self._receive(private_chat(update), Said(message.text, quoted))

    async def _contact(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        assert message is not None and message.contact is not None
        own = message.from_user is not None and message.contact.user_id == message.from_user.id
        await self._receive(private_chat(update), Contact(message.contact.phone_number, own))

    async def _file(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        assert message is not None
        media: PhotoSize | Video | Document | Voice | Audio | VideoNote
        name: str | None
        mime: str | None
        if message.photo:
            kind, media, name, mime = "photo", message.photo[-1], None, "image/jpeg"
        elif message.video is not None:
            kind, media = "video", message.video
            name, mime = message.video.file_name, message.video.mime_type
        elif message.voice is not None:
            kind, media, name, mime = "voice", message.voice, None, message.voice.mime_type
        elif message.audio is not None:
            kind, media = "audio", message.audio
            name, mime = message.audio.file_name, message.audio.mime_type
        elif message.video_note is not None:
            kind, media, name, mime = "video_note", message.video_note, None, "video/mp4"
        else:
            assert message.document is not None
            kind, media = "document", message.document
            name, mime = message.document.file_name, message.document.mime_type

        async def download() -> Downloaded:
            if (media.file_size or 0) > DOWNLOAD_LIMIT:
                raise FileTooBig
            telegram_file = await media.get_file()
            return Downloaded(bytes(await telegram_file.download_as_bytearray()))

        limit_mb = DOWNLOAD_LIMIT // (1024 * 1024)
        await self._receive(private_chat(update), SentFile(kind, name, mime, limit_mb, download))

    async def _other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._receive(private_chat(update), Other())
