"""What one cleaner hands back, and the two ways it declines."""

from __future__ import annotations

from dataclasses import dataclass, field

from conversations.sanitizing import Reason, Removal


@dataclass
class Cleaned:
    """A clean copy and what was found and taken out of the original."""

    data: bytes
    extension: str  # of the clean copy: a HEIC becomes a JPEG officers' phones can show
    mime: str
    removed: list[Removal] = field(default_factory=list)


class Declined(Exception):
    """The file is not cleaned; `Refusal` and `NotCleaned` say whether it is kept at all."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason
        self.detail = detail  # for the log and tests, never shown to a reporter


class Refusal(Declined):
    """Not accepted as evidence at all: nothing is stored, the reporter is told why."""


class NotCleaned(Declined):
    """Kept sealed as it came; officers see only its type, size and hash."""
