"""The audit chain: every change to a case, who made it and why, each entry hash-linked.

Each entry's hash covers the entry and the hash before it. The hash is keyed by the vault, so
a changed entry cannot be given a matching hash without the key: it no longer matches its own
hash. A deleted or inserted entry breaks the link (or the numbering) of the entry after it.
Deleting only the newest entries is not detectable from the file alone. `first_break` names
the first such entry.

`sealed_entry` seals an entry on the event loop and returns the function that appends it
inside the caller's transaction, so a change and its audit entry commit together.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.connection import Connection, iso
from storage.vault import Vault

Append = Callable[[sqlite3.Connection, str | None], None]
# The actors the store itself records: the reporter's own writes (a report, added evidence)
# and the scheduler's (follow-ups). The domain names them the same (conversations/ports.py).
REPORTER_ACTOR = "pelapor"
SYSTEM_ACTOR = "sistem"


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    ticket: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class AuditBreak:
    entry_id: int
    problem: str

    def __str__(self) -> str:
        return f"audit entry {self.entry_id}: {self.problem}"


def audit_hash(
    prev: str,
    entry_id: int,
    at: str,
    actor: str,
    action: str,
    ticket: str | None,
    detail: bytes,
    *,
    key: bytes,
) -> str:
    """A keyed hash (HMAC-SHA256): without the vault's key, a changed chain cannot be re-hashed."""
    digest = hmac.new(key, digestmod=hashlib.sha256)
    for part in (prev, str(entry_id), at, actor, action, ticket or ""):
        digest.update(part.encode())
        digest.update(b"\x1f")
    digest.update(detail)
    return digest.hexdigest()


def sealed_entry(
    vault: Vault, now: datetime, actor: str, action: str, detail: Mapping[str, Any]
) -> Append:
    """An audit entry sealed now (on the event loop), appended by the returned function
    inside the transaction: `append(db, ticket)`. The entry's hash covers the previous
    entry's hash (tamper evidence), so only that part waits for the database."""
    sealed = vault.seal_json(detail, "audit")
    at = iso(now)
    key = vault.audit_key

    def append(db: sqlite3.Connection, ticket: str | None) -> None:
        last = db.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        entry_id = (last["id"] + 1) if last else 1
        prev = last["hash"] if last else ""
        digest = audit_hash(prev, entry_id, at, actor, action, ticket, sealed, key=key)
        db.execute(
            """INSERT INTO audit (id, at, actor, action, ticket, detail, prev_hash, hash)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (entry_id, at, actor, action, ticket, sealed, prev, digest),
        )

    return append


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


ENTRY_COLUMNS = "id, at, actor, action, ticket, detail"


class Audit:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._vault = conn.vault

    async def record(
        self,
        now: datetime,
        actor: str,
        action: str,
        ticket: str | None,
        detail: Mapping[str, Any],
    ) -> None:
        """Append one audit entry and nothing else (e.g. an export of the register)."""
        append = sealed_entry(self._vault, now, actor, action, detail)
        await self._conn.transact(lambda db: append(db, ticket), durable=True)

    async def history(self, ticket: str) -> list[AuditEntry]:
        return await self._entries("WHERE ticket = ?", (ticket,))

    async def histories(self, tickets: Sequence[str]) -> dict[str, list[AuditEntry]]:
        """The history of many cases in one query (a listing must not ask once per case)."""
        found: dict[str, list[AuditEntry]] = {ticket: [] for ticket in tickets}
        if tickets:
            where = "WHERE ticket IN (SELECT value FROM json_each(?))"
            for entry in await self._entries(where, (json.dumps(list(tickets)),)):
                assert entry.ticket is not None
                found[entry.ticket].append(entry)
        return found

    async def entries(self) -> list[AuditEntry]:
        return await self._entries("", ())

    async def rows(self) -> list[dict[str, Any]]:
        """The raw chain, for `wbs-officer audit verify`."""
        rows = await self._conn.rows(
            "SELECT id, at, actor, action, ticket, detail, prev_hash, hash FROM audit ORDER BY id"
        )
        return [dict(row) for row in rows]

    async def last_actor_name(self, actor: str) -> str | None:
        """The name (`detail["by"]`) an actor id last acted under, e.g. an officer's Telegram
        name for `wbs-officer --as <user id>`; None if it never acted with one."""
        rows = await self._conn.rows(
            "SELECT detail FROM audit WHERE actor = ? ORDER BY id DESC LIMIT 50", (actor,)
        )
        for row in rows:
            name = self._vault.open_json(row["detail"], "audit").get("by")
            if isinstance(name, str) and name.strip() and name != actor:
                return name
        return None

    async def _entries(self, where: str, params: Sequence[Any]) -> list[AuditEntry]:
        rows = await self._conn.rows(
            f"SELECT {ENTRY_COLUMNS} FROM audit {where} ORDER BY id", params
        )
        return [
            AuditEntry(
                r["id"],
                datetime.fromisoformat(r["at"]),
                r["actor"],
                r["action"],
                r["ticket"],
                self._vault.open_json(r["detail"], "audit"),
            )
            for r in rows
        ]
