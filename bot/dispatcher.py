"""Delivers the outbox: every message that must reach a person, with retries, in order per chat.

Handlers call `deliver(addresses)` right after their transaction so replies feel immediate;
a scheduler job calls `deliver()` every few seconds to retry what failed and to send what the
officer CLI or the scheduler queued. Claims in the database keep two senders (or two
processes) from sending the same message, and a chat's messages never overtake each other.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from enum import Enum
from typing import Protocol

from conversations.addresses import Address, AddressError
from conversations.ports import OutboxPort, QueuedMessage

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(minutes=10)
GIVE_UP_AFTER = timedelta(days=7)  # a week of outage is not "temporary" any more


class NotSent(Enum):
    RETRY = "retry"  # failed for now: the chat's later messages wait behind it
    GONE = "gone"  # can never be delivered (recorded as failed): later messages may go


class RetryLater(Exception):
    """Delivery failed for now (network, 5xx, flood control); try again later."""

    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class WaitingForRecipient(RetryLater):
    """Not a failure: the recipient must act first (WhatsApp's 24-hour window). Such a message
    waits as long as it takes; the case's own deadlines tell the officers if nobody answers."""


class Undeliverable(Exception):
    """Delivery can never succeed (the user blocked the bot, the chat is gone)."""


class Sender(Protocol):
    async def send(self, chat_id: str, message: QueuedMessage) -> str | None:
        """Deliver one message; return the channel's message id. Raise RetryLater/Undeliverable."""


class Dispatcher:
    def __init__(
        self,
        outbox: OutboxPort,
        senders: Mapping[str, Sender],
        clock: Callable[[], datetime],
        *,
        parallel_chats: int = 96,
    ) -> None:
        self.outbox = outbox
        self.senders = senders
        self.clock = clock
        self._slots = asyncio.Semaphore(parallel_chats)
        self._in_flight: set[str] = set()  # chats this process is sending to right now
        self._woken: set[str] = set()  # chats whose recipient wrote while a send was under way

    def wake(self, address: str) -> None:
        """The recipient just wrote; call this before the store hears of it.

        A send to them under way may have read the older state (WhatsApp's window still
        closed) and would set its message to wait a day: instead it is tried again at once.
        """
        self._woken.add(address)

    async def deliver(self, addresses: Sequence[str] | None = None) -> int:
        """Send what is due (for these addresses, or all); returns how many were delivered.

        A chat already being sent to is skipped, however long its sending takes (the rate
        limiter, a large upload): its new messages follow in the next round, in order.
        """
        if addresses is not None:  # what woke these chats is in the store: this round reads it
            self._woken.difference_update(set(addresses) - self._in_flight)
        claimed = await self.outbox.claim_due(
            self.clock(), addresses=addresses, busy=frozenset(self._in_flight)
        )
        by_chat: dict[str, list[QueuedMessage]] = defaultdict(list)
        for item in claimed:
            by_chat[item.address].append(item)
        self._in_flight.update(by_chat)  # at once: a wake from now on finds them under way
        results = await asyncio.gather(*(self._deliver_chat(items) for items in by_chat.values()))
        again = sorted(self._woken.intersection(by_chat))
        if again:  # they wrote while we were sending to them: look again with what they wrote
            return sum(results) + await self.deliver(again)
        return sum(results)

    async def _deliver_chat(self, items: list[QueuedMessage]) -> int:
        address = items[0].address
        async with self._slots:
            delivered: list[tuple[int, str | None]] = []
            try:
                for position, item in enumerate(items):
                    outcome = await self._deliver_one(item)
                    if outcome is NotSent.RETRY:
                        # Keep the chat's order: the rest waits behind the failed message.
                        await self.outbox.release([later.id for later in items[position + 1 :]])
                        break
                    if outcome is not NotSent.GONE:
                        delivered.append((item.id, outcome or None))
            finally:
                await self.outbox.mark_sent_many(delivered, self.clock())  # one write per chat
                self._in_flight.discard(address)
            return len(delivered)

    async def _deliver_one(self, item: QueuedMessage) -> str | NotSent:
        """The channel's message id ("" if it gave none), or why it was not sent."""
        try:
            address = Address(item.address)
        except AddressError as exc:
            log.error("outbox %s (%s, %s): not a chat address", item.id, item.kind, item.ticket)
            await self.outbox.mark_failed(item.id, self.clock(), str(exc))
            return NotSent.GONE
        channel, chat_id = address.channel, address.chat_id
        sender = self.senders.get(channel)
        if sender is None:
            await self.outbox.mark_retry(
                item.id, self.clock() + MAX_BACKOFF, f"no sender for {channel}"
            )
            return NotSent.RETRY
        try:
            delivered_id = await sender.send(chat_id, item)
        except Undeliverable as exc:
            log.warning(
                "outbox %s (%s, %s) undeliverable: %s", item.id, item.kind, item.ticket, exc
            )
            await self.outbox.mark_failed(item.id, self.clock(), str(exc))
            return NotSent.GONE
        except Exception as exc:  # RetryLater, or anything unexpected: try again, counted
            after = exc.after if isinstance(exc, RetryLater) else None
            reason = str(exc) if isinstance(exc, RetryLater) else f"unexpected {type(exc).__name__}"
            waiting = isinstance(exc, WaitingForRecipient)
            if waiting and item.address in self._woken:
                after = 0.0  # the recipient wrote meanwhile: the wait was judged on old news
            too_old = item.created_at is not None and self.clock() - item.created_at > GIVE_UP_AFTER
            if too_old and not waiting:
                log.error(
                    "outbox %s (%s, %s): gave up after a week", item.id, item.kind, item.ticket
                )
                await self.outbox.mark_failed(item.id, self.clock(), f"gave up: {reason}")
                return NotSent.GONE
            delay = (
                timedelta(seconds=after)
                if after is not None
                else min(timedelta(seconds=2 ** min(item.attempts, 10)), MAX_BACKOFF)
            )
            log.info("outbox %s (%s) retry in %s: %s", item.id, item.kind, delay, reason)
            await self.outbox.mark_retry(item.id, self.clock() + delay, reason)
            return NotSent.RETRY
        return delivered_id or ""
