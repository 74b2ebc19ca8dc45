"""The outbox: every message that must reach a person, written with the change that caused it.

`outbox_rows` seals messages on the event loop; `insert_outbox` writes them inside whatever
transaction the caller runs, so a change and the messages it causes commit together. The
`Outbox` repository is what the dispatcher uses to claim, mark and retry deliveries.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from storage.connection import Connection, iso, statement, statements
from storage.vault import Vault

INSERT_OUTBOX = """INSERT INTO outbox (recipient_hash, recipient, kind, ticket, payload,
    created_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?)"""
OutboxRow = tuple[bytes, bytes, str, str | None, bytes, str, str]


class Message(Protocol):
    """What storage needs of a message to queue (the domain's `Outgoing` is one)."""

    @property
    def address(self) -> str: ...
    @property
    def payload(self) -> Mapping[str, Any]: ...
    @property
    def kind(self) -> str: ...
    @property
    def ticket(self) -> str | None: ...


@dataclass(frozen=True)
class QueuedMessage:
    id: int
    address: str
    payload: dict[str, Any]
    kind: str
    ticket: str | None
    attempts: int
    created_at: datetime | None = None


def outbox_rows(vault: Vault, messages: Sequence[Message], now: datetime) -> list[OutboxRow]:
    """Outbox rows, sealed here (on the event loop) so the database thread only writes."""
    return [
        (
            vault.lookup_hash(message.address),
            vault.seal(message.address.encode(), "recipient"),
            message.kind,
            message.ticket,
            vault.seal_json(message.payload, "payload"),
            iso(now),
            iso(now),
        )
        for message in messages
    ]


def insert_outbox(db: sqlite3.Connection, rows: Sequence[OutboxRow]) -> list[int]:
    ids = []
    for row in rows:
        cursor = db.execute(INSERT_OUTBOX, row)
        assert cursor.lastrowid is not None
        ids.append(cursor.lastrowid)
    return ids


class Outbox:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._vault = conn.vault

    async def enqueue(self, messages: Sequence[Message], now: datetime) -> list[int]:
        rows = outbox_rows(self._vault, messages, now)
        return await self._conn.transact(lambda db: insert_outbox(db, rows))

    async def claim_due(
        self,
        now: datetime,
        *,
        lease_seconds: float = 600,
        limit: int = 200,
        addresses: Sequence[str] | None = None,
        busy: Collection[str] = (),
    ) -> list[QueuedMessage]:
        """Claim undelivered messages, oldest first, keeping each recipient's order.

        A recipient whose oldest undelivered message is waiting for a retry (or claimed by
        another sender) gets nothing newer either, so a chat never sees messages out of order.
        """
        chat_hash = self._conn.chat_hash
        wanted = sorted({chat_hash(a) for a in addresses}) if addresses is not None else None
        stamp = iso(now)
        lease = iso(datetime.fromtimestamp(now.timestamp() + lease_seconds, UTC))
        if addresses is not None:  # only the asked-for chats can be blocked: hash only those
            busy = set(busy).intersection(addresses)
        in_flight = {chat_hash(a) for a in busy}

        def work(db: sqlite3.Connection) -> list[sqlite3.Row]:
            query = """SELECT id, recipient_hash, recipient, kind, ticket, payload, attempts,
                              due_at, claimed_until, created_at
                       FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"""
            params: list[Any] = []
            if wanted is not None:
                query += f" AND recipient_hash IN ({','.join('?' * len(wanted))})"
                params += wanted
            blocked = set(in_flight)  # chats this process is sending to right now
            taken: list[sqlite3.Row] = []
            # No LIMIT on the scan: however many messages wait behind blocked chats, the due
            # ones further on must still be reached.
            for row in db.execute(query + " ORDER BY id", params):
                recipient = row["recipient_hash"]
                if recipient in blocked:
                    continue
                claimed = row["claimed_until"] is not None and row["claimed_until"] > stamp
                if claimed or row["due_at"] > stamp:
                    blocked.add(recipient)
                    continue
                taken.append(row)
                if len(taken) >= limit:
                    break
            db.executemany(
                "UPDATE outbox SET claimed_until = ? WHERE id = ?",
                [(lease, row["id"]) for row in taken],
            )
            return taken

        if wanted == []:
            return []
        taken = await self._conn.transact(work)
        return [
            QueuedMessage(
                row["id"],
                self._vault.open(row["recipient"], "recipient").decode(),
                self._vault.open_json(row["payload"], "payload"),
                row["kind"],
                row["ticket"],
                row["attempts"],
                datetime.fromisoformat(row["created_at"]),
            )
            for row in taken
        ]

    async def mark_sent_many(
        self, delivered: Sequence[tuple[int, str | None]], now: datetime
    ) -> None:
        """Record deliveries (outbox id, the channel's message id) in one transaction.

        What was delivered is kept no longer than needed: the text and the recipient are
        wiped (summaries carry the reporter's name); the recipient's keyed hash, the channel's
        message id and the case remain, so a reply to the message still finds its case.
        """
        rows = [(iso(now), delivered_id, message_id) for message_id, delivered_id in delivered]
        if not rows:
            return
        await self._conn.transact(
            statements(
                """UPDATE outbox SET sent_at = ?, delivered_id = ?, claimed_until = NULL,
                     attempts = attempts + 1, recipient = x'', payload = x'' WHERE id = ?""",
                rows,
            )
        )

    async def mark_retry(self, message_id: int, due: datetime, error: str) -> None:
        await self._conn.transact(
            statement(
                """UPDATE outbox SET due_at = ?, last_error = ?, claimed_until = NULL,
                     attempts = attempts + 1 WHERE id = ?""",
                (iso(due), error[:200], message_id),
            )
        )

    async def mark_failed(self, message_id: int, now: datetime, error: str) -> None:
        """Give up on a message that can never be delivered (e.g. the reporter blocked us)."""
        await self._conn.transact(
            statement(
                """UPDATE outbox SET failed_at = ?, last_error = ?, claimed_until = NULL,
                     attempts = attempts + 1, recipient = x'', payload = x'' WHERE id = ?""",
                (iso(now), error[:200], message_id),
            )
        )

    async def release(self, message_ids: Sequence[int]) -> None:
        """Give claimed messages back untouched (they wait behind a failed one)."""
        rows = [(i,) for i in message_ids]
        await self._conn.transact(
            statements("UPDATE outbox SET claimed_until = NULL WHERE id = ?", rows)
        )

    async def release_claims(self) -> None:
        """At start-up: leases of a process that died are void."""
        await self._conn.transact(
            statement("UPDATE outbox SET claimed_until = NULL WHERE sent_at IS NULL")
        )

    async def undelivered_count(self) -> int:
        row = await self._conn.row(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
        )
        return int(row[0]) if row else 0

    async def ticket_of_delivered(self, address: str, delivered_id: str) -> str | None:
        """Which case a message we sent to this chat was about (for replies to questions)."""
        row = await self._conn.row(
            """SELECT ticket FROM outbox WHERE recipient_hash = ? AND delivered_id = ?
               AND kind = 'to_reporter' AND ticket IS NOT NULL""",
            (self._conn.chat_hash(address), delivered_id),
        )
        return row["ticket"] if row else None
