"""The store against a real SQLite file in WAL mode: schema, drafts, reports, the outbox, the
audit chain, and what a copy of the data folder reveals (nothing).

No mocks: every test opens `Store` on a file under `tmp_path`, the way the bot does.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import sqlite3
import stat
import struct
import sys
import textwrap
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag

from conversations.i18n import Lang
from conversations.ports import NewReport, Outgoing
from conversations.workflow import CaseState
from storage import migrations
from storage.audit import audit_hash
from storage.migrations import MIGRATIONS
from storage.reports import format_ticket
from storage.sessions import Session
from storage.store import Store
from storage.vault import Vault
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
YEAR = 2026
CHAT = "telegram:987654321"
OTHER = "telegram:555000111"
GROUP = "telegram:-1001234567890"
TABLES = {"sessions", "reports", "evidence", "outbox", "audit"}


# -- helpers --------------------------------------------------------------------------------


def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "wbs.sqlite3"


def key_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "wbs.key"


async def open_store(tmp_path: Path) -> Store:
    return await Store.open(db_path(tmp_path), Vault.open_or_create(key_path(tmp_path)))


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await open_store(tmp_path)
    try:
        yield opened
    finally:
        await opened.close()  # a no-op when the test closed it already


@pytest.fixture
def reader(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A second, plain connection to the same file: what another process would see."""
    with closing(sqlite3.connect(db_path(tmp_path))) as connection:
        connection.row_factory = sqlite3.Row
        yield connection


def new_report(address: str = CHAT, **changes: Any) -> NewReport:
    report = NewReport(
        channel=address.partition(":")[0],
        address=address,
        lang=Lang.ID,
        identity=None,
        category="pungli",
        service="Kenaikan Pangkat",
        amount=5_000_000,
        consent=True,
        content={"kronologi": "Diminta uang pelicin.", "terlapor": "Kepala Sub Bagian"},
        evidence=[],
    )
    return replace(report, **changes)


def no_messages(ticket: str) -> list[Outgoing]:
    return []


def receipt(address: str) -> Callable[[str], list[Outgoing]]:
    def messages(ticket: str) -> list[Outgoing]:
        return [Outgoing(address, {"text": f"Nomor laporan {ticket}"}, "receipt", ticket)]

    return messages


def message(address: str, text: str, kind: str = "reply") -> Outgoing:
    return Outgoing(address, {"text": text}, kind)


def outbox_row(reader: sqlite3.Connection, message_id: int) -> sqlite3.Row:
    row: sqlite3.Row | None = reader.execute(
        "SELECT * FROM outbox WHERE id = ?", (message_id,)
    ).fetchone()
    assert row is not None
    return row


def audit_rows(path: Path) -> list[sqlite3.Row]:
    with closing(sqlite3.connect(path)) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute("SELECT * FROM audit ORDER BY id").fetchall()


def audit_key(tmp_path: Path) -> bytes:
    return Vault.open_or_create(key_path(tmp_path)).audit_key


def assert_audit_chain(rows: Sequence[sqlite3.Row], key: bytes) -> None:
    previous = ""
    for expected_id, row in enumerate(rows, start=1):
        assert row["id"] == expected_id
        assert row["prev_hash"] == previous
        recomputed = audit_hash(
            row["prev_hash"],
            row["id"],
            row["at"],
            row["actor"],
            row["action"],
            row["ticket"],
            row["detail"],
            key=key,
        )
        assert row["hash"] == recomputed
        previous = row["hash"]


# -- 1. migrations --------------------------------------------------------------------------


