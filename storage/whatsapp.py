"""WhatsApp: the webhook inbox, the 24-hour window, and what waits for it (bot/whatsapp).

Message ids and numbers are looked up by keyed hash; the messages themselves are sealed
and dropped once processed. Only times are kept in clear.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from storage.connection import Connection, iso, moment, statement


class WhatsApp:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._vault = conn.vault

    def sent_key(self, message_id: str) -> str:
        """What the outbox keeps of a WhatsApp message id: a keyed hash, since the id itself
        carries the recipient's number. A quoted reply's `context.id` is looked up the same
        way."""
        return "wa:" + self._vault.lookup_hash("whatsapp-sent:" + message_id).hex()[:40]

    async def accept(
        self, items: Sequence[tuple[str, str, dict[str, Any]]], now: datetime
    ) -> list[str]:
        """Keep webhook messages `(message id, address, message)` until processed, each id once.

        Durable before the webhook is answered: Meta does not send an acknowledged message
        again. Returns the addresses that got a new message (a repeated id is ignored).
        """
        rows = [
            (
                address,
                (
                    self._vault.lookup_hash("whatsapp-message:" + message_id),
                    self._conn.chat_hash(address),
                    self._vault.seal_json(
                        {"address": address, "message": message}, "whatsapp_inbox"
                    ),
                    iso(now),
                    iso(now),
                ),
            )
            for message_id, address, message in items
        ]

        def work(db: sqlite3.Connection) -> list[str]:
            fresh: list[str] = []
            for address, row in rows:
                cursor = db.execute(
                    """INSERT OR IGNORE INTO whatsapp_inbox
                         (message_hash, chat_hash, message, received_at, due_at)
                       VALUES (?, ?, ?, ?, ?)""",
                    row,
                )
                if cursor.rowcount == 1 and address not in fresh:
                    fresh.append(address)
            return fresh

        return await self._conn.transact(work, durable=True)

    async def pending(
        self, *, address: str | None = None, limit: int = 500
    ) -> list[dict[str, Any]]:
        """Messages not yet processed, oldest first: id, address, message, attempts, due_at."""
        where, params = "WHERE done_at IS NULL", []
        if address is not None:
            where += " AND chat_hash = ?"
            params.append(self._conn.chat_hash(address))
        rows = await self._conn.rows(
            f"""SELECT id, message, attempts, due_at FROM whatsapp_inbox {where}
                ORDER BY id LIMIT ?""",
            (*params, limit),
        )
        found = []
        for row in rows:
            content = self._vault.open_json(row["message"], "whatsapp_inbox")
            found.append(
                {
                    "id": row["id"],
                    "address": content["address"],
                    "message": content["message"],
                    "attempts": row["attempts"],
                    "due_at": datetime.fromisoformat(row["due_at"]),
                }
            )
        return found

    async def processed(self, row_id: int, now: datetime) -> None:
        await self._conn.transact(
            statement(
                "UPDATE whatsapp_inbox SET done_at = ?, message = NULL WHERE id = ?",
                (iso(now), row_id),
            )
        )

    async def retry(self, row_id: int, due: datetime) -> None:
        await self._conn.transact(
            statement(
                "UPDATE whatsapp_inbox SET due_at = ?, attempts = attempts + 1 WHERE id = ?",
                (iso(due), row_id),
            )
        )

    async def prune(self, before: datetime) -> int:
        """Forget processed message ids older than `before` (Meta retries for 7 days at most)."""

        def work(db: sqlite3.Connection) -> int:
            cursor = db.execute(
                "DELETE FROM whatsapp_inbox WHERE done_at IS NOT NULL AND done_at < ?",
                (iso(before),),
            )
            return cursor.rowcount

        return await self._conn.transact(work)

    # -- the 24-hour window -----------------------------------------------------------------

    async def inbound(self, address: str, at: datetime, now: datetime) -> int:
        """The reporter wrote at `at`: the window is open, and what waited for it is due now.

        Returns how many queued messages were waiting (for the window, or for a retry).
        """
        chat_hash = self._conn.chat_hash(address)

        def work(db: sqlite3.Connection) -> int:
            db.execute(
                """INSERT INTO whatsapp_window (chat_hash, last_inbound_at) VALUES (?, ?)
                   ON CONFLICT (chat_hash) DO UPDATE SET last_inbound_at = MAX(
                     COALESCE(whatsapp_window.last_inbound_at, ''), excluded.last_inbound_at)""",
                (chat_hash, iso(at)),
            )
            return db.execute(
                """UPDATE outbox SET due_at = ? WHERE recipient_hash = ? AND sent_at IS NULL
                     AND failed_at IS NULL AND due_at > ?""",
                (iso(now), chat_hash, iso(now)),
            ).rowcount

        return await self._conn.transact(work)

    async def window(self, address: str) -> tuple[datetime | None, datetime | None]:
        """(the reporter's last message, the last follow-up template) for this chat."""
        row = await self._conn.row(
            "SELECT last_inbound_at, template_sent_at FROM whatsapp_window WHERE chat_hash = ?",
            (self._conn.chat_hash(address),),
        )
        if row is None:
            return None, None
        return moment(row["last_inbound_at"]), moment(row["template_sent_at"])

    async def template_sent(self, address: str, at: datetime) -> None:
        params = (self._conn.chat_hash(address), iso(at))
        await self._conn.transact(
            statement(
                """INSERT INTO whatsapp_window (chat_hash, template_sent_at) VALUES (?, ?)
                   ON CONFLICT (chat_hash) DO UPDATE SET
                     template_sent_at = excluded.template_sent_at""",
                params,
            )
        )

    async def queued_after(self, address: str, since: datetime) -> bool:
        """Whether a message for this chat was queued after `since` and still waits."""
        row = await self._conn.row(
            """SELECT 1 FROM outbox WHERE recipient_hash = ? AND sent_at IS NULL
                 AND failed_at IS NULL AND created_at > ? LIMIT 1""",
            (self._conn.chat_hash(address), iso(since)),
        )
        return row is not None

    async def window_closed(self, address: str, closed_before: datetime) -> None:
        """WhatsApp says the window is closed: the last inbound is at least that old."""
        params = (iso(closed_before), self._conn.chat_hash(address))
        await self._conn.transact(
            statement(
                """UPDATE whatsapp_window SET last_inbound_at = MIN(last_inbound_at, ?)
                   WHERE chat_hash = ?""",
                params,
            )
        )
