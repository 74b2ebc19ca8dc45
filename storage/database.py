"""The one storage interface: drafts, reports, evidence, the outbox and the audit chain.

Only this package writes SQL. One aiosqlite connection per process, WAL mode. Writes
are short functions run on the database thread, never interleaved with another coroutine;
those arriving together share one `BEGIN IMMEDIATE` transaction, each in its own savepoint
(storage/group_commit.py). SQLite's busy timeout orders them with other processes (the CLI).
Everything that identifies a reporter or carries report text is sealed by the vault first.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import sqlite3
from collections.abc import Callable, Collection, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from conversations.followups import CaseClock
from conversations.i18n import Lang
from conversations.workflow import FINAL_STATES, CaseState, Outcome
from storage.blobs import BlobStore
from storage.group_commit import GroupCommit, without_cursor
from storage.migrations import migrate
from storage.vault import Vault

T = TypeVar("T")
BUSY_TIMEOUT_MS = 5000
REPORTER_ACTOR = "pelapor"
SYSTEM_ACTOR = "sistem"


class StateConflict(Exception):
    """The case was changed by someone else between reading it and writing the change."""


def _iso(moment: datetime) -> str:
    """UTC, to the microsecond."""
    return _utc_text(moment, moment.fold)


@functools.lru_cache(maxsize=256)
def _utc_text(moment: datetime, fold: int) -> str:
    """Cached: one write stamps the same moment several times. `fold` is part of the key:
    the two readings of a wall-clock hour repeated at a DST change compare equal."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def format_ticket(year: int, seq: int) -> str:
    return f"WBS-{year}-{seq:04d}"


@dataclass(frozen=True)
class Outgoing:
    """A message to queue: to whom (`channel:chat`), what (channel-neutral), about which case."""

    address: str
    payload: dict[str, Any]
    kind: str
    ticket: str | None = None


@dataclass(frozen=True)
class QueuedMessage:
    id: int
    address: str
    payload: dict[str, Any]
    kind: str
    ticket: str | None
    attempts: int
    created_at: datetime | None = None


@dataclass(frozen=True)
class Session:
    lang: Lang | None
    draft: dict[str, Any] | None
    draft_updated_at: datetime | None
    attach_ticket: str | None = None


@dataclass(frozen=True)
class StaleDraft:
    chat_hash: bytes
    address: str | None
    lang: Lang | None
    draft: dict[str, Any]
    updated_at: datetime
    warned: bool


@dataclass(frozen=True)
class NewReport:
    channel: str
    address: str
    lang: Lang
    identity: dict[str, Any] | None  # None: anonymous
    category: str
    service: str | None
    amount: int | None
    consent: bool
    content: dict[str, Any]  # the form's text fields, by field id
    evidence: list[dict[str, Any]]


@dataclass(frozen=True)
class ReportRecord:
    id: int
    ticket: str
    channel: str
    state: CaseState
    outcome: Outcome | None
    category: str
    service: str | None
    anonymous: bool
    consent: bool
    amount: int | None
    content: dict[str, Any]
    evidence: list[dict[str, Any]]
    officer: str | None
    lang: Lang
    created_at: datetime
    updated_at: datetime
    first_action_at: datetime | None = None
    closed_at: datetime | None = None


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    ticket: str | None
    detail: dict[str, Any]


