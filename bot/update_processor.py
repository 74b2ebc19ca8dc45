"""One update at a time per chat, many chats at once.

PTB's concurrent mode alone lets two updates of one chat race (a form answer overtaking the
previous one). Here every update waits for its chat's turn (`bot.per_key`, as WhatsApp's
inbox does); PTB creates the tasks in arrival order, so a chat's updates run strictly in
order while other chats run alongside.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.per_key import PerKey


def chat_key(update: object) -> int | None:
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 32) -> None:
        super().__init__(max_concurrent_updates)
        self.chats: PerKey[int] = PerKey()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await coroutine
            return
        async with self.chats.turn(key):
            await coroutine

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
