"""Reporter chats on WhatsApp: each message becomes a ReportingService call, as on Telegram.

WhatsApp has no command menu: `lapor` and `/lapor` are the same command. Button presses and
list choices carry the engine's `Button.data`; a quoted reply to a question about a case is
the answer to it; photos, videos and documents at the evidence question are downloaded
through the Graph API and sealed by the service. The same engine walks the form: nothing
of the form is written here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from pywa_async.client import WhatsApp

from bot.dispatcher import Dispatcher
from bot.errors import log_failure
from bot.whatsapp.inbound import (
    Media,
    choice_of,
    media_of,
    quoted_id,
    sent_at,
    shared_phones,
    text_of,
)
from bot.whatsapp.render import OWN_NUMBER_DATA
from bot.whatsapp.sender import delivered_key
from conversations import texts
from conversations.addresses import Address
from conversations.engine import Event, Pressed, SharedContact, Typed, Unsupported
from conversations.reporter_commands import read_typed_command
from conversations.reporting import ReportingService
from storage.database import Store

log = logging.getLogger(__name__)

# The Cloud API takes media up to 100 MB; the officers' group gets files through Telegram,
# whose bots upload at most 50 MB, so evidence stays within what officers can receive.
DOWNLOAD_LIMIT = 50 * 1024 * 1024
IGNORED_TYPES = frozenset({"reaction", "system", "ephemeral", "order", "revoke"})


class FileTooBig(Exception):
    pass


class WhatsAppReporterChats:
    """Turns one stored webhook message into the service call it means, then delivers."""

    def __init__(
        self,
        wa: WhatsApp,
        store: Store,
        reporting: ReportingService,
        dispatcher: Dispatcher,
        clock: Callable[[], datetime],
    ) -> None:
        self.wa = wa
        self.store = store
        self.reporting = reporting
        self.dispatcher = dispatcher
        self.clock = clock

    async def handle(self, address: str, message: Mapping[str, Any]) -> list[str]:
        """Process one message; returns the chats to deliver to once it is marked processed.

        An exception leaves it in the inbox to be tried again.
        """
        chat = Address(address)
        now = self.clock()
        written = sent_at(message)
        # The window runs from when they wrote (never later than now, whatever the clocks say).
        waiting = await self.store.whatsapp_inbound(
            chat, min(written, now) if written else now, now
        )
        addresses = await self._route(chat, message, waiting)
        return sorted({chat, *addresses})

    async def deliver(self, addresses: list[str]) -> None:
        """Send what processing queued; on failure the outbox job sends it later."""
        try:
            await self.dispatcher.deliver(addresses)
        except Exception as exc:
            log_failure(log, "delivery after a WhatsApp message", exc)

    async def give_up(self, address: str) -> None:
        """A message that failed again and again: say so instead of staying silent."""
        chat = Address(address)
        await self.reporting.say(chat, texts.TRY_AGAIN)
        await self.dispatcher.deliver([chat])

    async def _route(self, chat: Address, message: Mapping[str, Any], waiting: int) -> list[str]:
        kind = message.get("type")
        text = text_of(message)
        if text is not None:
            return await self._text(chat, text, quoted_id(message), waiting)
        choice = choice_of(message)
        if choice is not None:
            return await self.reporting.event(chat, self._pressed(chat, choice))
        if kind == "button":
            # A quick reply under the follow-up template: it opens the chat, and what waited
            # for that is the answer. With nothing waiting, it is a first message.
            return [] if waiting else await self.reporting.command(chat, "start")
        if kind == "request_welcome":  # the person opened the chat for the first time
            return await self.reporting.command(chat, "start")
        if kind in IGNORED_TYPES:
            return []
        phones = shared_phones(message)
        if phones:
            phone, wa_id = phones[0]
            own = wa_id == chat.chat_id or re.sub(r"\D", "", phone) == chat.chat_id
            return await self.reporting.event(chat, SharedContact(phone, own))
        media = media_of(message)
        if media is not None:
            return await self._file(chat, media)
        return await self.reporting.event(chat, Unsupported())

    async def _text(self, chat: Address, text: str, quoted: str | None, waiting: int) -> list[str]:
        command = read_typed_command(text)
        if command is not None:
            return await self.reporting.command(chat, *command)
        if quoted is not None:
            replied = delivered_key(self.store, quoted)
            relayed = await self.reporting.reply(chat, text, replied_id=replied, replied_text=None)
            if relayed is not None:
                return relayed
        if waiting and not await self._busy(chat):
            # They wrote after our follow-up template: what waited for the window is the
            # answer; a welcome menu on top would only be noise.
            return []
        return await self.reporting.event(chat, Typed(text))

    @staticmethod
    def _pressed(chat: Address, data: str) -> Event:
        if data == OWN_NUMBER_DATA:
            # WhatsApp gives the sender's number itself: that is a shared own contact.
            return SharedContact(chat.chat_id, True) if chat.chat_id.isdigit() else Unsupported()
        return Pressed(data)

    async def _busy(self, chat: Address) -> bool:
        session = await self.store.session(chat)
        return session.draft is not None or session.attach_ticket is not None

    async def _file(self, chat: Address, media: Media) -> list[str]:
        if not await self.reporting.expects_files(chat):
            return await self.reporting.event(chat, Unsupported())
        info = await self.wa.get_media_url(media.media_id)
        limit_mb = DOWNLOAD_LIMIT // (1024 * 1024)
        if (info.file_size or 0) > DOWNLOAD_LIMIT:
            return await self.reporting.say(chat, texts.FILE_TOO_BIG, limit=limit_mb)
        try:
            data = await self._download(info.url)
        except FileTooBig:
            return await self.reporting.say(chat, texts.FILE_TOO_BIG, limit=limit_mb)
        mime = media.mime or info.mime_type
        return await self.reporting.attach(chat, media.kind, data, name=media.name, mime=mime)

    async def _download(self, url: str) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in self.wa.stream_media(url):
            size += len(chunk)
            if size > DOWNLOAD_LIMIT:
                raise FileTooBig
            chunks.append(chunk)
        return b"".join(chunks)
