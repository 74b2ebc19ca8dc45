"""Case numbers: `WBS-2026-0007`, or a bare running number that means this year's case.

The group and the officer CLI resolve a bare number the same way (the current year in the bot's
zone), and both say which case they took, so `7` cannot quietly name last year's case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CASE_NAME = re.compile(r"^(?:WBS-(\d{4})-)?0*(\d{1,6})$", re.IGNORECASE)


class NotATicket(ValueError):
    """Neither `WBS-YYYY-NNNN` nor a running number."""


@dataclass(frozen=True, order=True)
class Ticket:
    year: int
    number: int

    def __str__(self) -> str:
        return f"WBS-{self.year}-{self.number:04d}"

    @classmethod
    def parse(cls, text: str) -> Ticket:
        """A full register number only (as stored); raises `NotATicket` otherwise."""
        match = CASE_NAME.match(text.strip())
        if match is None or match.group(1) is None:
            raise NotATicket(text)
        return cls(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True)
class CaseName:
    """What an officer typed and the case it names."""

    typed: str
    ticket: Ticket
    bare: bool  # a running number only: resolved to the current year

    def __str__(self) -> str:
        return str(self.ticket)

    @property
    def explained(self) -> str:
        """`7 → WBS-2026-0007` for a bare number, the register number otherwise."""
        return f"{self.typed} → {self.ticket}" if self.bare else str(self.ticket)


def resolve(text: str, *, year: int) -> CaseName:
    """`WBS-2025-0007` as it is; `7` (or `0007`) as this `year`'s case. `NotATicket` else."""
    typed = text.strip()
    match = CASE_NAME.match(typed)
    if match is None:
        raise NotATicket(text)
    given_year, number = match.groups()
    if given_year is not None:
        return CaseName(typed, Ticket(int(given_year), int(number)), bare=False)
    return CaseName(typed, Ticket(year, int(number)), bare=True)
