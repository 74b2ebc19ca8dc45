"""What the WhatsApp channel stores: the webhook inbox and the 24-hour window.

A port like those of conversations/ports.py, kept here because only this channel has it;
storage/whatsapp.py implements it (structurally: storage imports nothing of ours).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from conversations.ports import Storage


class WhatsAppPort(Protocol):
    def sent_key(self, message_id: str) -> str:
        """The keyed hash the outbox keeps of a message id (the id carries the number)."""
        ...

    async def accept(
        self, items: Sequence[tuple[str, str, dict[str, Any]]], now: datetime
    ) -> list[str]:
        """Keep webhook messages `(message id, address, message)` durably, each id once;
        returns the addresses that got a new message."""
        ...

    async def pending(
        self, *, address: str | None = None, limit: int = 500
    ) -> list[dict[str, Any]]:
        """Unprocessed messages, oldest first: id, address, message, attempts, due_at."""
        ...

    async def processed(self, row_id: int, now: datetime) -> None: ...
    async def retry(self, row_id: int, due: datetime) -> None: ...
    async def prune(self, before: datetime) -> int: ...
    async def inbound(self, address: str, at: datetime, now: datetime) -> int:
        """The reporter wrote at `at`: the window opens, and what waited for it is due now."""
        ...

    async def window(self, address: str) -> tuple[datetime | None, datetime | None]:
        """(the reporter's last message, the last follow-up template) for this chat."""
        ...

    async def template_sent(self, address: str, at: datetime) -> None: ...
    async def queued_after(self, address: str, since: datetime) -> bool: ...
    async def window_closed(self, address: str, closed_before: datetime) -> None: ...


class WhatsAppStorage(Storage, Protocol):
    """The domain's storage, with the WhatsApp inbox and window."""

    @property
    def whatsapp(self) -> WhatsAppPort: ...
