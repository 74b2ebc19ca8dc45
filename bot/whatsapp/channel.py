"""The WhatsApp channel as one piece: started with the bot's services, stopped before them.

`bot.app` builds a `WhatsAppChannel` when `whatsapp.enabled`, calls `start(...)` once the
store, the ReportingService and the dispatcher exist, registers the returned sender for
`whatsapp:` addresses, and calls `stop()` before the store closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import httpx
from pywa_async.client import WhatsApp

from bot.dispatcher import Dispatcher
from bot.errors import log_failure
from bot.settings import WhatsAppSection
from bot.whatsapp import CHANNEL
from bot.whatsapp.adapter import WhatsAppReporterChats
from bot.whatsapp.inbound import Webhook
from bot.whatsapp.ports import WhatsAppStorage
from bot.whatsapp.sender import (
    RE_ENGAGEMENT,
    WhatsAppSender,
    graph_client,
    template_language,
)
from bot.whatsapp.webhook import Inbox, WebhookServer
from conversations.addresses import Address
from conversations.reporting import ReportingService

log = logging.getLogger(__name__)

SWEEP_SECONDS = 5.0
PRUNE_EVERY = timedelta(hours=1)
KEEP_SEEN_IDS = timedelta(days=14)  # Meta re-sends a webhook for up to 7 days


def parse_listen(listen: str) -> tuple[str, int]:
    """`host:port` (`[::1]:8080` for IPv6); raises ValueError with a plain reason."""
    host, sep, port = listen.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"expected host:port, e.g. 127.0.0.1:8080 (you wrote: {listen!r})")
    return host.strip("[]"), int(port)


def api_version(version: str) -> str:
    """`v23.0` or `23.0` as pywa wants it (`23.0`); raises ValueError."""
    number = version.strip().removeprefix("v")
    float(number)
    return number


def config_problems(section: WhatsAppSection) -> list[str]:
    """What `whatsapp.*` gets wrong beyond its types (for `run` and `check-config`)."""
    problems = []
    try:
        parse_listen(section.listen)
    except ValueError as exc:
        problems.append(f"whatsapp.listen: {exc}")
    if not section.webhook_path.startswith("/"):
        problems.append(
            f"whatsapp.webhook_path: must start with '/' (you wrote: {section.webhook_path!r})"
        )
    try:
        api_version(section.api_version)
    except ValueError:
        problems.append(
            f"whatsapp.api_version: expected e.g. v23.0 (you wrote: {section.api_version!r})"
        )
    if not section.api_base_url.startswith(("http://", "https://")):
        problems.append(
            f"whatsapp.api_base_url: expected an http(s) URL (you wrote: {section.api_base_url!r})"
        )
    if template_language(section.followup_template_language) is None:
        problems.append(
            "whatsapp.followup_template_language: not a WhatsApp template language code "
            f"(examples: id, en, en_US; you wrote: {section.followup_template_language!r})"
        )
    return problems


class WhatsAppChannel:
    def __init__(self, settings: WhatsAppSection, *, clock: Callable[[], datetime]) -> None:
        self.settings = settings
        self.clock = clock
        self.host, self.port = parse_listen(settings.listen)
        self.http: httpx.AsyncClient | None = None
        self.wa: WhatsApp | None = None
        self.sender: WhatsAppSender | None = None
        self.server: WebhookServer | None = None
        self.inbox: Inbox | None = None
        self.store: WhatsAppStorage | None = None
        self.dispatcher: Dispatcher | None = None
        self._sweeper: asyncio.Task[None] | None = None

    @property
    def webhook_url(self) -> str:
        return f"http://{self.host}:{self.port}{self.settings.webhook_path}"

    async def start(
        self, store: WhatsAppStorage, reporting: ReportingService, dispatcher: Dispatcher
    ) -> WhatsAppSender:
        section = self.settings
        self.store, self.dispatcher = store, dispatcher
        self.http = graph_client(section.api_base_url)
        self.wa = WhatsApp(
            phone_id=section.phone_number_id,
            token=section.access_token,
            session=self.http,
            api_version=api_version(section.api_version),
        )
        self.sender = WhatsAppSender(
            self.wa,
            store,
            template=section.followup_template,
            template_language=section.followup_template_language,
            clock=self.clock,
        )
        # The sender is in place before the first webhook can queue a reply for it.
        dispatcher.senders = {**dispatcher.senders, CHANNEL: self.sender}
        chats = WhatsAppReporterChats(self.wa, store, reporting, dispatcher, self.clock)
        self.inbox = Inbox(store, chats.handle, chats.deliver, chats.give_up, self.clock)
        self.server = WebhookServer(
            path=section.webhook_path,
            verify_token=section.verify_token,
            app_secret=section.app_secret,
            phone_number_id=section.phone_number_id,
            accept=self._accept,
        )
        self.port = await self.server.start(self.host, self.port)
        if not section.followup_template:
            log.warning(
                "whatsapp.followup_template is empty: messages to a WhatsApp reporter who has "
                "not written for 24 hours wait until they write"
            )
        log.info("WhatsApp webhook on %s:%s%s", self.host, self.port, section.webhook_path)
        await self.inbox.sweep()  # what a previous run stored but did not finish
        self._sweeper = asyncio.create_task(self._sweep_forever())
        return self.sender

    async def stop(self) -> None:
        """Stop taking webhooks, finish the messages in hand, close the Graph API client."""
        if self.server is not None:
            await self.server.stop()
            self.server = None
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None
        if self.inbox is not None:
            await self.inbox.close()
            self.inbox = None
        if self.http is not None:
            await self.http.aclose()
            self.http = None

    async def _accept(self, hook: Webhook) -> None:
        assert self.store is not None and self.inbox is not None
        now = self.clock()
        items = [
            (item.message_id, Address.of(CHANNEL, item.sender), item.message)
            for item in hook.received
        ]
        fresh = await self.store.whatsapp.accept(items, now) if items else []
        await self._statuses(hook, now)
        self.inbox.schedule(fresh)

    async def _statuses(self, hook: Webhook, now: datetime) -> None:
        """A message WhatsApp failed after accepting it: outside the window, it is sent again
        (through the follow-up template); other failures are logged by code."""
        assert self.store is not None
        for status in hook.statuses:
            if status.status != "failed" or not status.recipient:
                continue
            log.warning("a WhatsApp message failed after sending: codes %s", status.error_codes)
            if RE_ENGAGEMENT in status.error_codes and self.sender is not None:
                # Queued again, due now: the outbox job sends the template within seconds.
                address = Address.of(CHANNEL, status.recipient)
                await self.sender.failed_after_sending(address, status.message_id)

    async def _sweep_forever(self) -> None:
        pruned_at: datetime | None = None
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            try:
                assert self.inbox is not None and self.store is not None
                await self.inbox.sweep()
                now = self.clock()
                if pruned_at is None or now - pruned_at >= PRUNE_EVERY:
                    await self.store.whatsapp.prune(now - KEEP_SEEN_IDS)
                    pruned_at = now
            except Exception as exc:
                log_failure(log, "the WhatsApp inbox sweep", exc)
