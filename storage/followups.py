"""Follow-ups and retention: what the scheduler finds due, and the record that it was sent.

A follow-up's key is written in the same transaction as its messages (and its audit entry),
so it goes out once even if the bot was stopped when it fell due, and never twice. Erasing a
reporter's identity at the end of its retention period is recorded the same way.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from storage.audit import SYSTEM_ACTOR, sealed_entry
from storage.connection import Connection, iso, moment
from storage.outbox import Message, insert_outbox, outbox_rows
from storage.sessions import detach_case


@dataclass(frozen=True)
class CaseClock:
    """The times that drive a case's follow-ups (no report text, no identity)."""

    ticket: str
    state: str
    created_at: datetime
    closed_at: datetime | None = None
    has_evidence: bool = False
    questions: Sequence[tuple[int, datetime]] = field(default_factory=list)
    answers: Sequence[datetime] = field(default_factory=list)
    identity_erased: bool = False
    reachable: bool = True
    taken: bool = False


def record_key(db: sqlite3.Connection, key: str, ticket: str | None, kind: str, now: str) -> bool:
    """Record that the follow-up `key` was sent; False if it already was."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO followups (key, ticket, kind, sent_at) VALUES (?, ?, ?, ?)",
        (key, ticket, kind, now),
    )
    return cursor.rowcount == 1


class Followups:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._vault = conn.vault

    async def case_clocks(
        self,
        final_states: Collection[str],
        *,
        questions: Collection[str],
        answers: Collection[str],
    ) -> list[CaseClock]:
        """The times that drive follow-ups, for every case that may still have one: open
        (not in `final_states`) or not yet erased. `questions` and `answers` are the audit
        actions (every name they were stored under) of an officer's question and of the
        reporter's answer."""
        finals = json.dumps(sorted(final_states))
        asked, answered = set(questions), set(answers)
        actions = json.dumps(sorted(asked | answered))

        def work(db: sqlite3.Connection) -> tuple[list[sqlite3.Row], list[sqlite3.Row]]:
            rows = db.execute(
                """SELECT r.ticket, r.state, r.created_at, r.closed_at, r.identity_erased_at,
                       r.chat IS NOT NULL AS reachable, r.officer IS NOT NULL AS taken,
                       EXISTS (SELECT 1 FROM evidence e WHERE e.report_id = r.id) AS has_evidence
                   FROM reports r
                   WHERE r.state NOT IN (SELECT value FROM json_each(?))
                      OR r.identity_erased_at IS NULL
                   ORDER BY r.id""",
                (finals,),
            ).fetchall()
            events = db.execute(
                """SELECT ticket, id, at, action FROM audit
                   WHERE action IN (SELECT value FROM json_each(?)) ORDER BY id""",
                (actions,),
            ).fetchall()
            return rows, events

        rows, events = await self._conn.read(work)
        asked_at: dict[str, list[tuple[int, datetime]]] = {}
        answered_at: dict[str, list[datetime]] = {}
        for event in events:
            at = datetime.fromisoformat(event["at"])
            if event["action"] in asked:
                asked_at.setdefault(event["ticket"], []).append((event["id"], at))
            else:
                answered_at.setdefault(event["ticket"], []).append(at)
        return [
            CaseClock(
                ticket=row["ticket"],
                state=row["state"],
                created_at=datetime.fromisoformat(row["created_at"]),
                closed_at=moment(row["closed_at"]),
                has_evidence=bool(row["has_evidence"]),
                questions=asked_at.get(row["ticket"], []),
                answers=answered_at.get(row["ticket"], []),
                identity_erased=row["identity_erased_at"] is not None,
                reachable=bool(row["reachable"]),
                taken=bool(row["taken"]),
            )
            for row in rows
        ]

    async def sent(self, keys: Sequence[str]) -> set[str]:
        """Which of these follow-ups were already sent."""
        if not keys:
            return set()
        rows = await self._conn.rows(
            "SELECT key FROM followups WHERE key IN (SELECT value FROM json_each(?))",
            (json.dumps(list(keys)),),
        )
        return {row["key"] for row in rows}

    async def record(
        self,
        key: str,
        kind: str,
        ticket: str | None,
        now: datetime,
        *,
        messages: Sequence[Message],
        attention: str | None = None,
    ) -> bool:
        """Send a follow-up once: its key and its messages are written together, or not at all.

        False (nothing written) if the key was already recorded."""
        # Reminders and deadlines (those with a case) are part of the case's history.
        audit = (
            sealed_entry(self._vault, now, SYSTEM_ACTOR, kind, {}) if ticket is not None else None
        )
        rows = outbox_rows(self._vault, messages, now)

        def work(db: sqlite3.Connection) -> bool:
            if not record_key(db, key, ticket, kind, iso(now)):
                return False
            if audit is not None:
                audit(db, ticket)
            if ticket is not None and attention is not None:
                db.execute("UPDATE reports SET attention = ? WHERE ticket = ?", (attention, ticket))
            insert_outbox(db, rows)
            return True

        return await self._conn.transact(work)

    async def erase_identity(self, ticket: str, now: datetime, *, actor: str, key: str) -> bool:
        """Erase the reporter's identity and chat link; the case stays for the record.

        False (nothing written) if it was already erased."""
        audit = sealed_entry(self._vault, now, actor, "identity_erased", {})

        def work(db: sqlite3.Connection) -> bool:
            # Undelivered messages to the reporter go too (they carry the chat), and the link a
            # /bukti session kept to this case.
            db.execute(
                """DELETE FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL
                   AND recipient_hash = (SELECT chat_hash FROM reports WHERE ticket = ?)""",
                (ticket,),
            )
            detach_case(db, ticket)
            cursor = db.execute(
                """UPDATE reports SET identity = NULL, chat = NULL, chat_hash = NULL,
                     identity_erased_at = ? WHERE ticket = ? AND identity_erased_at IS NULL""",
                (iso(now), ticket),
            )
            if cursor.rowcount != 1:
                return False
            record_key(db, key, ticket, "erase_identity", iso(now))
            audit(db, ticket)
            return True

        return await self._conn.transact(work, durable=True)
