"""Reports: the case register, its evidence, the reporter's sealed identity and chat.

A report is numbered inside the transaction that stores it, so two reports sent at the same
moment (even from two processes) never share a number. States, outcomes and languages are
the domain's codes, stored and returned as plain text. Listing reads the evidence of all the
listed reports in one query, not one per report.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from storage.audit import REPORTER_ACTOR, sealed_entry
from storage.connection import Connection, iso, moment
from storage.outbox import Message, insert_outbox, outbox_rows
from storage.sessions import clear_draft

REPORT_COLUMNS = """id, ticket, channel, state, outcome, category, service, anonymous,
    consent, amount, content, officer, lang, created_at, updated_at, first_action_at,
    closed_at"""


class ReportForm(Protocol):
    """What storage needs of a new report (the domain's `NewReport` is one)."""

    @property
    def channel(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def lang(self) -> str: ...
    @property
    def identity(self) -> Mapping[str, Any] | None: ...  # None: anonymous
    @property
    def category(self) -> str: ...
    @property
    def service(self) -> str | None: ...
    @property
    def amount(self) -> int | None: ...
    @property
    def consent(self) -> bool: ...
    @property
    def content(self) -> Mapping[str, Any]: ...
    @property
    def evidence(self) -> Sequence[Mapping[str, Any]]: ...
    @property
    def state(self) -> str: ...  # the state the case starts in


@dataclass(frozen=True)
class ReportRecord:
    id: int
    ticket: str
    channel: str
    state: str
    outcome: str | None
    category: str
    service: str | None
    anonymous: bool
    consent: bool
    amount: int | None
    content: dict[str, Any]
    evidence: list[dict[str, Any]]
    officer: str | None
    lang: str
    created_at: datetime
    updated_at: datetime
    first_action_at: datetime | None = None
    closed_at: datetime | None = None


def format_ticket(year: int, seq: int) -> str:
    return f"WBS-{year}-{seq:04d}"


def next_ticket(db: sqlite3.Connection, year: int) -> tuple[str, int]:
    """The next register number of `year`; call inside the write that stores the report."""
    row = db.execute(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM reports WHERE year = ?", (year,)
    ).fetchone()
    seq = int(row[0]) if row else 1
    return format_ticket(year, seq), seq


def insert_evidence(
    db: sqlite3.Connection, report_id: int, sealed: Sequence[tuple[str, bytes]], now: datetime
) -> None:
    db.executemany(
        "INSERT INTO evidence (report_id, kind, data, added_at) VALUES (?, ?, ?, ?)",
        [(report_id, kind, data, iso(now)) for kind, data in sealed],
    )


class Reports:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._vault = conn.vault

    async def submit(
        self,
        report: ReportForm,
        now: datetime,
        year: int,
        messages: Callable[[str], Sequence[Message]],
    ) -> tuple[str, list[int]]:
        """Store the report, number it, drop the draft and queue `messages(ticket)`, atomically.

        Only what needs the ticket (the messages) is composed and sealed inside the
        transaction; the rest is sealed before.
        """
        vault = self._vault
        chat_hash = self._conn.chat_hash(report.address)
        fields = (
            report.channel,
            chat_hash,
            vault.seal(report.address.encode(), "chat"),
            vault.seal_json(report.identity, "identity") if report.identity else None,
            report.identity is None,
            report.category,
            report.service,
            report.amount,
            report.consent,
            vault.seal_json(report.content, "report"),
            report.state,
            report.lang,
            iso(now),
            iso(now),
        )
        evidence = [(item["kind"], vault.seal_json(item, "evidence")) for item in report.evidence]
        audit = sealed_entry(
            vault, now, REPORTER_ACTOR, "report_submitted", {"channel": report.channel}
        )

        def work(db: sqlite3.Connection) -> tuple[str, list[int]]:
            ticket, seq = next_ticket(db, year)
            cursor = db.execute(
                """INSERT INTO reports (ticket, year, seq, channel, chat_hash, chat, identity,
                     anonymous, category, service, amount, consent, content, state, lang,
                     created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (ticket, year, seq, *fields),
            )
            assert cursor.lastrowid is not None
            insert_evidence(db, cursor.lastrowid, evidence, now)
            clear_draft(db, chat_hash)
            audit(db, ticket)
            return ticket, insert_outbox(db, outbox_rows(vault, messages(ticket), now))

        return await self._conn.transact(work, durable=True)

    # -- changing a case ------------------------------------------------------------------

    async def update_case(
        self,
        ticket: str,
        now: datetime,
        *,
        actor: str,
        action: str,
        detail: Mapping[str, Any],
        officer_action: bool,
        expect_state: str | None = None,
        state: str | None = None,
        outcome: str | None = None,
        final: bool = False,
        officer: str | None = None,
        messages: Sequence[Message] = (),
    ) -> bool:
        """Change a case, audit it and queue what it causes, atomically.

        `expect_state` is the state the caller checked its move against; if someone else moved
        the case meanwhile (or there is no such case), nothing is written and this returns
        False. A move to `state` sets `outcome`, and stamps `closed_at` when `final`. An
        `officer_action` stamps the first action (once) and clears the attention flag.
        """
        sets: list[str] = ["updated_at = ?"]
        params: list[Any] = [iso(now)]
        if state is not None:
            sets += ["state = ?", "outcome = ?", "closed_at = ?"]
            params += [state, outcome, iso(now) if final else None]
        if officer is not None:
            sets.append("officer = ?")
            params.append(officer)
        if officer_action:
            sets += ["first_action_at = COALESCE(first_action_at, ?)", "attention = NULL"]
            params.append(iso(now))
        where, keys = "ticket = ?", [ticket]
        if expect_state is not None:
            where, keys = "ticket = ? AND state = ?", [ticket, expect_state]
        audit = sealed_entry(self._vault, now, actor, action, detail)
        rows = outbox_rows(self._vault, messages, now)

        def work(db: sqlite3.Connection) -> bool:
            cursor = db.execute(
                f"UPDATE reports SET {', '.join(sets)} WHERE {where}", (*params, *keys)
            )
            if cursor.rowcount != 1:
                return False
            audit(db, ticket)
            insert_outbox(db, rows)
            return True

        return await self._conn.transact(work, durable=True)

    async def add_evidence(
        self,
        ticket: str,
        items: Sequence[Mapping[str, Any]],
        now: datetime,
        *,
        messages: Sequence[Message] = (),
    ) -> None:
        """Evidence a reporter adds to a sent report (`/bukti`), with its audit entry.

        Raises KeyError (and writes nothing) if there is no such case."""
        evidence = [(item["kind"], self._vault.seal_json(item, "evidence")) for item in items]
        kinds = [item["kind"] for item in items]
        audit = sealed_entry(self._vault, now, REPORTER_ACTOR, "evidence_added", {"kinds": kinds})
        rows = outbox_rows(self._vault, messages, now)

        def work(db: sqlite3.Connection) -> None:
            row = db.execute("SELECT id FROM reports WHERE ticket = ?", (ticket,)).fetchone()
            if row is None:
                raise KeyError(ticket)
            insert_evidence(db, row["id"], evidence, now)
            db.execute("UPDATE reports SET updated_at = ? WHERE id = ?", (iso(now), row["id"]))
            audit(db, ticket)
            insert_outbox(db, rows)

        await self._conn.transact(work, durable=True)

    # -- reading --------------------------------------------------------------------------

    async def all(self, state: str | None = None) -> list[ReportRecord]:
        if state is None:
            return await self._records("", ())
        return await self._records("WHERE state = ?", (state,))

    async def of_chat(self, address: str) -> list[ReportRecord]:
        return await self._records("WHERE chat_hash = ?", (self._conn.chat_hash(address),))

    async def get(self, ticket: str) -> ReportRecord | None:
        found = await self._records("WHERE ticket = ?", (ticket,))
        return found[0] if found else None

    async def by_number(self, seq: int, prefer_year: int | None = None) -> ReportRecord | None:
        """A bare running number means this year's case if there is one, else the newest."""
        found = await self._records(
            """WHERE id = (SELECT id FROM reports WHERE seq = ?
                           ORDER BY year = ? DESC, year DESC LIMIT 1)""",
            (seq, prefer_year),
        )
        return found[0] if found else None

    async def reporter_address(self, ticket: str) -> str | None:
        """The reporter's chat, for messages about their case; None once erased."""
        row = await self._conn.row("SELECT chat FROM reports WHERE ticket = ?", (ticket,))
        if row is None or row["chat"] is None:
            return None
        return self._vault.open(row["chat"], "chat").decode()

    async def identity(self, ticket: str) -> dict[str, Any] | None:
        """The reporter's name, phone and e-mail: only for an audited reveal."""
        row = await self._conn.row("SELECT identity FROM reports WHERE ticket = ?", (ticket,))
        if row is None or row["identity"] is None:
            return None
        identity: dict[str, Any] = self._vault.open_json(row["identity"], "identity")
        return identity

    async def identity_erased(self, ticket: str) -> bool:
        row = await self._conn.row(
            "SELECT identity_erased_at FROM reports WHERE ticket = ?", (ticket,)
        )
        return row is not None and row["identity_erased_at"] is not None

    async def attention(self) -> dict[str, str]:
        """Cases flagged for a decision (e.g. the reporter did not respond)."""
        rows = await self._conn.rows(
            "SELECT ticket, attention FROM reports WHERE attention IS NOT NULL"
        )
        return {row["ticket"]: row["attention"] for row in rows}

    async def _records(self, where: str, params: Sequence[Any]) -> list[ReportRecord]:
        """The reports `where` selects, with their evidence: two queries however many."""

        def work(db: sqlite3.Connection) -> tuple[list[sqlite3.Row], list[sqlite3.Row]]:
            rows = db.execute(
                f"SELECT {REPORT_COLUMNS} FROM reports {where} ORDER BY id", params
            ).fetchall()
            if not rows:
                return rows, []
            evidence = db.execute(
                f"""SELECT report_id, data FROM evidence
                    WHERE report_id IN (SELECT id FROM reports {where}) ORDER BY id""",
                params,
            ).fetchall()
            return rows, evidence

        rows, evidence = await self._conn.read(work)
        items: dict[int, list[dict[str, Any]]] = {}
        for item in evidence:
            items.setdefault(item["report_id"], []).append(
                self._vault.open_json(item["data"], "evidence")
            )
        return [self._record(row, items.get(row["id"], [])) for row in rows]

    def _record(self, row: sqlite3.Row, evidence: list[dict[str, Any]]) -> ReportRecord:
        return ReportRecord(
            id=row["id"],
            ticket=row["ticket"],
            channel=row["channel"],
            state=row["state"],
            outcome=row["outcome"] or None,
            category=row["category"],
            service=row["service"],
            anonymous=bool(row["anonymous"]),
            consent=bool(row["consent"]),
            amount=row["amount"],
            content=self._vault.open_json(row["content"], "report"),
            evidence=evidence,
            officer=row["officer"],
            lang=row["lang"],
            created_at=datetime.fromisoformat(row["created_at"]),
            updated_at=datetime.fromisoformat(row["updated_at"]),
            first_action_at=moment(row["first_action_at"]),
            closed_at=moment(row["closed_at"]),
        )
