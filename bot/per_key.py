"""One at a time per key, many keys at once: the rule both channels live by (per chat).

Telegram's update processor and WhatsApp's inbox both take a turn per chat here. Locks are
FIFO and callers arrive in order, so one chat's updates run strictly in order while other
chats run alongside; a key nobody holds or waits for is forgotten, so memory follows the
chats active right now, not every chat ever seen.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class PerKey(Generic[K]):
    def __init__(self) -> None:
        self._locks: dict[K, asyncio.Lock] = {}
        self._users: dict[K, int] = {}  # holding or waiting, per key

    @asynccontextmanager
    async def turn(self, key: K) -> AsyncIterator[None]:
        """Wait for `key`'s turn (behind those who came first), hold it inside the block."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key]
                del self._locks[key]

    def __len__(self) -> int:
        """How many keys are held or waited for now."""
        return len(self._locks)
