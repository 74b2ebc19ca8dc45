"""The WhatsApp webhook: an aiohttp server on `whatsapp.listen`, and the inbox it fills.

GET is Meta's verification handshake (`hub.verify_token`, answered with `hub.challenge`).
POST is checked first: `X-Hub-Signature-256` must be the HMAC-SHA256 of the raw body with the
app secret (pywa's validator), before a byte of it is parsed; missing is 401, wrong is 403.
Then its messages go into the inbox in one durable transaction (a message id seen before is
ignored, also after a restart) and only then is the webhook answered 200: an acknowledged
message is never lost. Processing runs after the answer, one message at a time per chat in
arrival order, many chats at once; a message that fails stays in the inbox and is tried again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from pywa import utils as wa_utils

from bot.errors import log_failure
from bot.per_key import PerKey
from bot.whatsapp.inbound import Malformed, Webhook, parse_webhook
from bot.whatsapp.ports import WhatsAppStorage

log = logging.getLogger(__name__)

MAX_BODY = 4 * 1024 * 1024
MAX_ATTEMPTS = 4


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=5 * 4**attempts)  # 5 s, 20 s, 80 s


class WebhookServer:
    def __init__(
        self,
        *,
        path: str,
        verify_token: str,
        app_secret: str,
        phone_number_id: str,
        accept: Callable[[Webhook], Awaitable[None]],
    ) -> None:
        self.path = path
        self.verify_token = verify_token
        self.app_secret = app_secret
        self.phone_number_id = phone_number_id
        self.accept = accept
        self.app = web.Application(client_max_size=MAX_BODY)
        self.app.router.add_get(path, self._verify)
        self.app.router.add_post(path, self._receive)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self, host: str, port: int) -> int:
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=10.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        return self.port

    async def stop(self) -> None:
        """Stop listening; requests in hand are answered first (their messages are stored)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def _verify(self, request: web.Request) -> web.Response:
        query = request.query
        mode, token = query.get("hub.mode"), query.get("hub.verify_token")
        challenge = query.get("hub.challenge", "")
        if mode == "subscribe" and token is not None and _same(token, self.verify_token):
            log.info("WhatsApp webhook verified")
            return web.Response(text=challenge)
        log.warning("WhatsApp webhook verification refused (wrong verify token)")
        return web.Response(status=403, text="Forbidden")

    async def _receive(self, request: web.Request) -> web.Response:
        body = await request.read()
        signature = request.headers.get("X-Hub-Signature-256")
        if not signature:
            log.warning("WhatsApp webhook without a signature refused")
            return web.Response(status=401, text="Unauthorized")
        if not _signed(self.app_secret, body, signature):
            log.warning("WhatsApp webhook with a wrong signature refused")
            return web.Response(status=403, text="Forbidden")
        try:
            hook = parse_webhook(body, self.phone_number_id)
        except Malformed as exc:
            log.warning("malformed WhatsApp webhook refused: %s", exc)
            return web.Response(status=400, text="Bad Request")
        try:
            await self.accept(hook)
        except Exception as exc:  # not stored: a 5xx makes Meta send it again later
            log_failure(log, "storing a WhatsApp webhook", exc)
            return web.Response(status=500, text="Try again")
        return web.Response(text="ok")


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _signed(secret: str, body: bytes, signature: str) -> bool:
    try:
        return wa_utils.webhook_updates_validator(
            app_secret=secret, request_body=body, x_hub_signature=signature
        )
    except TypeError:  # non-ASCII in the header: not a signature of ours
        return False


Handle = Callable[[str, dict[str, Any]], Awaitable[list[str]]]


class Inbox:
    """Processes stored messages: in order within a chat, chats concurrently, retried on failure."""

    def __init__(
        self,
        store: WhatsAppStorage,
        handle: Handle,
        deliver: Callable[[list[str]], Awaitable[None]],
        give_up: Callable[[str], Awaitable[None]],
        clock: Callable[[], datetime],
        *,
        concurrency: int = 32,
    ) -> None:
        self.store = store
        self.handle = handle
        self.deliver = deliver
        self.give_up = give_up
        self.clock = clock
        self._slots = asyncio.Semaphore(concurrency)
        self._chats: PerKey[str] = PerKey()  # one message at a time per chat
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = False

    def schedule(self, addresses: list[str]) -> None:
        if self._closing:
            return  # stored: the next start processes them
        for address in addresses:
            task = asyncio.create_task(self.drain(address))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def sweep(self) -> None:
        """Chats whose oldest unprocessed message is due (after a failure, or a restart)."""
        now = self.clock()
        first: dict[str, datetime] = {}
        for row in await self.store.whatsapp.pending():
            first.setdefault(row["address"], row["due_at"])
        self.schedule([address for address, due in first.items() if due <= now])

    async def drain(self, address: str) -> None:
        try:
            async with self._chats.turn(address), self._slots:
                await self._drain(address)
        except Exception as exc:
            log_failure(log, "the WhatsApp inbox", exc)

    async def _drain(self, address: str) -> None:
        for row in await self.store.whatsapp.pending(address=address):
            if self._closing or row["due_at"] > self.clock():
                return  # the rest of this chat waits behind it, in order
            try:
                addresses = await self.handle(address, row["message"])
            except Exception as exc:
                attempts = row["attempts"] + 1
                log_failure(log, f"a WhatsApp message (attempt {attempts})", exc)
                if attempts < MAX_ATTEMPTS:
                    await self.store.whatsapp.retry(row["id"], self.clock() + retry_delay(attempts))
                    return
                await self.store.whatsapp.processed(row["id"], self.clock())
                with contextlib.suppress(Exception):
                    await self.give_up(address)
                continue
            # Processed is recorded before any sending: a stop during a slow send must not
            # make the next start process this message a second time.
            await asyncio.shield(self.store.whatsapp.processed(row["id"], self.clock()))
            await self.deliver(addresses)

    async def close(self, grace: float = 10.0) -> None:
        """Let the messages in hand finish; those not started stay stored for the next start."""
        self._closing = True
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=2)

    async def idle(self) -> None:
        """Wait until nothing is being processed (for tests and a clean stop)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))
