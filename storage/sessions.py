"""Chat sessions: the reporter's language, the form draft, the case `/bukti` adds to.

A session is found by the chat's keyed hash; the draft (and the chat, while a draft exists,
so an expiry warning can reach it) are sealed. Drafts left untouched expire: the scheduler
warns once, then drops them (`stale_drafts`, `warn_draft`, `drop_draft`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.connection import Connection, iso, moment, statement
from storage.outbox import Message, insert_outbox, outbox_rows


@dataclass(frozen=True)
class Session:
    lang: str | None
    draft: dict[str, Any] | None
    draft_updated_at: datetime | None
    attach_ticket: str | None = None
    held: list[dict[str, Any]] | None = None  # answers waiting for the reporter to name a case


@dataclass(frozen=True)
class StaleDraft:
    chat_hash: bytes
    address: str | None
    lang: str | None
    draft: dict[str, Any]
    updated_at: datetime
    warned: bool


def clear_draft(db: sqlite3.Connection, chat_hash: bytes) -> None:
    """The draft is done with (e.g. it was just sent as a report)."""
    db.execute(
        "UPDATE sessions SET draft = NULL, draft_updated_at = NULL WHERE chat_hash = ?",
        (chat_hash,),
    )


def detach_case(db: sqlite3.Connection, ticket: str) -> None:
    """No session adds evidence to this case any more (its reporter was erased)."""
    db.execute("UPDATE sessions SET attach_ticket = NULL WHERE attach_ticket = ?", (ticket,))


class Sessions:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._vault = conn.vault

    async def get(self, address: str) -> Session:
        row = await self._conn.row(
            """SELECT lang, draft, draft_updated_at, attach_ticket, held FROM sessions
               WHERE chat_hash = ?""",
            (self._conn.chat_hash(address),),
        )
        if row is None:
            return Session(None, None, None)
        draft = self._vault.open_json(row["draft"], "draft") if row["draft"] else None
        held = self._vault.open_json(row["held"], "held") if row["held"] else None
        return Session(
            row["lang"], draft, moment(row["draft_updated_at"]), row["attach_ticket"], held
        )

    async def save(
        self,
        address: str,
        now: datetime,
        *,
        draft: dict[str, Any] | None,
        lang: str | None = None,
        outbox: Sequence[Message] = (),
    ) -> list[int]:
        """Save the draft (None deletes it) and queue the replies in one transaction."""
        sealed = self._vault.seal_json(draft, "draft") if draft is not None else None
        params = (
            self._conn.chat_hash(address),
            self._vault.seal(address.encode(), "chat") if sealed else None,
            lang,
            sealed,
            iso(now) if sealed else None,
        )
        rows = outbox_rows(self._vault, outbox, now)

        def work(db: sqlite3.Connection) -> list[int]:
            db.execute(
                """INSERT INTO sessions (chat_hash, chat, lang, draft, draft_updated_at)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (chat_hash) DO UPDATE SET
                     chat = excluded.chat,
                     lang = COALESCE(excluded.lang, sessions.lang),
                     draft = excluded.draft,
                     draft_updated_at = excluded.draft_updated_at,
                     expiry_warned_at = NULL""",
                params,
            )
            return insert_outbox(db, rows)

        return await self._conn.transact(work)

    async def set_language(self, address: str, lang: str) -> None:
        params = (self._conn.chat_hash(address), lang)
        await self._conn.transact(
            statement(
                """INSERT INTO sessions (chat_hash, lang) VALUES (?, ?)
                   ON CONFLICT (chat_hash) DO UPDATE SET lang = excluded.lang""",
                params,
            )
        )

    async def set_attach_ticket(self, address: str, ticket: str | None) -> None:
        params = (self._conn.chat_hash(address), ticket)
        await self._conn.transact(
            statement(
                """INSERT INTO sessions (chat_hash, attach_ticket) VALUES (?, ?)
                   ON CONFLICT (chat_hash) DO UPDATE SET attach_ticket = excluded.attach_ticket""",
                params,
            )
        )

    async def hold(
        self,
        address: str,
        now: datetime,
        held: list[dict[str, Any]] | None,
        outbox: Sequence[Message] = (),
    ) -> list[int]:
        """Keep (None: forget) what waits for the reporter to name its case, with the replies."""
        sealed = self._vault.seal_json(held, "held") if held else None
        params = (self._conn.chat_hash(address), sealed)
        rows = outbox_rows(self._vault, outbox, now)

        def work(db: sqlite3.Connection) -> list[int]:
            db.execute(
                """INSERT INTO sessions (chat_hash, held) VALUES (?, ?)
                   ON CONFLICT (chat_hash) DO UPDATE SET held = excluded.held""",
                params,
            )
            return insert_outbox(db, rows)

        return await self._conn.transact(work)

    # -- expiry ---------------------------------------------------------------------------

    async def stale_drafts(self, updated_before: datetime) -> list[StaleDraft]:
        """Drafts untouched since `updated_before`, with whether their owner was warned."""
        rows = await self._conn.rows(
            """SELECT chat_hash, chat, lang, draft, draft_updated_at, expiry_warned_at
               FROM sessions WHERE draft IS NOT NULL AND draft_updated_at <= ?""",
            (iso(updated_before),),
        )
        return [
            StaleDraft(
                chat_hash=row["chat_hash"],
                address=self._vault.open(row["chat"], "chat").decode() if row["chat"] else None,
                lang=row["lang"],
                draft=self._vault.open_json(row["draft"], "draft"),
                updated_at=datetime.fromisoformat(row["draft_updated_at"]),
                warned=row["expiry_warned_at"] is not None,
            )
            for row in rows
        ]

    async def warn_draft(
        self, chat_hash: bytes, updated_at: datetime, now: datetime, messages: Sequence[Message]
    ) -> bool:
        """Mark the draft warned and queue the warning, unless it changed meanwhile."""
        rows = outbox_rows(self._vault, messages, now)

        def work(db: sqlite3.Connection) -> bool:
            cursor = db.execute(
                """UPDATE sessions SET expiry_warned_at = ?
                   WHERE chat_hash = ? AND draft_updated_at = ? AND expiry_warned_at IS NULL""",
                (iso(now), chat_hash, iso(updated_at)),
            )
            if cursor.rowcount != 1:
                return False
            insert_outbox(db, rows)
            return True

        return await self._conn.transact(work)

    async def drop_draft(self, chat_hash: bytes, updated_at: datetime) -> bool:
        """Delete an expired draft, unless the reporter touched it meanwhile."""

        def work(db: sqlite3.Connection) -> bool:
            cursor = db.execute(
                """UPDATE sessions SET draft = NULL, draft_updated_at = NULL, chat = NULL,
                     expiry_warned_at = NULL WHERE chat_hash = ? AND draft_updated_at = ?""",
                (chat_hash, iso(updated_at)),
            )
            return cursor.rowcount == 1

        return await self._conn.transact(work)
