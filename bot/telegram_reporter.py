"""Reporter chats on Telegram: updates become engine events; replies leave through the outbox."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from telegram import Document, Message, PhotoSize, Update, Video
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.dispatcher import Dispatcher
from bot.errors import log_failure
from bot.telegram_sender import raw_call
from conversations import texts
from conversations.addresses import Address, Channel
from conversations.engine import Pressed, SharedContact, Typed, Unsupported
from conversations.reporter_commands import WORDS
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
        for word, row in WORDS.items():  # the reporter commands' table, aliases included
            handler = self._guard(self._command(row.name))
            app.add_handler(CommandHandler(word, handler, filters=private))
        app.add_handler(
            MessageHandler(private & filters.COMMAND, self._guard(self._unknown_command))
        )
        app.add_handler(CallbackQueryHandler(self._guard(self._pressed), pattern=r"^(?!case:)"))
        app.add_handler(MessageHandler(private & filters.CONTACT, self._guard(self._contact)))
        app.add_handler(
            MessageHandler(
                private & (filters.PHOTO | filters.VIDEO | filters.Document.ALL),
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

    def _guard(self, handler: Handler) -> Handler:
        """Deliver what the handler queued; on any failure, a calm reply instead of silence."""

        async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            try:
                await handler(update, context)
            except Exception as exc:
                log_failure(log, f"update {update.update_id}", exc)
                chat = update.effective_chat
                if chat is not None and chat.type == ChatType.PRIVATE:
                    with contextlib.suppress(TelegramError):
                        await context.bot.send_message(chat.id, html.escape(texts.TRY_AGAIN.id))

        return guarded

    def _command(self, name: str) -> Handler:
        async def run(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            text = update.message.text if update.message is not None else None
            args = (text or "").split(maxsplit=1)[1:]  # the text after the command, as typed
            await self._flush(
                await self._reporting.command(private_chat(update), name, "".join(args))
            )

        return run

    async def _unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._flush(await self._reporting.command(private_chat(update), "bantuan"))

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
            chat = Address.of(CHANNEL, message.chat.id)
            await self._flush(await self._reporting.event(chat, Pressed(data)))

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
        chat = private_chat(update)
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.is_bot:
            relayed = await self._reporting.reply(
                chat,
                message.text,
                replied_id=str(replied.message_id),
                replied_text=replied.text or replied.caption,
            )
            if relayed is not None:
                await self._flush(relayed)
                return
        await self._flush(await self._reporting.event(chat, Typed(message.text)))

    async def _contact(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        assert message is not None and message.contact is not None
        own = message.from_user is not None and message.contact.user_id == message.from_user.id
        event = SharedContact(message.contact.phone_number, own)
        await self._flush(await self._reporting.event(private_chat(update), event))

    async def _file(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        assert message is not None
        chat = private_chat(update)
        if not await self._reporting.expects_files(chat):
            await self._flush(await self._reporting.event(chat, Unsupported()))
            return
        media: PhotoSize | Video | Document
        name: str | None
        mime: str | None
        if message.photo:
            kind, media, name, mime = "photo", message.photo[-1], None, "image/jpeg"
        elif message.video is not None:
            kind, media = "video", message.video
            name, mime = message.video.file_name, message.video.mime_type
        else:
            assert message.document is not None
            kind, media = "document", message.document
            name, mime = message.document.file_name, message.document.mime_type
        if (media.file_size or 0) > DOWNLOAD_LIMIT:
            await self._flush(await self._reporting.say(chat, texts.FILE_TOO_BIG, limit=20))
            return
        telegram_file = await media.get_file()
        data = bytes(await telegram_file.download_as_bytearray())
        await self._flush(await self._reporting.attach(chat, kind, data, name=name, mime=mime))

    async def _other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._flush(await self._reporting.event(private_chat(update), Unsupported()))
