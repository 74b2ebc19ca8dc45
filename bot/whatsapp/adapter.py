"""Reporter chats on WhatsApp: each message becomes a ReporterInput, as on Telegram.

WhatsApp has no command menu: `lapor` and `/lapor` are the same command (the reporter
commands' table reads both). Button presses and list choices carry the engine's
`Button.data`; a quoted reply carries the key of the quoted message; photos, videos and
documents are downloaded through the Graph API only if the conversation takes them. What an
input means is decided by `ReportingService.receive`, the same for both channels.
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
from bot.whatsapp.ports import WhatsAppStorage
from bot.whatsapp.render import OWN_NUMBER_DATA
from conversations import texts
from conversations.addresses import Address
from conversations.reporter_commands import ReporterCommand, read_typed_command
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

# The Cloud API takes media up to 100 MB; the officers' group gets files through Telegram,
# whose bots upload at most 50 MB, so evidence stays within what officers can receive.
DOWNLOAD_LIMIT = 50 * 1024 * 1024
IGNORED_TYPES = frozenset({"reaction", "system", "ephemeral", "order", "revoke"})


class WhatsAppReporterChats:
    """Turns one stored webhook message into the reporter input it means, then delivers."""

    def __init__(
        self,
        wa: WhatsApp,
        store: WhatsAppStorage,
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
        self.dispatcher.wake(chat)  # before the store hears of it: see Dispatcher.wake
        # The window runs from when they wrote (never later than now, whatever the clocks say).
        waiting = await self.store.whatsapp.inbound(
            chat, min(written, now) if written else now, now
        )
        content = self.translate(chat, message, waiting)
        if content is None:
            return [chat]
        addresses = await self.reporting.receive(ReporterInput(chat, content))
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

    def translate(self, chat: Address, message: Mapping[str, Any], waiting: int) -> Content | None:
        """What the message means for the conversation; None: nothing to answer."""
        kind = message.get("type")
        text = text_of(message)
        if text is not None:
            command = read_typed_command(text)
            if command is not None:
                return Command(*command)
            quoted = quoted_id(message)
            replied = Replied(self.store.whatsapp.sent_key(quoted)) if quoted is not None else None
            return Said(text, replied, after_wait=bool(waiting))
        choice = choice_of(message)
        if choice is not None:
            if choice == OWN_NUMBER_DATA:
                # WhatsApp gives the sender's number itself: that is a shared own contact.
                return Contact(chat.chat_id, True) if chat.chat_id.isdigit() else Other()
            return Chose(choice)
        if kind == "button":
            # A quick reply under the follow-up template: it opens the chat, and what waited
            # for that is the answer. With nothing waiting, it is a first message.
            return None if waiting else Command(ReporterCommand.START)
        if kind == "request_welcome":  # the person opened the chat for the first time
            return Command(ReporterCommand.START)
        if kind in IGNORED_TYPES:
            return None
        phones = shared_phones(message)
        if phones:
            phone, wa_id = phones[0]
            own = wa_id == chat.chat_id or re.sub(r"\D", "", phone) == chat.chat_id
            return Contact(phone, own)
        media = media_of(message)
        if media is not None:
            return self._file(media)
        return Other()

    def _file(self, media: Media) -> SentFile:
        async def download() -> Downloaded:
            info = await self.wa.get_media_url(media.media_id)
            if (info.file_size or 0) > DOWNLOAD_LIMIT:
                raise FileTooBig
            chunks: list[bytes] = []
            size = 0
            async for chunk in self.wa.stream_media(info.url):
                size += len(chunk)
                if size > DOWNLOAD_LIMIT:
                    raise FileTooBig
                chunks.append(chunk)
            return Downloaded(b"".join(chunks), info.mime_type)

        limit_mb = DOWNLOAD_LIMIT // (1024 * 1024)
        return SentFile(media.kind, media.name, media.mime, limit_mb, download)
