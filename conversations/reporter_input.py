"""What a reporter sent, whatever the channel: the one shape both adapters translate into.

Telegram's updates and WhatsApp's webhook messages become a `ReporterInput` (who sent it,
and what); `ReportingService.receive` handles every one of them the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from conversations.addresses import Address
from conversations.reporter_commands import ReporterCommand


@dataclass(frozen=True)
class Command:
    """A reporter command (from the table) and the text typed after it."""

    name: ReporterCommand
    args: str = ""


@dataclass(frozen=True)
class Replied:
    """One of our messages the reporter answered (a reply, or a quoted reply).

    `key` is how the outbox knows the delivered message; `text` is that message's text
    when the channel shows it (it names the case when the record is not there yet).
    """

    key: str
    text: str | None = None


@dataclass(frozen=True)
class Said:
    """Typed text. `after_wait`: the first words after messages waited for this chat to
    write (WhatsApp's 24-hour window); with nothing in progress they only opened the door."""

    text: str
    replied: Replied | None = None
    after_wait: bool = False


@dataclass(frozen=True)
class Chose:
    """A button pressed or a list row chosen: the engine's `Button.data`."""

    data: str


@dataclass(frozen=True)
class Contact:
    phone: str
    own: bool  # the sender's own number


class FileTooBig(Exception):
    """The file is over what the channel lets us download."""


@dataclass(frozen=True)
class Downloaded:
    data: bytes
    mime: str | None = None  # when the channel only says it at download


@dataclass(frozen=True)
class SentFile:
    """A photo, video or document; fetched only if the conversation takes it.

    `download` raises FileTooBig when the file is over `limit_mb`.
    """

    kind: str  # photo, video, document (the evidence kinds)
    name: str | None
    mime: str | None
    limit_mb: int
    download: Callable[[], Awaitable[Downloaded]]


@dataclass(frozen=True)
class Other:
    """Something the conversation cannot take (a sticker, a location, a poll…)."""


Content = Command | Said | Chose | Contact | SentFile | Other


@dataclass(frozen=True)
class ReporterInput:
    sender: Address
    content: Content
