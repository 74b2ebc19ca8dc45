"""Listing many cases reads each kind of thing once, not once per case (no N+1).

Two hundred cases, each with evidence and a history (a take and a note): the register, the
CLI's `cases list` and `export`, and the daily digest run a handful of SQL statements, counted
as SQLite runs them (`set_trace_callback` on the store's own connection). A version that
asked for each case's evidence or history would run hundreds.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from conversations.audit_actions import AuditAction
from conversations.calendar import WorkCalendar
from conversations.cases import Actor, CaseService
from conversations.followup_service import FollowupService
from conversations.followups import Rules
from conversations.i18n import Lang
from conversations.ports import NewReport
from officer_cli import context as cli_context
from officer_cli.main import app as officer_app
from storage.connection import Connection
from storage.store import Store
from storage.vault import Vault

CASES = 200
WITA = ZoneInfo("Asia/Makassar")
GROUP = "telegram:-1001"
START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # 09:00 WITA
BUDI = Actor("5001", "Budi", officer=True)
CONFIG = """
[telegram]
officer_chat_id = -1001
officer_user_ids = [5001]
[storage]
database = "data/wbs.sqlite3"
[security]
key_file = "data/wbs.key"
"""
HISTORY = [AuditAction.SUBMITTED, AuditAction.TAKEN, AuditAction.NOTE]
FEW = 12  # statements a listing may run, whatever the number of cases


def report(n: int) -> NewReport:
    return NewReport(
        channel="telegram",
        address=f"telegram:{1000 + n}",
        lang=Lang.ID,
        identity=None,
        category="Penipuan",
        service=None,
        amount=None,
        consent=True,
        content={"chronology": f"Kronologi kasus {n}"},
        evidence=[
            {"kind": "link", "url": f"https://drive.example/{n}"},
            {"kind": "photo", "blob": f"b{n}", "sha256": "0" * 64, "size": 1},
        ],
    )


async def open_store(base: Path) -> Store:
    data = base / "data"
    return await Store.open(data / "wbs.sqlite3", Vault.open_or_create(data / "wbs.key"))


async def seed(base: Path) -> list[str]:
    """Two hundred reports, each taken and noted: evidence and history for every case."""
    store = await open_store(base)
    try:
        cases = CaseService(
            store, officer_address=GROUP, zone=WITA, lang=Lang.ID, clock=lambda: START
        )
        submitted = await asyncio.gather(
            *(store.reports.submit(report(n), START, 2026, lambda t: []) for n in range(CASES))
        )
        tickets = [ticket for ticket, _ in submitted]
        await asyncio.gather(*(cases.take(BUDI, t) for t in tickets))
        await asyncio.gather(*(cases.note(BUDI, t, "Dicek.") for t in tickets))
    finally:
        await store.close()
    (base / "config.toml").write_text(CONFIG)
    return tickets


@pytest.fixture
def many(tmp_path: Path) -> tuple[Path, list[str]]:
    return tmp_path, asyncio.run(seed(tmp_path))


async def counted(store: Store, statements: list[str]) -> None:
    await store.connection._db.set_trace_callback(statements.append)


def test_the_register_reads_evidence_and_history_once_for_all_cases(
    many: tuple[Path, list[str]],
) -> None:
    base, tickets = many

    async def main() -> tuple[list[Any], dict[str, Any], list[str], list[str]]:
        store = await open_store(base)
        try:
            listing: list[str] = []
            await counted(store, listing)
            records = await store.reports.all()
            histories = await store.audit.histories([r.ticket for r in records])
            await store.connection._db.set_trace_callback(None)
            one: list[str] = []
            await counted(store, one)
            await store.reports.get(tickets[7])
            return list(records), dict(histories), listing, one
        finally:
            await store.close()

    records, histories, listing, one = asyncio.run(main())
    assert len(records) == CASES
    assert all(len(r.evidence) == 2 for r in records)
    assert records[7].evidence[0]["url"] == "https://drive.example/7"
    assert [AuditAction.read(e.action) for e in histories[tickets[7]]] == HISTORY
    assert len(listing) <= 3, listing  # the reports, their evidence, their history
    assert len(one) <= 2, one


def test_the_daily_digest_over_two_hundred_cases_runs_a_handful_of_statements(
    many: tuple[Path, list[str]],
) -> None:
    base, _ = many
    rules = Rules(
        evidence_reminder_after=timedelta(days=1),
        reminder_interval=timedelta(days=2),
        max_reminders=2,
        response_deadline=timedelta(days=30),
        acknowledge_within=timedelta(days=3),
        resolve_within=timedelta(days=60),
        digest_time=time(16, 0),
        erase_identity_after=timedelta(days=180),
    )
    at_digest = START + timedelta(hours=8)  # 17:00 WITA the same day: only the digest is due

    async def main() -> tuple[list[str], list[str], int]:
        store = await open_store(base)
        try:
            followups = FollowupService(
                store,
                rules=rules,
                calendar=WorkCalendar(WITA),
                draft_ttl=timedelta(days=7),
                officer_address=GROUP,
                lang=Lang.ID,
                clock=lambda: at_digest,
            )
            statements: list[str] = []
            await counted(store, statements)
            addresses = await followups.scan()
            await store.connection._db.set_trace_callback(None)
            return statements, addresses, await store.outbox.undelivered_count()
        finally:
            await store.close()

    statements, addresses, queued_before_and_digest = asyncio.run(main())
    assert addresses == [GROUP]
    assert queued_before_and_digest == 2 * CASES + 1  # the group heard each take and note
    assert len(statements) <= FEW, statements


@pytest.fixture
def traced(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every statement the CLI's store runs, from the moment it is opened."""
    statements: list[str] = []
    original = Connection.open.__func__  # type: ignore[attr-defined]

    async def open_traced(cls: type[Connection], database: Path, vault: Vault) -> Connection:
        connection: Connection = await original(cls, database, vault)
        await connection._db.set_trace_callback(statements.append)
        return connection

    monkeypatch.setattr(Connection, "open", classmethod(open_traced))
    monkeypatch.setattr(cli_context, "clock", lambda: START + timedelta(hours=1))
    yield statements


def officer(base: Path, *args: str) -> Any:
    config = str(base / "config.toml")
    return CliRunner().invoke(officer_app, ["--config", config, "--as", "5001", *args])


def test_cases_list_and_export_read_each_kind_once(
    many: tuple[Path, list[str]], traced: list[str]
) -> None:
    base, tickets = many
    listed = officer(base, "cases", "list", "--json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert [row["ticket"] for row in rows] == tickets
    assert [AuditAction.read(h["action"]) for h in rows[7]["history"]] == HISTORY
    assert len(rows[7]["evidence"]) == 2
    reads = [s for s in traced if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) <= FEW, reads

    traced.clear()
    exported = officer(base, "export", "--output", str(base / "register.csv"))
    assert exported.exit_code == 0, exported.output
    assert (base / "register.csv").read_text(encoding="utf-8-sig").count("WBS-2026-") == CASES
    reads = [s for s in traced if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) <= FEW, reads