async def test_a_new_file_gets_the_whole_schema_in_wal_mode(
    store: Store, reader: sqlite3.Connection
) -> None:
    names = {r[0] for r in reader.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names >= TABLES
    assert reader.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert await store.outbox.undelivered_count() == 0
    assert await store.reports.all() == []


async def test_opening_again_is_a_no_op_and_keeps_the_data(tmp_path: Path) -> None:
    store = await open_store(tmp_path)
    ticket, _ = await store.reports.submit(new_report(), NOW, YEAR, no_messages)
    await store.sessions.save(OTHER, NOW, draft={"step": 3}, lang=Lang.EN)
    await store.close()
    with closing(sqlite3.connect(db_path(tmp_path))) as connection:
        schema = connection.execute("SELECT type, name, sql FROM sqlite_master").fetchall()

    store = await open_store(tmp_path)
    try:
        with closing(sqlite3.connect(db_path(tmp_path))) as connection:
            assert connection.execute("SELECT type, name, sql FROM sqlite_master").fetchall() == (
                schema
            )
            assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert [r.ticket for r in await store.reports.all()] == [ticket]
        assert (await store.sessions.get(OTHER)).draft == {"step": 3}
        again, _ = await store.reports.submit(new_report(OTHER), NOW, YEAR, no_messages)
        assert again == format_ticket(YEAR, 2)
    finally:
        await store.close()


async def test_a_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = db_path(tmp_path)
    path.parent.mkdir(parents=True)
    newer = len(MIGRATIONS) + 1
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(f"PRAGMA user_version = {newer}")
    expected = rf"newer \(schema {newer}\) than this program \(.* schema {len(MIGRATIONS)}\)"
    with pytest.raises(RuntimeError, match=expected):
        await open_store(tmp_path)
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == newer
        assert connection.execute("SELECT name FROM sqlite_master").fetchall() == []


def table_columns(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with closing(sqlite3.connect(path)) as connection:
        tables = [
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {t: connection.execute(f"PRAGMA table_info({t})").fetchall() for t in tables}


async def test_a_database_of_the_first_schema_is_brought_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    store = await open_store(fresh)
    await store.close()

    path = db_path(tmp_path)
    path.parent.mkdir(parents=True)
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.executescript(f"BEGIN;{MIGRATIONS[0]};PRAGMA user_version = 1;COMMIT;")
    store = await open_store(tmp_path)
    try:
        await store.sessions.save(CHAT, NOW, draft={"step": 1})
        ticket, _ = await store.reports.submit(new_report(), NOW, YEAR, no_messages)
        assert ticket == format_ticket(YEAR, 1)
    finally:
        await store.close()
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert table_columns(path) == table_columns(db_path(fresh))


async def test_a_failing_migration_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await open_store(tmp_path)
    ticket, _ = await store.reports.submit(new_report(), NOW, YEAR, no_messages)
    await store.close()

    broken = "CREATE TABLE extra (a TEXT); ALTER TABLE reports ADD COLUMN x; NOT SQL AT ALL;"
    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(sqlite3.OperationalError):
        await open_store(tmp_path)
    with closing(sqlite3.connect(db_path(tmp_path))) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        assert "extra" not in names
        columns = {r[1] for r in connection.execute("PRAGMA table_info(reports)")}
        assert "x" not in columns

    # A later script with `;` inside strings and trigger bodies runs as written.
    script = """
        CREATE TABLE extra (a TEXT DEFAULT 'one; two', b INTEGER DEFAULT 0);
        -- a comment; with a semicolon
        CREATE TRIGGER extra_count AFTER INSERT ON extra BEGIN
            UPDATE extra SET b = b + 1 WHERE rowid = new.rowid;
            UPDATE extra SET a = a || ';' WHERE rowid = new.rowid;
        END;
    """
    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, script))
    store = await open_store(tmp_path)
    try:
        assert [r.ticket for r in await store.reports.all()] == [ticket]
    finally:
        await store.close()
    with closing(sqlite3.connect(db_path(tmp_path))) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1
        connection.execute("INSERT INTO extra DEFAULT VALUES")
        assert connection.execute("SELECT a, b FROM extra").fetchone() == ("one; two;", 1)


async def test_a_refused_database_lets_the_program_exit(tmp_path: Path) -> None:
    """The refusal must end the process (an open aiosqlite thread used to keep it alive)."""
    path = db_path(tmp_path)
    path.parent.mkdir(parents=True)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA user_version = 99")
    script = textwrap.dedent(
        f"""
        import asyncio
        from pathlib import Path
        from storage.store import Store
        from storage.vault import Vault
        data = Path({str(path.parent)!r})
        asyncio.run(Store.open(data / "wbs.sqlite3", Vault.open_or_create(data / "wbs.key")))
        """
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        script,
        cwd=ROOT,
        env=child_env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    except TimeoutError:
        process.kill()
        await process.wait()
        pytest.fail("the process hung after refusing the database")
    assert process.returncode == 1
    assert b"the database is newer (schema 99)" in stderr


# -- 2. drafts ------------------------------------------------------------------------------


async def test_an_unknown_chat_has_an_empty_session(store: Store) -> None:
    assert await store.sessions.get(CHAT) == Session(None, None, None)


async def test_a_draft_round_trips(store: Store) -> None:
    draft = {
        "step": "kronologi",
        "answers": {"terlapor": "Bapak Ñoño — Kepala Bidang", "nilai": 5_000_000},
        "evidence": [{"kind": "link", "url": "https://example.org/a?b=c"}],
        "anonymous": False,
        "note": None,
    }
    ids = await store.sessions.save(CHAT, NOW, draft=draft, lang=Lang.ID)
    assert ids == []
    assert await store.sessions.get(CHAT) == Session(Lang.ID, draft, NOW)
    assert await store.sessions.get(OTHER) == Session(None, None, None)

    later = NOW + timedelta(minutes=5)
    changed = {**draft, "step": "bukti"}
    await store.sessions.save(CHAT, later, draft=changed)
    assert await store.sessions.get(CHAT) == Session(Lang.ID, changed, later)


async def test_draft_none_deletes_the_draft_but_keeps_the_language(store: Store) -> None:
    await store.sessions.set_language(CHAT, Lang.EN)
    assert await store.sessions.get(CHAT) == Session(Lang.EN, None, None)
    await store.sessions.save(CHAT, NOW, draft={"step": 1})
    assert await store.sessions.get(CHAT) == Session(Lang.EN, {"step": 1}, NOW)
    await store.sessions.save(CHAT, NOW + timedelta(minutes=1), draft={"step": 2})
    assert (await store.sessions.get(CHAT)).lang == Lang.EN
    await store.sessions.save(CHAT, NOW + timedelta(minutes=2), draft=None)
    assert await store.sessions.get(CHAT) == Session(Lang.EN, None, None)
    await store.sessions.save(CHAT, NOW, draft=None, lang=Lang.ID)
    assert await store.sessions.get(CHAT) == Session(Lang.ID, None, None)
    await store.sessions.set_language(CHAT, Lang.EN)
    await store.sessions.save(CHAT, NOW, draft={"step": 9})
    assert await store.sessions.get(CHAT) == Session(Lang.EN, {"step": 9}, NOW)


async def test_the_replies_are_queued_with_the_draft(store: Store) -> None:
    ids = await store.sessions.save(
        CHAT,
        NOW,
        draft={"step": 2},
        outbox=[message(CHAT, "Pertanyaan 2"), message(CHAT, "Pertanyaan 3")],
    )
    assert len(ids) == 2
    claimed = await store.outbox.claim_due(NOW)
    assert [(m.id, m.address, m.payload, m.kind) for m in claimed] == [
        (ids[0], CHAT, {"text": "Pertanyaan 2"}, "reply"),
        (ids[1], CHAT, {"text": "Pertanyaan 3"}, "reply"),
    ]


async def test_a_failed_save_writes_neither_the_draft_nor_the_replies(store: Store) -> None:
    await store.sessions.save(CHAT, NOW, draft={"step": 1}, lang=Lang.ID)
    before = await store.sessions.get(CHAT)
    broken = Outgoing(CHAT, {"text": "ok", "bad": object()}, "reply")  # not JSON
    with pytest.raises(TypeError):
        await store.sessions.save(
            CHAT,
            NOW + timedelta(minutes=1),
            draft={"step": 2},
            lang=Lang.EN,
            outbox=[message(CHAT, "first, fine"), broken],
        )
    assert await store.sessions.get(CHAT) == before
    assert await store.outbox.undelivered_count() == 0
    with pytest.raises(TypeError):
        await store.sessions.save(OTHER, NOW, draft={"step": 1}, outbox=[broken])
    assert await store.sessions.get(OTHER) == Session(None, None, None)
    assert await store.outbox.undelivered_count() == 0

    # The connection is usable afterwards: no transaction was left open.
    ids = await store.sessions.save(CHAT, NOW, draft={"step": 2}, outbox=[message(CHAT, "x")])
    assert len(ids) == 1
    assert (await store.sessions.get(CHAT)).draft == {"step": 2}


# -- 3. reports -----------------------------------------------------------------------------


async def test_reports_are_numbered_per_year(store: Store) -> None:
    tickets = [
        (await store.reports.submit(new_report(), NOW, 2025, no_messages))[0] for _ in range(2)
    ]
    assert tickets == ["WBS-2025-0001", "WBS-2025-0002"]
    ticket, _ = await store.reports.submit(new_report(), NOW, 2026, no_messages)
    assert ticket == "WBS-2026-0001"
    ticket, _ = await store.reports.submit(new_report(), NOW, 2026, no_messages)
    assert ticket == "WBS-2026-0002"
    ticket, _ = await store.reports.submit(new_report(), NOW, 2025, no_messages)
    assert ticket == "WBS-2025-0003"
    assert format_ticket(2026, 12345) == "WBS-2026-12345"


async def test_a_report_round_trips(store: Store) -> None:
    identity = {"name": "Yohana", "phone": "+6281234567890", "email": "y@example.org"}
    evidence = [
        {"kind": "link", "url": "https://drive.example.org/x"},
        {"kind": "photo", "blob": "ab" * 16, "sha256": "00" * 32, "size": 10},
    ]
    report = new_report(identity=identity, evidence=evidence, lang=Lang.EN, amount=None)
    ticket, _ = await store.reports.submit(report, NOW, YEAR, no_messages)
    record = await store.reports.get(ticket)
    assert record is not None
    assert record.ticket == ticket == "WBS-2026-0001"
    assert record.channel == "telegram"
    assert record.state == CaseState.NEW
    assert record.outcome is None
    assert record.category == "pungli"
    assert record.service == "Kenaikan Pangkat"
    assert record.anonymous is False
    assert record.consent is True
    assert record.amount is None
    assert record.content == report.content
    assert record.evidence == evidence
    assert record.officer is None
    assert record.lang == Lang.EN
    assert record.created_at == record.updated_at == NOW

    anonymous, _ = await store.reports.submit(
        new_report(OTHER, consent=False, service=None), NOW, YEAR, no_messages
    )
    record = await store.reports.get(anonymous)
    assert record is not None
    assert (record.anonymous, record.consent, record.service, record.amount) == (
        True,
        False,
        None,
        5_000_000,
    )
    assert record.evidence == []
    assert await store.reports.get("WBS-2026-0099") is None
    assert [r.ticket for r in await store.reports.all()] == [ticket, anonymous]
    assert [r.ticket for r in await store.reports.all(CaseState.NEW)] == [ticket, anonymous]
    assert await store.reports.all(CaseState.CLOSED) == []


async def test_fifty_concurrent_submissions_get_fifty_consecutive_numbers(
    store: Store, tmp_path: Path
) -> None:
    results = await asyncio.gather(
        *(
            store.reports.submit(
                new_report(f"telegram:{100000 + i}"), NOW, YEAR, receipt(f"telegram:{100000 + i}")
            )
            for i in range(50)
        )
    )
    tickets = [ticket for ticket, _ in results]
    assert sorted(tickets) == [format_ticket(YEAR, n) for n in range(1, 51)]
    assert len({i for _, ids in results for i in ids}) == 50
    assert len(await store.reports.all()) == 50
    assert await store.outbox.undelivered_count() == 50
    for i, (ticket, _) in enumerate(results):
        [record] = await store.reports.of_chat(f"telegram:{100000 + i}")
        assert record.ticket == ticket
    assert_audit_chain(audit_rows(db_path(tmp_path)), audit_key(tmp_path))


WRITER = """
import asyncio, json, sys
from datetime import UTC, datetime
from pathlib import Path
from conversations.i18n import Lang
from conversations.ports import NewReport, Outgoing
from storage.store import Store
from storage.vault import Vault

async def main() -> None:
    data, name, count, wait = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]

    async def start_signal() -> None:
        (data / f"ready-{name}").touch()
        while not (data / "go").exists():
            await asyncio.sleep(0.002)

    if wait == "before-open":
        await start_signal()
    store = await Store.open(data / "wbs.sqlite3", Vault.open_or_create(data / "wbs.key"))
    tickets = []
    try:
        if wait == "after-open":
            await start_signal()
        for i in range(count):
            address = f"telegram:{name}{i:03d}"
            report = NewReport(
                channel="telegram", address=address, lang=Lang.ID, identity=None,
                category="pungli", service=None, amount=None, consent=True,
                content={"kronologi": f"laporan {name} {i}"}, evidence=[],
            )
            ticket, _ = await store.reports.submit(
                report, datetime.now(UTC), 2026,
                lambda t: [Outgoing(address, {"text": t}, "receipt", t)],
            )
            tickets.append(ticket)
    finally:
        await store.close()
    print(json.dumps(tickets))

asyncio.run(main())
"""


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


async def run_writers(tmp_path: Path, names: Sequence[str], count: int, wait: str) -> list[str]:
    """Start one writer process per name, let them go at the same instant, return all tickets.

    Each writer opens the store (before or after the start signal, per `wait`) and submits
    `count` reports as fast as it can.
    """
    data = db_path(tmp_path).parent
    data.mkdir(parents=True, exist_ok=True)
    Vault.open_or_create(key_path(tmp_path))  # the key exists before the processes start
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(script),
            str(data),
            name,
            str(count),
            wait,
            cwd=ROOT,
            env=child_env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for name in names
    ]
    try:
        async with asyncio.timeout(60):
            while not all((data / f"ready-{n}").exists() for n in names):
                for process in processes:
                    if process.returncode is not None:
                        _, stderr = await process.communicate()
                        pytest.fail(f"a writer died before starting: {stderr.decode()[-3000:]}")
                await asyncio.sleep(0.01)
        (data / "go").touch()
        outputs = await asyncio.wait_for(
            asyncio.gather(*(p.communicate() for p in processes)), timeout=120
        )
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()
    tickets: list[str] = []
    for process, (stdout, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr.decode()[-3000:]
        assert b"Traceback" not in stderr, stderr.decode()[-3000:]
        mine = json.loads(stdout)
        assert len(mine) == count
        assert mine == sorted(mine), "one process's numbers only grow"
        tickets += mine
    return tickets


async def test_two_processes_submitting_at_once_never_share_a_number(
    store: Store, tmp_path: Path
) -> None:
    """The bot and the officer CLI write the same file; SQLite's lock serializes them."""
    tickets = await run_writers(tmp_path, ["7001", "7002"], 20, "after-open")
    assert sorted(tickets) == [format_ticket(YEAR, n) for n in range(1, 41)]

    # The open store in this process sees all of it, and the chain is still one chain.
    assert len(await store.reports.all()) == 40
    assert await store.outbox.undelivered_count() == 40
    ticket, _ = await store.reports.submit(new_report(), NOW, YEAR, no_messages)
    assert ticket == format_ticket(YEAR, 41)
    rows = audit_rows(db_path(tmp_path))
    assert len(rows) == 41
    assert_audit_chain(rows, audit_key(tmp_path))


async def test_processes_starting_together_on_a_new_file_migrate_it_once(
    tmp_path: Path,
) -> None:
    """The bot and the CLI started at the same moment on a new (or just upgraded) file."""
    tickets = await run_writers(tmp_path, ["8001", "8002", "8003"], 5, "before-open")
    assert sorted(tickets) == [format_ticket(YEAR, n) for n in range(1, 16)]
    with closing(sqlite3.connect(db_path(tmp_path))) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        assert names >= TABLES
    assert_audit_chain(audit_rows(db_path(tmp_path)), audit_key(tmp_path))


async def test_submitting_clears_the_draft_queues_the_messages_and_audits(store: Store) -> None:
    await store.sessions.save(CHAT, NOW, draft={"step": "kirim"}, lang=Lang.EN)
    await store.sessions.save(OTHER, NOW, draft={"step": "kronologi"})
    seen: list[str] = []

    def messages(ticket: str) -> list[Outgoing]:
        seen.append(ticket)
        return [
            Outgoing(CHAT, {"text": f"Nomor laporan Anda {ticket}"}, "receipt", ticket),
            Outgoing(GROUP, {"text": f"Laporan baru {ticket}"}, "alert", ticket),
        ]

    later = NOW + timedelta(minutes=3)
    ticket, ids = await store.reports.submit(new_report(), later, YEAR, messages)
    assert seen == [ticket]
    assert len(ids) == 2

    assert await store.sessions.get(CHAT) == Session(Lang.EN, None, None)
    assert (await store.sessions.get(OTHER)).draft == {"step": "kronologi"}

    claimed = await store.outbox.claim_due(later)
    assert [(m.id, m.address, m.kind, m.ticket, m.payload) for m in claimed] == [
        (ids[0], CHAT, "receipt", ticket, {"text": f"Nomor laporan Anda {ticket}"}),
        (ids[1], GROUP, "alert", ticket, {"text": f"Laporan baru {ticket}"}),
    ]

    [entry] = await store.audit.history(ticket)
    assert (entry.action, entry.ticket, entry.at) == ("report_submitted", ticket, later)
    assert entry.actor
    assert entry.detail == {"channel": "telegram"}
    assert await store.audit.history("WBS-2026-0099") == []


async def test_a_failing_submission_stores_nothing_and_keeps_the_draft(
    store: Store, tmp_path: Path
) -> None:
    await store.sessions.save(CHAT, NOW, draft={"step": "kirim"})

    def explode(ticket: str) -> list[Outgoing]:
        raise RuntimeError("boom")

    def unserialisable(ticket: str) -> list[Outgoing]:
        return [Outgoing(CHAT, {"when": NOW}, "receipt", ticket)]

    with pytest.raises(RuntimeError, match="boom"):
        await store.reports.submit(new_report(), NOW, YEAR, explode)
    with pytest.raises(TypeError):
        await store.reports.submit(new_report(), NOW, YEAR, unserialisable)
    assert await store.reports.all() == []
    assert (await store.sessions.get(CHAT)).draft == {"step": "kirim"}
    assert await store.outbox.undelivered_count() == 0
    assert audit_rows(db_path(tmp_path)) == []

    ticket, _ = await store.reports.submit(new_report(), NOW, YEAR, receipt(CHAT))
    assert ticket == format_ticket(YEAR, 1), "a failed attempt does not use up a number"


async def test_a_refused_case_change_writes_nothing(store: Store, tmp_path: Path) -> None:
    """A move checked against a stale state is refused (False), evidence for an unknown case
    raises, and either leaves no trace: no state change, no audit entry, nothing queued."""
    ticket, _ = await store.reports.submit(new_report(), NOW, YEAR, no_messages)
    later = NOW + timedelta(minutes=5)
    refused = await store.reports.update_case(
        ticket,
        later,
        actor="officer",
        action="review",
        detail={},
        officer_action=True,
        expect_state=CaseState.REVIEW,
        state=CaseState.CLOSED,
        final=True,
        officer="Budi",
        messages=[message(CHAT, "closed")],
    )
    assert refused is False
    with pytest.raises(KeyError):
        await store.reports.add_evidence(
            "WBS-2026-0099", [{"kind": "link", "url": "x"}], later, messages=[message(CHAT, "x")]
        )
    record = await store.reports.get(ticket)
    assert record is not None
    assert (record.state, record.officer, record.updated_at) == (CaseState.NEW, None, NOW)
    assert [row["action"] for row in audit_rows(db_path(tmp_path))] == ["report_submitted"]
    assert await store.outbox.undelivered_count() == 0

    assert await store.reports.update_case(
        ticket,
        later,
        actor="officer",
        action="review",
        detail={},
        officer_action=True,
        expect_state=CaseState.NEW,
        state=CaseState.REVIEW,
    )
    assert [row["action"] for row in audit_rows(db_path(tmp_path))] == [
        "report_submitted",
        "review",
    ]


async def test_reports_of_chat_finds_only_that_chats_reports(store: Store) -> None:
    mine = [
        (await store.reports.submit(new_report(CHAT), NOW, YEAR, no_messages))[0],
        (await store.reports.submit(new_report(OTHER), NOW, YEAR, no_messages))[0],
        (await store.reports.submit(new_report(CHAT), NOW, YEAR, no_messages))[0],
        (await store.reports.submit(new_report("whatsapp:987654321"), NOW, YEAR, no_messages))[0],
    ]
    assert [r.ticket for r in await store.reports.of_chat(CHAT)] == [mine[0], mine[2]]
    assert [r.ticket for r in await store.reports.of_chat(OTHER)] == [mine[1]]
    assert [r.ticket for r in await store.reports.of_chat("whatsapp:987654321")] == [mine[3]]
    assert await store.reports.of_chat("telegram:98765432") == []


async def test_report_by_number_prefers_the_newest_year(store: Store) -> None:
    for _ in range(7):
        await store.reports.submit(new_report(), NOW, 2025, no_messages)
    for _ in range(3):
        await store.reports.submit(new_report(), NOW, 2026, no_messages)
    found = await store.reports.by_number(7)
    assert found is not None and found.ticket == "WBS-2025-0007"
    for _ in range(5):
        await store.reports.submit(new_report(), NOW, 2026, no_messages)
    found = await store.reports.by_number(7)
    assert found is not None and found.ticket == "WBS-2026-0007"
    found = await store.reports.by_number(1)
    assert found is not None and found.ticket == "WBS-2026-0001"
    assert await store.reports.by_number(9) is None
    assert await store.reports.by_number(0) is None


# -- 4. confidentiality at rest -------------------------------------------------------------

NAME = "Yohana Sinaga Testname"
PHONE = "+6281234567890"
EMAIL = "yohana.testname@example.org"
CHAT_ID = 987654321
REPORTER = f"telegram:{CHAT_ID}"
OTHER_ID = 6285298765432
DRAFTER = f"whatsapp:{OTHER_ID}"
CHRONOLOGY = "Bendahara Zakharia meminta amplop cokelat berisi Rp 7.350.000 — ñandú"
PLACE = "Kantor Cabang Quixotic-Oelamasi"
LINK = "https://drive.example.org/evidence/Kx9-unique-LINK-4471"
DRAFT_TEXT = "Draf rahasia Wolfgang-Sabu tentang pungutan liar"
OUTBOX_TEXT = "Terima kasih Ibu Yohana, laporan Pelican-Xenon sudah kami terima"
PHOTO = b"\x89PNG\r\n-PLAINTEXT-PHOTO-of-the-receipt-signed-by-Zakharia-" * 40


def needles() -> dict[str, bytes]:
    """Every form in which a secret could sit in a file, by what it is."""
    texts = {
        "name": NAME,
        "surname": "Testname",
        "phone": PHONE,
        "phone digits": PHONE.removeprefix("+62"),
        "local phone": "0" + PHONE.removeprefix("+62"),
        "email": EMAIL,
        "chronology": CHRONOLOGY,
        "chronology words": "amplop cokelat",
        "place": PLACE,
        "link": LINK,
        "draft": DRAFT_TEXT,
        "outbox text": OUTBOX_TEXT,
        "chat id": str(CHAT_ID),
        "other chat id": str(OTHER_ID),
    }
    found = {label: text.encode() for label, text in texts.items()}
    for label, text in texts.items():
        escaped = json.dumps(text)[1:-1]  # how it would look in ASCII-escaped JSON
        if escaped != text:
            found[label + " (json)"] = escaped.encode()
    for label, number in (("chat id", CHAT_ID), ("other chat id", OTHER_ID)):
        found[label + " int64 le"] = struct.pack("<q", number)
        found[label + " int64 be"] = struct.pack(">q", number)
        # How SQLite itself would store the integer (big-endian, smallest fitting size).
        size = 4 if number < 2**31 else 6
        found[label + " sqlite int"] = number.to_bytes(size, "big")
    found["photo"] = PHOTO[:64]
    found["photo piece"] = b"PLAINTEXT-PHOTO"
    return found


def leaks(folder: Path, skip: Path) -> dict[str, list[str]]:
    """Which secrets appear in which file of the data folder (the key file aside)."""
    seen: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path == skip:
            continue
        data = path.read_bytes()
        for label, needle in needles().items():
            if needle in data:
                seen.setdefault(path.name, []).append(label)
    return seen


async def test_a_copy_of_the_data_folder_reveals_nothing(store: Store, tmp_path: Path) -> None:
    folder = db_path(tmp_path).parent
    blob = store.blobs.put(PHOTO)
    await store.sessions.set_language(REPORTER, Lang.ID)
    await store.sessions.save(
        REPORTER, NOW, draft={"nama": NAME, "telepon": PHONE, "kronologi": CHRONOLOGY}
    )
    await store.sessions.save(
        DRAFTER,
        NOW,
        draft={"kronologi": DRAFT_TEXT, "email": EMAIL},
        lang=Lang.EN,
        outbox=[message(DRAFTER, f"Draf tersimpan: {DRAFT_TEXT}")],
    )
    report = new_report(
        REPORTER,
        identity={"name": NAME, "phone": PHONE, "email": EMAIL, "telegram_id": CHAT_ID},
        content={"kronologi": CHRONOLOGY, "lokasi": PLACE, "terlapor": NAME},
        evidence=[
            {"kind": "link", "url": LINK},
            {"kind": "photo", "blob": blob.name, "sha256": blob.sha256, "size": blob.size},
        ],
    )
    ticket, _ = await store.reports.submit(
        report,
        NOW,
        YEAR,
        lambda t: [
            Outgoing(REPORTER, {"text": f"{OUTBOX_TEXT} ({t})", "chat_id": CHAT_ID}, "receipt", t),
            Outgoing(GROUP, {"text": f"Laporan {t}: {CHRONOLOGY}", "reporter": NAME}, "alert", t),
        ],
    )
    await store.outbox.enqueue([message(REPORTER, f"{OUTBOX_TEXT} lagi")], NOW)
    claimed = await store.outbox.claim_due(NOW)
    await store.outbox.mark_sent_many([(claimed[0].id, "4242")], NOW)
    await store.outbox.mark_retry(claimed[1].id, NOW + timedelta(minutes=1), "timed out")
    await store.outbox.release([m.id for m in claimed[2:]])

    # The store is still open, so the latest writes sit in the WAL file.
    database = db_path(tmp_path)
    wal = database.with_name(database.name + "-wal")
    assert wal.stat().st_size > 0
    assert ticket.encode() in database.read_bytes() + wal.read_bytes(), "the scan sees the data"
    assert leaks(folder, key_path(tmp_path)) == {}

    await store.close()
    assert ticket.encode() in database.read_bytes()
    assert leaks(folder, key_path(tmp_path)) == {}

    # And the key still opens all of it.
    reopened = await open_store(tmp_path)
    try:
        record = await reopened.reports.get(ticket)
        assert record is not None and record.content["kronologi"] == CHRONOLOGY
        assert record.evidence[0]["url"] == LINK
        assert (await reopened.sessions.get(DRAFTER)).draft == {
            "kronologi": DRAFT_TEXT,
            "email": EMAIL,
        }
        assert reopened.blobs.get(blob.name) == PHOTO
    finally:
        await reopened.close()


async def test_evidence_files_are_sealed(store: Store, tmp_path: Path) -> None:
    blob = store.blobs.put(PHOTO)
    path = store.blobs.folder / blob.name
    assert store.blobs.folder == db_path(tmp_path).parent / "evidence"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.blobs.folder.stat().st_mode) == 0o700
    sealed = path.read_bytes()
    assert PHOTO not in sealed
    for start in range(0, len(PHOTO) - 16, 16):
        assert PHOTO[start : start + 16] not in sealed
    assert store.blobs.get(blob.name) == PHOTO
    assert blob.size == len(PHOTO)
    assert len(blob.sha256) == 64

    again = store.blobs.put(PHOTO)
    assert again.name != blob.name
    assert again.sha256 == blob.sha256
    assert (store.blobs.folder / again.name).read_bytes() != sealed

    # A file is bound to its name: swapping files is detected.
    (store.blobs.folder / again.name).write_bytes(sealed)
    with pytest.raises(InvalidTag):
        store.blobs.get(again.name)

    store.blobs.delete(blob.name)
    assert not path.exists()
    store.blobs.delete(blob.name)  # twice is fine


# -- 5. the outbox --------------------------------------------------------------------------


async def test_claim_due_returns_the_oldest_first(store: Store) -> None:
    ids = await store.outbox.enqueue([message(CHAT, "a1"), message(OTHER, "b1")], NOW)
    ids += await store.sessions.save(GROUP, NOW, draft=None, outbox=[message(GROUP, "g1")])
    ids += await store.outbox.enqueue([message(CHAT, "a2")], NOW)
    claimed = await store.outbox.claim_due(NOW)
    assert [m.id for m in claimed] == ids
    assert [(m.address, m.payload["text"]) for m in claimed] == [
        (CHAT, "a1"),
        (OTHER, "b1"),
        (GROUP, "g1"),
        (CHAT, "a2"),
    ]
    assert all(m.attempts == 0 for m in claimed)
    assert all(m.kind == "reply" and m.ticket is None for m in claimed)


async def test_claim_due_honours_the_limit_in_order(store: Store) -> None:
    ids = await store.outbox.enqueue([message(CHAT, str(n)) for n in range(5)], NOW)
    assert [m.id for m in await store.outbox.claim_due(NOW, limit=2)] == ids[:2]
    # The first two are claimed, so the chat waits for them: nothing newer goes out of order.
    assert await store.outbox.claim_due(NOW, limit=2) == []
    await store.outbox.mark_sent_many([(ids[0], "1")], NOW)
    await store.outbox.mark_sent_many([(ids[1], "2")], NOW)
    assert [m.id for m in await store.outbox.claim_due(NOW, limit=2)] == ids[2:4]


async def test_a_claimed_message_waits_for_its_lease(store: Store) -> None:
    [first] = await store.outbox.enqueue([message(CHAT, "hello")], NOW)
    assert [m.id for m in await store.outbox.claim_due(NOW, lease_seconds=60)] == [first]
    assert await store.outbox.claim_due(NOW) == []
    assert await store.outbox.claim_due(NOW + timedelta(seconds=59)) == []
    # A newer message to the same chat waits behind the claimed one ...
    [second] = await store.outbox.enqueue([message(CHAT, "later")], NOW)
    [third] = await store.outbox.enqueue([message(OTHER, "other chat")], NOW)
    assert [m.id for m in await store.outbox.claim_due(NOW + timedelta(seconds=30))] == [third]
    # ... until the lease runs out (the sender died): then both come back, in order.
    again = await store.outbox.claim_due(NOW + timedelta(seconds=61))
    assert [m.id for m in again] == [first, second]
    assert again[0].attempts == 0


async def test_a_retry_blocks_its_chat_but_not_the_others(store: Store) -> None:
    [a1] = await store.outbox.enqueue([message(CHAT, "a1")], NOW)
    [b1] = await store.outbox.enqueue([message(OTHER, "b1")], NOW)
    [claimed_a, claimed_b] = await store.outbox.claim_due(NOW)
    assert (claimed_a.id, claimed_b.id) == (a1, b1)
    await store.outbox.mark_retry(a1, NOW + timedelta(minutes=5), "429 Too Many Requests " * 20)
    await store.outbox.mark_sent_many([(b1, "77")], NOW)
    a2, a3, b2 = await store.outbox.enqueue(
        [message(CHAT, "a2"), message(CHAT, "a3"), message(OTHER, "b2")], NOW
    )

    soon = NOW + timedelta(minutes=1)
    assert [m.id for m in await store.outbox.claim_due(soon, lease_seconds=60)] == [b2]
    assert [m.id for m in await store.outbox.claim_due(soon, addresses=[CHAT])] == []
    assert await store.outbox.undelivered_count() == 4  # a1, a2, a3, b2

    due = NOW + timedelta(minutes=5)
    retried = await store.outbox.claim_due(due)
    assert [m.id for m in retried] == [a1, a2, a3, b2]  # b2's lease from `soon` ran out
    assert retried[0].attempts == 1


async def test_a_blocked_chat_does_not_starve_the_others(store: Store) -> None:
    """However many messages wait behind one chat's retry, other chats still get theirs."""
    [first] = await store.outbox.enqueue([message(GROUP, "g0")], NOW)
    await store.outbox.claim_due(NOW)
    await store.outbox.mark_retry(first, NOW + timedelta(hours=1), "retry later")
    await store.outbox.enqueue([message(GROUP, f"g{n}") for n in range(1, 30)], NOW)
    [mine] = await store.outbox.enqueue([message(CHAT, "your ticket number")], NOW)
    assert [m.id for m in await store.outbox.claim_due(NOW, limit=2)] == [mine]


async def test_addresses_finds_a_chat_behind_a_long_queue(store: Store) -> None:
    """A handler's immediate delivery reaches its chat even with a backlog for others."""
    await store.outbox.enqueue([message(GROUP, f"g{n}") for n in range(30)], NOW)
    [mine] = await store.outbox.enqueue([message(CHAT, "reply")], NOW)
    assert [m.id for m in await store.outbox.claim_due(NOW, limit=2, addresses=[CHAT])] == [mine]


async def test_addresses_restricts_the_claim(store: Store) -> None:
    a1, b1, g1, a2 = await store.outbox.enqueue(
        [message(CHAT, "a1"), message(OTHER, "b1"), message(GROUP, "g1"), message(CHAT, "a2")],
        NOW,
    )
    assert await store.outbox.claim_due(NOW, addresses=[]) == []
    assert await store.outbox.claim_due(NOW, addresses=["telegram:404"]) == []
    assert [m.id for m in await store.outbox.claim_due(NOW, addresses=[CHAT])] == [a1, a2]
    assert [m.id for m in await store.outbox.claim_due(NOW, addresses=[OTHER, GROUP])] == [b1, g1]
    assert await store.outbox.claim_due(NOW) == []


async def test_mark_sent_records_the_delivered_id(store: Store, reader: sqlite3.Connection) -> None:
    [a1, a2] = await store.outbox.enqueue([message(CHAT, "a1"), message(CHAT, "a2")], NOW)
    await store.outbox.claim_due(NOW)
    sent_at = NOW + timedelta(seconds=2)
    await store.outbox.mark_sent_many([(a1, "5551")], sent_at)
    assert await store.outbox.undelivered_count() == 1
    row = outbox_row(reader, a1)
    assert row["delivered_id"] == "5551"
    assert datetime.fromisoformat(row["sent_at"]) == sent_at
    assert row["claimed_until"] is None
    assert row["attempts"] == 1
    await store.outbox.mark_sent_many([(a2, None)], sent_at)
    assert outbox_row(reader, a2)["delivered_id"] is None
    assert await store.outbox.undelivered_count() == 0
    assert await store.outbox.claim_due(NOW + timedelta(hours=1)) == []


async def test_mark_failed_removes_it_and_unblocks_the_chat(
    store: Store, reader: sqlite3.Connection
) -> None:
    a1, a2 = await store.outbox.enqueue([message(CHAT, "a1"), message(CHAT, "a2")], NOW)
    [claimed] = await store.outbox.claim_due(NOW, limit=1)
    assert claimed.id == a1
    await store.outbox.mark_failed(a1, NOW, "Forbidden: bot was blocked by the user")
    assert await store.outbox.undelivered_count() == 1
    row = outbox_row(reader, a1)
    assert row["failed_at"] is not None and row["sent_at"] is None
    assert row["last_error"] == "Forbidden: bot was blocked by the user"
    assert [m.id for m in await store.outbox.claim_due(NOW)] == [a2]


async def test_release_gives_claims_back(store: Store) -> None:
    a1, a2, a3 = await store.outbox.enqueue(
        [message(CHAT, "a1"), message(CHAT, "a2"), message(CHAT, "a3")], NOW
    )
    assert [m.id for m in await store.outbox.claim_due(NOW)] == [a1, a2, a3]
    await store.outbox.mark_retry(a1, NOW + timedelta(seconds=30), "flood wait")
    await store.outbox.release([a2, a3])
    assert await store.outbox.claim_due(NOW) == []  # still behind a1's retry
    assert [m.id for m in await store.outbox.claim_due(NOW + timedelta(seconds=30))] == [a1, a2, a3]
    await store.outbox.release([])


async def test_release_claims_voids_every_lease_at_start_up(tmp_path: Path) -> None:
    store = await open_store(tmp_path)
    ids = await store.outbox.enqueue([message(CHAT, "a1"), message(OTHER, "b1")], NOW)
    assert [m.id for m in await store.outbox.claim_due(NOW, lease_seconds=3600)] == ids
    await store.close()  # the process dies holding the leases

    store = await open_store(tmp_path)
    try:
        assert await store.outbox.claim_due(NOW) == []
        await store.outbox.release_claims()
        assert [m.id for m in await store.outbox.claim_due(NOW)] == ids
    finally:
        await store.close()


async def test_undelivered_count(store: Store) -> None:
    assert await store.outbox.undelivered_count() == 0
    a1, b1, g1 = await store.outbox.enqueue(
        [message(CHAT, "a1"), message(OTHER, "b1"), message(GROUP, "g1")], NOW
    )
    assert await store.outbox.undelivered_count() == 3
    await store.outbox.claim_due(NOW)
    assert await store.outbox.undelivered_count() == 3, "claimed is not delivered"
    await store.outbox.mark_sent_many([(a1, "1")], NOW)
    await store.outbox.mark_failed(b1, NOW, "gone")
    await store.outbox.mark_retry(g1, NOW + timedelta(minutes=2), "later")
    assert await store.outbox.undelivered_count() == 1


# -- 6. the audit chain ---------------------------------------------------------------------


async def test_the_audit_chain_links_and_recomputes(store: Store, tmp_path: Path) -> None:
    tickets = []
    for n, address in enumerate([CHAT, OTHER, CHAT, "whatsapp:6281200000000"]):
        ticket, _ = await store.reports.submit(
            new_report(address), NOW + timedelta(minutes=n), YEAR, no_messages
        )
        tickets.append(ticket)
    rows = audit_rows(db_path(tmp_path))
    assert [r["ticket"] for r in rows] == tickets
    assert {r["action"] for r in rows} == {"report_submitted"}
    assert rows[0]["prev_hash"] == ""
    for previous, entry in itertools.pairwise(rows):
        assert entry["prev_hash"] == previous["hash"]
    assert_audit_chain(rows, audit_key(tmp_path))
    assert len({r["hash"] for r in rows}) == len(rows)
    assert [datetime.fromisoformat(r["at"]) for r in rows] == [
        NOW + timedelta(minutes=n) for n in range(4)
    ]


async def test_a_changed_audit_entry_no_longer_matches_its_hash(
    store: Store, tmp_path: Path
) -> None:
    for _ in range(3):
        await store.reports.submit(new_report(), NOW, YEAR, no_messages)
    rows = audit_rows(db_path(tmp_path))
    forged = dict(rows[1])
    forged["actor"] = "someone else"
    assert forged["hash"] != audit_hash(
        forged["prev_hash"],
        forged["id"],
        forged["at"],
        forged["actor"],
        forged["action"],
        forged["ticket"],
        forged["detail"],
        key=audit_key(tmp_path),
    )
    detail = bytearray(rows[1]["detail"])
    detail[-1] ^= 1
    assert rows[1]["hash"] != audit_hash(
        rows[1]["prev_hash"],
        rows[1]["id"],
        rows[1]["at"],
        rows[1]["actor"],
        rows[1]["action"],
        rows[1]["ticket"],
        bytes(detail),
        key=audit_key(tmp_path),
    )


# -- 7. another process holding the write lock -----------------------------------------------


@pytest.fixture
def other_writer(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """Another process's connection (the officer CLI), able to hold the write lock."""
    with closing(sqlite3.connect(db_path(tmp_path), isolation_level=None, timeout=1)) as conn:
        yield conn


async def test_a_write_cancelled_while_waiting_for_the_lock_leaves_nothing_open(
    store: Store, other_writer: sqlite3.Connection
) -> None:
    other_writer.execute("BEGIN IMMEDIATE")
    statements: list[str] = []
    await store.connection._db.set_trace_callback(statements.append)  # the SQL as SQLite runs it
    waiting = asyncio.create_task(store.sessions.save(CHAT, NOW, draft={"step": 1}))
    await wait_until(lambda: "BEGIN IMMEDIATE" in statements, what="the write's BEGIN")
    waiting.cancel()  # while its BEGIN waits for the lock
    await wait_until(waiting.done, what="the cancelled write")
    other_writer.execute("COMMIT")  # the BEGIN the bot queued now runs after all
    with pytest.raises(asyncio.CancelledError):
        await waiting

    # The bot can still write, and so can the other process afterwards.
    ids = await store.sessions.save(CHAT, NOW, draft={"step": 2}, outbox=[message(CHAT, "x")])
    assert len(ids) == 1
    ticket, _ = await store.reports.submit(new_report(OTHER), NOW, YEAR, no_messages)
    assert ticket == format_ticket(YEAR, 1)
    other_writer.execute("BEGIN IMMEDIATE")
    other_writer.execute("ROLLBACK")
    assert (await store.sessions.get(CHAT)).draft == {"step": 2}


@pytest.mark.slow  # it waits out the store's whole busy timeout
async def test_a_lock_held_too_long_fails_the_write_cleanly(
    store: Store, other_writer: sqlite3.Connection
) -> None:
    """Past the busy timeout the write fails loudly, writes nothing, and the next one works."""
    other_writer.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            await store.reports.submit(new_report(), NOW, YEAR, receipt(CHAT))
    finally:
        other_writer.execute("ROLLBACK")
    assert await store.reports.all() == []
    ticket, _ = await store.reports.submit(new_report(), NOW, YEAR, receipt(CHAT))
    assert ticket == format_ticket(YEAR, 1)
    assert await store.outbox.undelivered_count() == 1


async def test_claiming_a_chats_replies_reads_only_its_undelivered_messages(
    store: Store, reader: sqlite3.Connection
) -> None:
    """However long a chat's history grows, a reply's claim does not walk through it."""
    for step in range(30):
        await store.sessions.save(CHAT, NOW, draft={"step": step}, outbox=[message(CHAT, "q")])
        claimed = await store.outbox.claim_due(NOW, addresses=[CHAT])
        await store.outbox.mark_sent_many([(item.id, str(step)) for item in claimed], NOW)

    statements: list[str] = []
    await store.connection._db.set_trace_callback(statements.append)  # the SQL as SQLite runs it
    await store.outbox.claim_due(NOW, addresses=[CHAT])
    claim = next(sql for sql in statements if sql.lstrip().startswith("SELECT"))
    plan = " ".join(row[3] for row in reader.execute(f"EXPLAIN QUERY PLAN {claim}"))
    assert "outbox_pending_by_recipient" in plan


async def test_a_read_that_hands_back_its_cursor_is_refused(store: Store) -> None:
    """Refused on the database thread, before the cursor could be freed on the event loop."""
    with pytest.raises(TypeError, match="cursor"):
        await store.connection.read(lambda db: db.execute("SELECT 1"))
    assert await store.connection.read(lambda db: db.execute("SELECT 1").fetchone()[0]) == 1
