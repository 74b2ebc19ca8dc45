"""Every case action is in a hash-chained audit log; `wbs-officer audit verify` finds tampering."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from conversations.audit_actions import LEGACY, AuditAction
from conversations.cases import Actor, CaseService
from conversations.followup_service import case_clocks
from conversations.i18n import Lang
from conversations.ports import NewReport
from conversations.workflow import CaseState, Outcome
from officer_cli.main import app as officer_app
from storage.store import Store
from storage.vault import Vault

OFFICER = Actor("5001", "Budi", officer=True)


NOW = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)


async def _one_report(data: Path) -> tuple[Store, datetime, str]:
    """A new store under `data` holding one anonymous report, sent at NOW."""
    store = await Store.open(data / "wbs.sqlite3", Vault.open_or_create(data / "wbs.key"))
    report = NewReport(
        channel="telegram",
        address="telegram:4242",
        lang=Lang.ID,
        identity=None,
        category="Penipuan",
        service=None,
        amount=None,
        consent=True,
        content={"chronology": "x" * 40},
        evidence=[],
    )
    ticket, _ = await store.reports.submit(report, NOW, 2026, lambda ticket: [])
    return store, NOW, ticket


@pytest.fixture
async def seeded(tmp_path: Path) -> AsyncIterator[tuple[Path, str]]:
    """A database with one case taken through five actions, and a config pointing at it."""
    data = tmp_path / "data"
    store, now, ticket = await _one_report(data)
    cases = CaseService(
        store,
        officer_address="telegram:-100",
        zone=ZoneInfo("Asia/Makassar"),
        lang=Lang.ID,
        clock=lambda: now,
    )
    await cases.take(OFFICER, ticket)
    await cases.ask(OFFICER, ticket, "Siapa saksinya?")
    await cases.note(OFFICER, ticket, "catatan internal")
    await cases.review(OFFICER, ticket)
    await cases.close(OFFICER, ticket, Outcome.NOT_PROVEN, "Tidak cukup bukti.")
    await store.close()
    config = tmp_path / "config.toml"
    config.write_text(
        '[bot]\nlanguage = "en"\n[storage]\ndatabase = "data/wbs.sqlite3"\n'
        '[security]\nkey_file = "data/wbs.key"\n'
    )
    yield config, ticket


def officer(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(officer_app, ["--config", str(config), "--as", "5001", *args])
    return result.exit_code, result.output


def tamper(config: Path, sql: str) -> None:
    with sqlite3.connect(config.parent / "data" / "wbs.sqlite3") as db:
        db.execute(sql)


def test_an_intact_chain_verifies_and_history_lists_every_action(seeded: tuple[Path, str]) -> None:
    config, ticket = seeded
    assert officer(config, "audit", "verify") == (0, "intact: 6 entries\n")
    code, output = officer(config, "cases", "show", ticket, "--json")
    assert code == 0
    case = json.loads(output)
    assert case["state"] == "selesai" and case["outcome"] == "tidak_terbukti"
    assert [h["action"] for h in case["history"]] == [
        "baru",
        "diambil",
        "kelengkapan",
        "catatan",
        "telaah",
        "selesai",
    ]
    assert case["history"][1]["actor"] == "5001"
    code, output = officer(config, "audit", "log", ticket, "--json")
    assert code == 0 and len(json.loads(output)) == 6


@pytest.mark.parametrize(
    ("sql", "entry", "problem"),
    [
        ("UPDATE audit SET action = 'note' WHERE id = 3", 3, "changed"),
        ("UPDATE audit SET actor = 'someone else' WHERE id = 2", 2, "changed"),
        (
            "UPDATE audit SET detail = (SELECT detail FROM audit WHERE id = 4) WHERE id = 3",
            3,
            "changed",
        ),
        ("DELETE FROM audit WHERE id = 4", 4, "missing"),
        (
            "INSERT INTO audit (id, at, actor, action, ticket, detail, prev_hash, hash) "
            "SELECT 7, at, actor, action, ticket, detail, prev_hash, hash FROM audit WHERE id = 3",
            7,
            "changed",
        ),
    ],
)
def test_a_tampered_chain_names_the_first_broken_entry(
    seeded: tuple[Path, str], sql: str, entry: int, problem: str
) -> None:
    config, _ = seeded
    tamper(config, sql)
    code, output = officer(config, "audit", "verify")
    assert code == 1
    assert f"audit entry {entry}" in output and problem in output


def test_rehashing_without_the_key_is_caught(seeded: tuple[Path, str]) -> None:
    """The hashes are keyed: a forger who changes an entry and re-hashes the rest of the chain
    with any other key is caught at that entry."""
    config, _ = seeded
    from storage.audit import audit_hash

    db_path = config.parent / "data" / "wbs.sqlite3"
    guess = b"\x00" * 32
    with sqlite3.connect(db_path) as db:
        rows = db.execute(
            "SELECT prev_hash, id, at, actor, action, ticket, detail FROM audit ORDER BY id"
        ).fetchall()
        previous = rows[2][0]
        for _, entry_id, at, actor, action, ticket, detail in rows[2:]:
            actor = "someone else" if entry_id == 3 else actor
            forged = audit_hash(previous, entry_id, at, actor, action, ticket, detail, key=guess)
            db.execute(
                "UPDATE audit SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?",
                (actor, previous, forged, entry_id),
            )
            previous = forged
    code, output = officer(config, "audit", "verify")
    assert code == 1 and "audit entry 3" in output and "changed" in output


def test_an_old_database_with_english_action_names_reads_as_state_codes(tmp_path: Path) -> None:
    """Rows written before AuditAction keep their stored names (the chain covers them) and read
    as today's names; their case clock still sees the old question."""
    ticket = asyncio.run(_old_database(tmp_path))
    config = tmp_path / "config.toml"
    config.write_text(
        '[bot]\nlanguage = "en"\n[storage]\ndatabase = "data/wbs.sqlite3"\n'
        '[security]\nkey_file = "data/wbs.key"\n'
    )
    assert officer(config, "audit", "verify") == (0, "intact: 4 entries\n")
    code, output = officer(config, "audit", "log", ticket, "--json")
    assert code == 0
    assert [e["action"] for e in json.loads(output)] == [
        "baru",
        "diambil",
        "kelengkapan",
        "ditolak",
    ]
    assert AuditAction.read("closed") is AuditAction.CLOSED
    assert AuditAction.read("selesai") is AuditAction.CLOSED
    assert AuditAction.read("something_newer") is None
    assert set(LEGACY.values()) <= set(AuditAction)


async def _old_database(tmp_path: Path) -> str:
    data = tmp_path / "data"
    store, now, ticket = await _one_report(data)
    for action, state in (("taken", None), ("question", "kelengkapan"), ("rejected", "ditolak")):
        current = (await store.reports.get(ticket)).state  # type: ignore[union-attr]
        await store.reports.update_case(
            ticket,
            now,
            actor="5001",
            action=action,
            detail={"by": "Budi"},
            officer_action=True,
            expect_state=current,
            state=None if state is None else CaseState(state),
            final=state == CaseState.REJECTED,
        )
    (clock,) = [c for c in await case_clocks(store.followups) if c.ticket == ticket]
    assert len(clock.questions) == 1
    await store.close()
    return ticket
