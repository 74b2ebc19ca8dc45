"""Checking the audit chain: each entry's hash covers the entry and the hash before it.

The hash is keyed by the vault, so a changed entry cannot be given a matching hash without
the key: it no longer matches its own hash. A deleted or inserted entry breaks the link (or
the numbering) of the entry after it. Deleting only the newest entries is not detectable from
the file alone. `first_break` names the first such entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from storage.database import audit_hash


@dataclass(frozen=True)
class AuditBreak:
    entry_id: int
    problem: str

    def __str__(self) -> str:
        return f"audit entry {self.entry_id}: {self.problem}"


def first_break(rows: Iterable[Mapping[str, Any]], *, key: bytes) -> AuditBreak | None:
    """The first entry where the chain does not hold, or None when it is intact."""
    previous_hash, expected_id = "", 1
    for row in rows:
        entry_id = int(row["id"])
        if entry_id != expected_id:
            return AuditBreak(expected_id, "missing (deleted), or the numbering was changed")
        recomputed = audit_hash(
            row["prev_hash"],
            entry_id,
            row["at"],
            row["actor"],
            row["action"],
            row["ticket"],
            row["detail"],
            key=key,
        )
        if recomputed != row["hash"]:
            return AuditBreak(entry_id, "changed after it was written")
        if row["prev_hash"] != previous_hash:
            return AuditBreak(entry_id, "does not follow the entry before it (inserted or deleted)")
        previous_hash, expected_id = row["hash"], entry_id + 1
    return None