class Store:
    def __init__(self, db: aiosqlite.Connection, vault: Vault, blobs: BlobStore) -> None:
        self._db = db
        self.vault = vault
        self.blobs = blobs
        self._writes = GroupCommit(db._execute, db._conn, BUSY_TIMEOUT_MS / 1000)

    @classmethod
    async def open(cls, database: Path, vault: Vault) -> Store:
        database.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(database, isolation_level=None)
        db.row_factory = aiosqlite.Row
        try:
            for pragma in (
                f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
                "PRAGMA journal_mode = WAL",
                "PRAGMA synchronous = NORMAL",
                "PRAGMA foreign_keys = ON",
                "PRAGMA secure_delete = ON",
            ):
                await db.execute(pragma)
            await migrate(db)
        except BaseException:
            # aiosqlite's worker thread is not a daemon: left open, it keeps the process alive.
            await db.close()
            raise
        return cls(db, vault, BlobStore(database.parent / "evidence", vault))

    async def close(self) -> None:
        await self._writes.drain()
        await self._db.close()

    async def _transact(self, work: Callable[[sqlite3.Connection], T], durable: bool = False) -> T:
        """Run `work` as one atomic write on the database thread (see storage/group_commit.py).

        Every write goes through here. `work` must not await: seal on the event loop before.
        """
        return await self._writes.run(work, durable)

    async def _read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """A read in a single hop to the database thread; `work` returns rows, not its cursor."""
        result: T = await self._db._execute(  # type: ignore[no-untyped-call]
            lambda db: without_cursor(work(db)), self._db._conn
        )
        return result

    def chat_hash(self, address: str) -> bytes:
        return self.vault.lookup_hash(address)

    # -- chat sessions and drafts ---------------------------------------------------------

    async def session(self, address: str) -> Session:
        chat_hash = self.chat_hash(address)
        row = await self._read(
            lambda db: db.execute(
                """SELECT lang, draft, draft_updated_at, attach_ticket FROM sessions
                   WHERE chat_hash = ?""",
                (chat_hash,),
            ).fetchone()
        )
        if row is None:
            return Session(None, None, None)
        draft = self.vault.open_json(row["draft"], "draft") if row["draft"] else None
        return Session(
            Lang(row["lang"]) if row["lang"] else None,
            draft,
            _dt(row["draft_updated_at"]),
            row["attach_ticket"],
        )

    async def save_session(
        self,
        address: str,
        now: datetime,
        *,
        draft: dict[str, Any] | None,
        lang: Lang | None = None,
        outbox: Sequence[Outgoing] = (),
    ) -> list[int]:
        """Save the draft (None deletes it) and queue the replies in one transaction."""
        sealed = self.vault.seal_json(draft, "draft") if draft is not None else None
        params = (
            self.chat_hash(address),
            self.vault.seal(address.encode(), "chat") if sealed else None,
            lang,
            sealed,
            _iso(now) if sealed else None,
        )
        rows = self._outbox_rows(outbox, now)

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
            return _insert_outbox(db, rows)

        return await self._transact(work)

    async def set_language(self, address: str, lang: Lang) -> None:
        params = (self.chat_hash(address), lang)
        await self._transact(
            _statement(
                """INSERT INTO sessions (chat_hash, lang) VALUES (?, ?)
                   ON CONFLICT (chat_hash) DO UPDATE SET lang = excluded.lang""",
                params,
            )
        )

    # -- reports --------------------------------------------------------------------------

    async def submit_report(
        self,
        report: NewReport,
        now: datetime,
        year: int,
        messages: Callable[[str], Sequence[Outgoing]],
    ) -> tuple[str, list[int]]:
        """Store the report, number it, drop the draft and queue `messages(ticket)`, atomically.

        The running number is taken inside the write transaction, so two reports sent at the
        same moment (even from two processes) never share a number. Only what needs the
        ticket (the messages) is composed and sealed inside it; the rest is sealed before.
        """
        chat_hash = self.chat_hash(report.address)
        fields = (
            report.channel,
            chat_hash,
            self.vault.seal(report.address.encode(), "chat"),
            self.vault.seal_json(report.identity, "identity") if report.identity else None,
            report.identity is None,
            report.category,
            report.service,
            report.amount,
            report.consent,
            self.vault.seal_json(report.content, "report"),
            CaseState.NEW,
            report.lang,
            _iso(now),
            _iso(now),
        )
        evidence = [
            (item["kind"], self.vault.seal_json(item, "evidence")) for item in report.evidence
        ]
        audit = self._audit(now, REPORTER_ACTOR, "report_submitted", {"channel": report.channel})

        def work(db: sqlite3.Connection) -> tuple[str, list[int]]:
            row = db.execute(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM reports WHERE year = ?", (year,)
            ).fetchone()
            seq = int(row[0]) if row else 1
            ticket = format_ticket(year, seq)
            cursor = db.execute(
                """INSERT INTO reports (ticket, year, seq, channel, chat_hash, chat, identity,
                     anonymous, category, service, amount, consent, content, state, lang,
                     created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (ticket, year, seq, *fields),
            )
            report_id = cursor.lastrowid
            for kind, data in evidence:
                db.execute(
                    "INSERT INTO evidence (report_id, kind, data, added_at) VALUES (?, ?, ?, ?)",
                    (report_id, kind, data, _iso(now)),
                )
            db.execute(
                "UPDATE sessions SET draft = NULL, draft_updated_at = NULL WHERE chat_hash = ?",
                (chat_hash,),
            )
            audit(db, ticket)
            return ticket, _insert_outbox(db, self._outbox_rows(messages(ticket), now))

        return await self._transact(work, durable=True)

    _REPORT_COLUMNS = """id, ticket, channel, state, outcome, category, service, anonymous,
        consent, amount, content, officer, lang, created_at, updated_at, first_action_at,
        closed_at"""

    async def _evidence_of(self, report_id: int) -> list[dict[str, Any]]:
        async with self._db.execute(
            "SELECT data FROM evidence WHERE report_id = ? ORDER BY id", (report_id,)
        ) as cursor:
            return [self.vault.open_json(r["data"], "evidence") async for r in cursor]

    async def _record(self, row: aiosqlite.Row) -> ReportRecord:
        return ReportRecord(
            id=row["id"],
            ticket=row["ticket"],
            channel=row["channel"],
            state=CaseState(row["state"]),
            outcome=Outcome(row["outcome"]) if row["outcome"] else None,
            category=row["category"],
            service=row["service"],
            anonymous=bool(row["anonymous"]),
            consent=bool(row["consent"]),
            amount=row["amount"],
            content=self.vault.open_json(row["content"], "report"),
            evidence=await self._evidence_of(row["id"]),
            officer=row["officer"],
            lang=Lang(row["lang"]),
            created_at=datetime.fromisoformat(row["created_at"]),
            updated_at=datetime.fromisoformat(row["updated_at"]),
            first_action_at=_dt(row["first_action_at"]),
            closed_at=_dt(row["closed_at"]),
        )

    async def _records(self, where: str, params: Sequence[Any]) -> list[ReportRecord]:
        async with self._db.execute(
            f"SELECT {self._REPORT_COLUMNS} FROM reports {where} ORDER BY id", params
        ) as cursor:
            rows = await cursor.fetchall()
        return [await self._record(row) for row in rows]

    async def reports(self, state: CaseState | None = None) -> list[ReportRecord]:
        if state is None:
            return await self._records("", ())
        return await self._records("WHERE state = ?", (state,))

    async def reports_of_chat(self, address: str) -> list[ReportRecord]:
        return await self._records("WHERE chat_hash = ?", (self.chat_hash(address),))

    async def report(self, ticket: str) -> ReportRecord | None:
        found = await self._records("WHERE ticket = ?", (ticket,))
        return found[0] if found else None

    async def report_by_number(
        self, seq: int, prefer_year: int | None = None
    ) -> ReportRecord | None:
        """A bare running number means this year's case if there is one, else the newest."""
        found = await self._records(
            """WHERE id = (SELECT id FROM reports WHERE seq = ?
                           ORDER BY year = ? DESC, year DESC LIMIT 1)""",
            (seq, prefer_year),
        )
        return found[0] if found else None

    # -- cases ----------------------------------------------------------------------------

    async def update_case(
        self,
        ticket: str,
        now: datetime,
        *,
        actor: str,
        action: str,
        detail: dict[str, Any],
        expect_state: CaseState | None,
        state: CaseState | None = None,
        outcome: Outcome | None = None,
        officer: str | None = None,
        messages: Sequence[Outgoing] = (),
    ) -> None:
        """Change a case, audit it and queue what it causes, atomically.

        `expect_state` is the state the caller checked its move against; if someone else moved
        the case meanwhile, nothing is written and `StateConflict` is raised.
        """
        sets: list[str] = ["updated_at = ?"]
        params: list[Any] = [_iso(now)]
        if state is not None:
            sets += ["state = ?", "outcome = ?", "closed_at = ?"]
            params += [state, outcome, _iso(now) if state in FINAL_STATES else None]
        if officer is not None:
            sets.append("officer = ?")
            params.append(officer)
        if actor != REPORTER_ACTOR:
            sets += ["first_action_at = COALESCE(first_action_at, ?)", "attention = NULL"]
            params.append(_iso(now))
        where, keys = "ticket = ?", [ticket]
        if expect_state is not None:
            where, keys = "ticket = ? AND state = ?", [ticket, expect_state]
        audit = self._audit(now, actor, action, detail)
        rows = self._outbox_rows(messages, now)

        def work(db: sqlite3.Connection) -> None:
            cursor = db.execute(
                f"UPDATE reports SET {', '.join(sets)} WHERE {where}", (*params, *keys)
            )
            if cursor.rowcount != 1:
                raise StateConflict(ticket)
            audit(db, ticket)
            _insert_outbox(db, rows)

        await self._transact(work, durable=True)

    async def add_evidence(
        self,
        ticket: str,
        items: Sequence[dict[str, Any]],
        now: datetime,
        *,
        messages: Sequence[Outgoing] = (),
    ) -> None:
        """Evidence a reporter adds to a sent report (`/bukti`), with its audit entry."""
        evidence = [(item["kind"], self.vault.seal_json(item, "evidence")) for item in items]
        kinds = [item["kind"] for item in items]
        audit = self._audit(now, REPORTER_ACTOR, "evidence_added", {"kinds": kinds})
        rows = self._outbox_rows(messages, now)

        def work(db: sqlite3.Connection) -> None:
            row = db.execute("SELECT id FROM reports WHERE ticket = ?", (ticket,)).fetchone()
            if row is None:
                raise KeyError(ticket)
            for kind, data in evidence:
                db.execute(
                    "INSERT INTO evidence (report_id, kind, data, added_at) VALUES (?, ?, ?, ?)",
                    (row["id"], kind, data, _iso(now)),
                )
            db.execute("UPDATE reports SET updated_at = ? WHERE id = ?", (_iso(now), row["id"]))
            audit(db, ticket)
            _insert_outbox(db, rows)

        await self._transact(work, durable=True)

    async def set_attach_ticket(self, address: str, ticket: str | None) -> None:
        params = (self.chat_hash(address), ticket)
        await self._transact(
            _statement(
                """INSERT INTO sessions (chat_hash, attach_ticket) VALUES (?, ?)
                   ON CONFLICT (chat_hash) DO UPDATE SET attach_ticket = excluded.attach_ticket""",
                params,
            )
        )

    async def reporter_address(self, ticket: str) -> str | None:
        """The reporter's chat, for messages about their case; None once erased."""
        async with self._db.execute(
            "SELECT chat FROM reports WHERE ticket = ?", (ticket,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is None or row["chat"] is None:
            return None
        return self.vault.open(row["chat"], "chat").decode()

    async def identity(self, ticket: str) -> dict[str, Any] | None:
        """The reporter's name, phone and e-mail: only for an audited reveal."""
        async with self._db.execute(
            "SELECT identity FROM reports WHERE ticket = ?", (ticket,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is None or row["identity"] is None:
            return None
        identity: dict[str, Any] = self.vault.open_json(row["identity"], "identity")
        return identity

    async def identity_erased(self, ticket: str) -> bool:
        row = await self._read(
            lambda db: db.execute(
                "SELECT identity_erased_at FROM reports WHERE ticket = ?", (ticket,)
            ).fetchone()
        )
        return row is not None and row["identity_erased_at"] is not None

    async def ticket_of_delivered(self, address: str, delivered_id: str) -> str | None:
        """Which case a message we sent to this chat was about (for replies to questions)."""
        async with self._db.execute(
            """SELECT ticket FROM outbox WHERE recipient_hash = ? AND delivered_id = ?
               AND kind = 'to_reporter' AND ticket IS NOT NULL""",
            (self.chat_hash(address), delivered_id),
        ) as cursor:
            row = await cursor.fetchone()
        return row["ticket"] if row else None

    async def audit_rows(self) -> list[dict[str, Any]]:
        """The raw chain, for `wbs-officer audit verify`."""
        async with self._db.execute(
            "SELECT id, at, actor, action, ticket, detail, prev_hash, hash FROM audit ORDER BY id"
        ) as cursor:
            return [dict(row) for row in await cursor.fetchall()]

    # -- follow-ups and retention (what the scheduler finds due) ---------------------------

    async def case_clocks(self) -> list[CaseClock]:
        """The times that drive follow-ups, for every case that may still have one."""
        async with self._db.execute(
            f"""SELECT r.ticket, r.state, r.created_at, r.closed_at, r.identity_erased_at,
                       r.chat IS NOT NULL AS reachable, r.officer IS NOT NULL AS taken,
                       EXISTS (SELECT 1 FROM evidence e WHERE e.report_id = r.id) AS has_evidence
                FROM reports r
                WHERE r.state NOT IN ({",".join("?" * len(FINAL_STATES))})
                   OR r.identity_erased_at IS NULL
                ORDER BY r.id""",
            tuple(FINAL_STATES),
        ) as cursor:
            rows = await cursor.fetchall()
        async with self._db.execute(
            """SELECT ticket, id, at, action FROM audit
               WHERE action IN ('question', 'kelengkapan', 'reporter_answered', 'jawaban_pelapor')
               ORDER BY id"""  # a question (kelengkapan) and an answer, by old and new name
        ) as cursor:
            events = await cursor.fetchall()
        questions: dict[str, list[tuple[int, datetime]]] = {}
        answers: dict[str, list[datetime]] = {}
        for event in events:
            at = datetime.fromisoformat(event["at"])
            if event["action"] in ("question", "kelengkapan"):
                questions.setdefault(event["ticket"], []).append((event["id"], at))
            else:
                answers.setdefault(event["ticket"], []).append(at)
        return [
            CaseClock(
                ticket=row["ticket"],
                state=CaseState(row["state"]),
                created_at=datetime.fromisoformat(row["created_at"]),
                closed_at=_dt(row["closed_at"]),
                has_evidence=bool(row["has_evidence"]),
                questions=questions.get(row["ticket"], []),
                answers=answers.get(row["ticket"], []),
                identity_erased=row["identity_erased_at"] is not None,
                reachable=bool(row["reachable"]),
                taken=bool(row["taken"]),
            )
            for row in rows
        ]

    async def sent_followups(self, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            async with self._db.execute(
                f"SELECT key FROM followups WHERE key IN ({','.join('?' * len(chunk))})", chunk
            ) as cursor:
                found.update(row["key"] for row in await cursor.fetchall())
        return found

    async def record_followup(
        self,
        key: str,
        kind: str,
        ticket: str | None,
        now: datetime,
        *,
        messages: Sequence[Outgoing],
        attention: str | None = None,
    ) -> bool:
        """Send a follow-up once: its key and its messages are written together, or not at all."""
        # Reminders and deadlines (those with a case) are part of the case's history.
        audit = self._audit(now, SYSTEM_ACTOR, kind, {}) if ticket is not None else None
        rows = self._outbox_rows(messages, now)

        def work(db: sqlite3.Connection) -> bool:
            cursor = db.execute(
                "INSERT OR IGNORE INTO followups (key, ticket, kind, sent_at) VALUES (?, ?, ?, ?)",
                (key, ticket, kind, _iso(now)),
            )
            if cursor.rowcount != 1:
                return False
            if audit is not None:
                audit(db, ticket)
            if ticket is not None and attention is not None:
                db.execute("UPDATE reports SET attention = ? WHERE ticket = ?", (attention, ticket))
            _insert_outbox(db, rows)
            return True

        return await self._transact(work)

    async def attention(self) -> dict[str, str]:
        """Cases flagged for a decision (e.g. the reporter did not respond)."""
        async with self._db.execute(
            "SELECT ticket, attention FROM reports WHERE attention IS NOT NULL"
        ) as cursor:
            return {row["ticket"]: row["attention"] async for row in cursor}

    async def erase_identity(self, ticket: str, now: datetime, *, actor: str, key: str) -> bool:
        """Erase the reporter's identity and chat link; the case stays for the record."""
        audit = self._audit(now, actor, "identity_erased", {})

        def work(db: sqlite3.Connection) -> bool:
            # Undelivered messages to the reporter go too (they carry the chat), and the link a
            # /bukti session kept to this case.
            db.execute(
                """DELETE FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL
                   AND recipient_hash = (SELECT chat_hash FROM reports WHERE ticket = ?)""",
                (ticket,),
            )
            db.execute(
                "UPDATE sessions SET attach_ticket = NULL WHERE attach_ticket = ?", (ticket,)
            )
            cursor = db.execute(
                """UPDATE reports SET identity = NULL, chat = NULL, chat_hash = NULL,
                     identity_erased_at = ? WHERE ticket = ? AND identity_erased_at IS NULL""",
                (_iso(now), ticket),
            )
            if cursor.rowcount != 1:
                return False
            db.execute(
                "INSERT OR IGNORE INTO followups (key, ticket, kind, sent_at) VALUES (?, ?, ?, ?)",
                (key, ticket, "erase_identity", _iso(now)),
            )
            audit(db, ticket)
            return True

        return await self._transact(work, durable=True)

    async def stale_drafts(self, updated_before: datetime) -> list[StaleDraft]:
        """Drafts untouched since `updated_before`, with whether their owner was warned."""
        async with self._db.execute(
            """SELECT chat_hash, chat, lang, draft, draft_updated_at, expiry_warned_at
               FROM sessions WHERE draft IS NOT NULL AND draft_updated_at <= ?""",
            (_iso(updated_before),),
        ) as cursor:
            rows = await cursor.fetchall()
        return [
            StaleDraft(
                chat_hash=row["chat_hash"],
                address=self.vault.open(row["chat"], "chat").decode() if row["chat"] else None,
                lang=Lang(row["lang"]) if row["lang"] else None,
                draft=self.vault.open_json(row["draft"], "draft"),
                updated_at=datetime.fromisoformat(row["draft_updated_at"]),
                warned=row["expiry_warned_at"] is not None,
            )
            for row in rows
        ]

    async def warn_draft(
        self, chat_hash: bytes, updated_at: datetime, now: datetime, messages: Sequence[Outgoing]
    ) -> bool:
        """Mark the draft warned and queue the warning, unless it changed meanwhile."""
        rows = self._outbox_rows(messages, now)

        def work(db: sqlite3.Connection) -> bool:
            cursor = db.execute(
                """UPDATE sessions SET expiry_warned_at = ?
                   WHERE chat_hash = ? AND draft_updated_at = ? AND expiry_warned_at IS NULL""",
                (_iso(now), chat_hash, _iso(updated_at)),
            )
            if cursor.rowcount != 1:
                return False
            _insert_outbox(db, rows)
            return True

        return await self._transact(work)

    async def drop_draft(self, chat_hash: bytes, updated_at: datetime) -> bool:
        """Delete an expired draft, unless the reporter touched it meanwhile."""

        def work(db: sqlite3.Connection) -> bool:
            cursor = db.execute(
                """UPDATE sessions SET draft = NULL, draft_updated_at = NULL, chat = NULL,
                     expiry_warned_at = NULL WHERE chat_hash = ? AND draft_updated_at = ?""",
                (chat_hash, _iso(updated_at)),
            )
            return cursor.rowcount == 1

        return await self._transact(work)

    # -- the audit chain ------------------------------------------------------------------

    def _audit(
        self, now: datetime, actor: str, action: str, detail: dict[str, Any]
    ) -> Callable[[sqlite3.Connection, str | None], None]:
        """An audit entry sealed now (on the event loop), appended by the returned function
        inside the transaction: `append(db, ticket)`. The entry's hash covers the previous
        entry's hash (tamper evidence), so only that part waits for the database."""
        sealed = self.vault.seal_json(detail, "audit")
        at = _iso(now)
        key = self.vault.audit_key

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

    async def history(self, ticket: str) -> list[AuditEntry]:
        return await self._audit_entries("WHERE ticket = ?", (ticket,))

    async def audit_entries(self) -> list[AuditEntry]:
        return await self._audit_entries("", ())

    async def _audit_entries(self, where: str, params: Sequence[Any]) -> list[AuditEntry]:
        async with self._db.execute(
            f"SELECT id, at, actor, action, ticket, detail FROM audit {where} ORDER BY id", params
        ) as cursor:
            rows = await cursor.fetchall()
        return [
            AuditEntry(
                r["id"],
                datetime.fromisoformat(r["at"]),
                r["actor"],
                r["action"],
                r["ticket"],
                self.vault.open_json(r["detail"], "audit"),
            )
            for r in rows
        ]

    # -- the outbox -----------------------------------------------------------------------

    def _outbox_rows(self, messages: Sequence[Outgoing], now: datetime) -> list[tuple[Any, ...]]:
        """Outbox rows, sealed here (on the event loop) so the database thread only writes."""
        return [
            (
                self.chat_hash(message.address),
                self.vault.seal(message.address.encode(), "recipient"),
                message.kind,
                message.ticket,
                self.vault.seal_json(message.payload, "payload"),
                _iso(now),
                _iso(now),
            )
            for message in messages
        ]

    async def enqueue(self, messages: Sequence[Outgoing], now: datetime) -> list[int]:
        rows = self._outbox_rows(messages, now)
        return await self._transact(lambda db: _insert_outbox(db, rows))

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
        wanted = sorted({self.chat_hash(a) for a in addresses}) if addresses is not None else None
        stamp = _iso(now)
        lease = _iso(datetime.fromtimestamp(now.timestamp() + lease_seconds, UTC))
        if addresses is not None:  # only the asked-for chats can be blocked: hash only those
            busy = set(busy).intersection(addresses)
        in_flight = {self.chat_hash(a) for a in busy}

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
        taken = await self._transact(work)
        return [
            QueuedMessage(
                row["id"],
                self.vault.open(row["recipient"], "recipient").decode(),
                self.vault.open_json(row["payload"], "payload"),
                row["kind"],
                row["ticket"],
                row["attempts"],
                datetime.fromisoformat(row["created_at"]),
            )
            for row in taken
        ]

    async def mark_sent(self, message_id: int, now: datetime, delivered_id: str | None) -> None:
        await self.mark_sent_many([(message_id, delivered_id)], now)

    async def mark_sent_many(
        self, delivered: Sequence[tuple[int, str | None]], now: datetime
    ) -> None:
        """Record deliveries (outbox id, the channel's message id) in one transaction.

        What was delivered is kept no longer than needed: the text and the recipient are
        wiped (summaries carry the reporter's name); the recipient's keyed hash, the channel's
        message id and the case remain, so a reply to the message still finds its case.
        """
        rows = [(_iso(now), delivered_id, message_id) for message_id, delivered_id in delivered]
        if not rows:
            return
        await self._transact(
            _statements(
                """UPDATE outbox SET sent_at = ?, delivered_id = ?, claimed_until = NULL,
                     attempts = attempts + 1, recipient = x'', payload = x'' WHERE id = ?""",
                rows,
            )
        )

    async def mark_retry(self, message_id: int, due: datetime, error: str) -> None:
        await self._transact(
            _statement(
                """UPDATE outbox SET due_at = ?, last_error = ?, claimed_until = NULL,
                     attempts = attempts + 1 WHERE id = ?""",
                (_iso(due), error[:200], message_id),
            )
        )

    async def mark_failed(self, message_id: int, now: datetime, error: str) -> None:
        """Give up on a message that can never be delivered (e.g. the reporter blocked us)."""
        await self._transact(
            _statement(
                """UPDATE outbox SET failed_at = ?, last_error = ?, claimed_until = NULL,
                     attempts = attempts + 1, recipient = x'', payload = x'' WHERE id = ?""",
                (_iso(now), error[:200], message_id),
            )
        )

    async def release(self, message_ids: Sequence[int]) -> None:
        """Give claimed messages back untouched (they wait behind a failed one)."""
        rows = [(i,) for i in message_ids]
        await self._transact(
            _statements("UPDATE outbox SET claimed_until = NULL WHERE id = ?", rows)
        )

    async def release_claims(self) -> None:
        """At start-up: leases of a process that died are void."""
        await self._transact(
            _statement("UPDATE outbox SET claimed_until = NULL WHERE sent_at IS NULL")
        )

    async def undelivered_count(self) -> int:
        async with self._db.execute(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def record(
        self,
        now: datetime,
        actor: str,
        action: str,
        ticket: str | None,
        detail: dict[str, Any],
    ) -> None:
        """Append one audit entry and nothing else (e.g. an export of the register)."""
        audit = self._audit(now, actor, action, detail)
        await self._transact(lambda db: audit(db, ticket), durable=True)

    async def last_actor_name(self, actor: str) -> str | None:
        """The name (`detail["by"]`) an actor id last acted under, e.g. an officer's Telegram
        name for `wbs-officer --as <user id>`; None if it never acted with one."""
        async with self._db.execute(
            "SELECT detail FROM audit WHERE actor = ? ORDER BY id DESC LIMIT 50", (actor,)
        ) as cursor:
            rows = await cursor.fetchall()
        for row in rows:
            name = self.vault.open_json(row["detail"], "audit").get("by")
            if isinstance(name, str) and name.strip() and name != actor:
                return name
        return None

    # -- WhatsApp: the webhook inbox and the 24-hour window (bot/whatsapp) -----------------
    # Message ids and numbers are looked up by keyed hash; the messages themselves are sealed
    # and dropped once processed. Only times are kept in clear.

    async def whatsapp_accept(
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
                    self.vault.lookup_hash("whatsapp-message:" + message_id),
                    self.chat_hash(address),
                    self.vault.seal_json(
                        {"address": address, "message": message}, "whatsapp_inbox"
                    ),
                    _iso(now),
                    _iso(now),
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

        return await self._transact(work, durable=True)

    async def whatsapp_pending(
        self, *, address: str | None = None, limit: int = 500
    ) -> list[dict[str, Any]]:
        """Messages not yet processed, oldest first: id, address, message, attempts, due_at."""
        where, params = "WHERE done_at IS NULL", []
        if address is not None:
            where += " AND chat_hash = ?"
            params.append(self.chat_hash(address))
        async with self._db.execute(
            f"""SELECT id, message, attempts, due_at FROM whatsapp_inbox {where}
                ORDER BY id LIMIT ?""",
            (*params, limit),
        ) as cursor:
            rows = await cursor.fetchall()
        found = []
        for row in rows:
            content = self.vault.open_json(row["message"], "whatsapp_inbox")
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

    async def whatsapp_processed(self, row_id: int, now: datetime) -> None:
        await self._transact(
            _statement(
                "UPDATE whatsapp_inbox SET done_at = ?, message = NULL WHERE id = ?",
                (_iso(now), row_id),
            )
        )

    async def whatsapp_retry(self, row_id: int, due: datetime) -> None:
        await self._transact(
            _statement(
                "UPDATE whatsapp_inbox SET due_at = ?, attempts = attempts + 1 WHERE id = ?",
                (_iso(due), row_id),
            )
        )

    async def whatsapp_prune(self, before: datetime) -> int:
        """Forget processed message ids older than `before` (Meta retries for 7 days at most)."""

        def work(db: sqlite3.Connection) -> int:
            cursor = db.execute(
                "DELETE FROM whatsapp_inbox WHERE done_at IS NOT NULL AND done_at < ?",
                (_iso(before),),
            )
            return cursor.rowcount

        return await self._transact(work)

    async def whatsapp_inbound(self, address: str, at: datetime, now: datetime) -> int:
        """The reporter wrote at `at`: the window is open, and what waited for it is due now.

        Returns how many queued messages were waiting (for the window, or for a retry).
        """
        chat_hash = self.chat_hash(address)

        def work(db: sqlite3.Connection) -> int:
            db.execute(
                """INSERT INTO whatsapp_window (chat_hash, last_inbound_at) VALUES (?, ?)
                   ON CONFLICT (chat_hash) DO UPDATE SET last_inbound_at = MAX(
                     COALESCE(whatsapp_window.last_inbound_at, ''), excluded.last_inbound_at)""",
                (chat_hash, _iso(at)),
            )
            return db.execute(
                """UPDATE outbox SET due_at = ? WHERE recipient_hash = ? AND sent_at IS NULL
                     AND failed_at IS NULL AND due_at > ?""",
                (_iso(now), chat_hash, _iso(now)),
            ).rowcount

        return await self._transact(work)

    async def whatsapp_window(self, address: str) -> tuple[datetime | None, datetime | None]:
        """(the reporter's last message, the last follow-up template) for this chat."""
        async with self._db.execute(
            "SELECT last_inbound_at, template_sent_at FROM whatsapp_window WHERE chat_hash = ?",
            (self.chat_hash(address),),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None, None
        return _dt(row["last_inbound_at"]), _dt(row["template_sent_at"])

    async def whatsapp_template_sent(self, address: str, at: datetime) -> None:
        params = (self.chat_hash(address), _iso(at))
        await self._transact(
            _statement(
                """INSERT INTO whatsapp_window (chat_hash, template_sent_at) VALUES (?, ?)
                   ON CONFLICT (chat_hash) DO UPDATE SET
                     template_sent_at = excluded.template_sent_at""",
                params,
            )
        )

    async def whatsapp_queued_after(self, address: str, since: datetime) -> bool:
        """Whether a message for this chat was queued after `since` and still waits."""
        async with self._db.execute(
            """SELECT 1 FROM outbox WHERE recipient_hash = ? AND sent_at IS NULL
                 AND failed_at IS NULL AND created_at > ? LIMIT 1""",
            (self.chat_hash(address), _iso(since)),
        ) as cursor:
            return await cursor.fetchone() is not None

    async def whatsapp_window_closed(self, address: str, closed_before: datetime) -> None:
        """WhatsApp says the window is closed: the last inbound is at least that old."""
        params = (_iso(closed_before), self.chat_hash(address))
        await self._transact(
            _statement(
                """UPDATE whatsapp_window SET last_inbound_at = MIN(last_inbound_at, ?)
                   WHERE chat_hash = ?""",
                params,
            )
        )


def lost_key_problem(database: Path, key_file: Path) -> str | None:
    """A database with reports but no key file: starting would make a new key, and every
    report sealed with the old one would be unreadable. Checked before anything is created."""
    if key_file.exists() or not database.exists():
        return None
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        try:
            has_reports = db.execute("SELECT 1 FROM reports LIMIT 1").fetchone() is not None
        except sqlite3.OperationalError:  # no reports table yet
            return None
    if not has_reports:
        return None
    return (
        f"security.key_file: {key_file} is missing, but {database} already holds reports "
        "sealed with a key. Restore the key file from your backup: without it those reports "
        "cannot be read. (A new key is made only for a database without reports.)"
    )


INSERT_OUTBOX = """INSERT INTO outbox (recipient_hash, recipient, kind, ticket, payload,
    created_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?)"""


def _statement(sql: str, params: Sequence[Any] = ()) -> Callable[[sqlite3.Connection], None]:
    """A write of one statement, for `Store._transact`."""

    def work(db: sqlite3.Connection) -> None:
        db.execute(sql, params)

    return work


def _statements(sql: str, rows: Sequence[Sequence[Any]]) -> Callable[[sqlite3.Connection], None]:
    """One statement run for each row of parameters, as one write."""

    def work(db: sqlite3.Connection) -> None:
        db.executemany(sql, rows)

    return work


def _insert_outbox(db: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]) -> list[int]:
    ids = []
    for row in rows:
        cursor = db.execute(INSERT_OUTBOX, row)
        assert cursor.lastrowid is not None
        ids.append(cursor.lastrowid)
    return ids


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
