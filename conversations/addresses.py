"""Where a message goes: one chat on one channel, written `channel:chat` (`telegram:123`).

An `Address` is a `str` (storage keeps and hashes it as the plain text it always was) that
knows its channel; every address is parsed and checked here, nowhere else.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"


_CHANNELS = frozenset(c.value for c in Channel)


class AddressError(ValueError):
    """Not `channel:chat` with a known channel and a chat id."""


class Address(str):
    """`telegram:<chat id>` or `whatsapp:<wa_id or BSUID>`; `Address("x")` raises AddressError."""

    __slots__ = ()

    def __new__(cls, text: str) -> Address:
        channel, sep, chat_id = str(text).partition(":")
        if not sep or not chat_id:
            raise AddressError(f"not a chat address (channel:chat): {text!r}")
        if channel not in _CHANNELS:
            raise AddressError(f"unknown channel {channel!r}")
        return super().__new__(cls, text)

    @classmethod
    def of(cls, channel: Channel, chat_id: str | int) -> Address:
        return cls(f"{channel.value}:{chat_id}")

    @property
    def channel(self) -> Channel:
        return Channel(self.partition(":")[0])

    @property
    def chat_id(self) -> str:
        """The channel's own id of the chat (Telegram chat id, WhatsApp wa_id or BSUID)."""
        return self.partition(":")[2]

    def __repr__(self) -> str:
        return f"Address({str(self)!r})"
