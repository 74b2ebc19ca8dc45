"""Group commit on a real SQLite file: writes that arrive together share one transaction, yet
each is all-or-nothing on its own and its caller hears only about its own write."""

from __future__ import annotations

import asyncio
import sqlite3
import traceback
from collections.abc import AsyncIterator, Callable
from contextlib import closing
from pathlib import Path

import aiosqlite
import pytest

from storage.group_commit import GroupCommit


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[aiosqlite.Connection]:
    connection = await aiosqlite.connect(tmp_path / "t.sqlite3", isolation_level=None)
    await connection.execute("PRAGMA journal_mode = WAL")
    await connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
async def statements(db: aiosqlite.Connection) -> list[str]:
    """Every statement the database thread runs, as SQLite sees it."""
    seen: list[str] = []
    await db.set_trace_callback(seen.append)
    return seen


def writes(db: aiosqlite.Connection) -> GroupCommit:
    return GroupCommit(db._execute, db._conn, busy_timeout=1.0)


def insert(text: str) -> Callable[[sqlite3.Connection], int | None]:
    def work(conn: sqlite3.Connection) -> int | None:
        return conn.execute("INSERT INTO notes (text) VALUES (?)", (text,)).lastrowid

    return work


def insert_then_fail(text: str) -> Callable[[sqlite3.Connection], None]:
    def work(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO notes (text) VALUES (?)", (text,))
        raise LookupError("refused after writing")

    return work


async def notes(db: aiosqlite.Connection) -> list[str]:
    async with db.execute("SELECT text FROM notes ORDER BY id") as cursor:
        return [row[0] async for row in cursor]


async def test_writes_arriving_together_share_one_transaction_in_arrival_order(
    db: aiosqlite.Connection, statements: list[str]
) -> None:
    group = writes(db)
    ids = await asyncio.gather(*(group.run(insert(f"n{i}")) for i in range(20)))

    assert ids == list(range(1, 21))
    assert await notes(db) == [f"n{i}" for i in range(20)]
    assert statements.count("BEGIN IMMEDIATE") == 1
    assert statements.count("COMMIT") == 1


async def test_a_failing_write_is_undone_alone_and_only_its_caller_hears_of_it(
    db: aiosqlite.Connection,
) -> None:
    group = writes(db)
    results = await asyncio.gather(
        group.run(insert("before")),
        group.run(insert("kept")),
        group.run(insert_then_fail("undone")),
        group.run(insert("after")),
        return_exceptions=True,
    )

    assert [results[0], results[1], results[3]] == [1, 2, 3]
    assert isinstance(results[2], LookupError)
    assert await notes(db) == ["before", "kept", "after"]


async def test_a_write_cancelled_before_its_batch_starts_never_runs(
    db: aiosqlite.Connection,
) -> None:
    group = writes(db)
    first = asyncio.create_task(group.run(insert("first")))
    await asyncio.sleep(0)  # the first batch is on its way to the database thread
    cancelled = asyncio.create_task(group.run(insert("cancelled")))
    await asyncio.sleep(0)
    cancelled.cancel()
    last = asyncio.create_task(group.run(insert("last")))

    assert await first == 1  # alone in its batch

    assert await last == 2
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    assert await notes(db) == ["first", "last"]


async def test_a_batch_waits_out_another_process_and_fails_whole_past_the_busy_timeout(
    db: aiosqlite.Connection, tmp_path: Path
) -> None:
    group = GroupCommit(db._execute, db._conn, busy_timeout=0.3)
    await db.execute("PRAGMA busy_timeout = 300")
    with closing(sqlite3.connect(tmp_path / "t.sqlite3", isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        results = await asyncio.gather(
            group.run(insert("a")),
            group.run(insert("b")),
            return_exceptions=True,
        )
        other.execute("ROLLBACK")

    assert all(isinstance(r, sqlite3.OperationalError) for r in results), results
    assert await group.run(insert("c")) == 1
    assert await notes(db) == ["c"]


async def test_drain_waits_for_every_write_handed_in(db: aiosqlite.Connection) -> None:
    group = writes(db)
    tasks = [asyncio.create_task(group.run(insert(f"n{i}"))) for i in range(5)]
    await asyncio.sleep(0)
    await group.drain()

    assert all(task.done() for task in tasks)
    assert len(await notes(db)) == 5


async def test_when_the_committer_is_cancelled_no_caller_waits_forever(
    db: aiosqlite.Connection,
) -> None:
    group = writes(db)
    tasks = [asyncio.create_task(group.run(insert(f"n{i}"))) for i in range(3)]
    await asyncio.sleep(0)
    assert group._committer is not None
    group._committer.cancel()  # what the loop does to every task at shutdown

    done, _ = await asyncio.wait(tasks, timeout=2)
    assert len(done) == 3
    assert all(task.cancelled() for task in tasks)
    await group.drain()


async def test_a_write_that_hands_back_its_cursor_is_refused_and_undone(
    db: aiosqlite.Connection,
) -> None:
    """Its cursor would be freed on the event loop, resetting a statement this thread uses."""
    group = writes(db)
    with pytest.raises(TypeError, match="cursor"):
        await group.run(lambda conn: conn.execute("INSERT INTO notes (text) VALUES ('x')"))

    assert await notes(db) == []


async def test_a_refused_write_brings_no_cursor_back_to_the_event_loop(
    db: aiosqlite.Connection,
) -> None:
    """The error travels with its line numbers, but what its frames held was freed on the
    database thread (a cursor freed here would reset a statement that thread is using)."""

    def refused(conn: sqlite3.Connection) -> None:
        cursor = conn.execute("INSERT INTO notes (text) VALUES ('x')")
        raise LookupError(f"refused after row {cursor.lastrowid}")

    with pytest.raises(LookupError) as caught:
        await writes(db).run(refused)

    frames = [frame for frame, _ in traceback.walk_tb(caught.value.__traceback__)]
    assert any(frame.f_code.co_name == "refused" for frame in frames)
    assert not any(
        isinstance(value, sqlite3.Cursor) for frame in frames for value in frame.f_locals.values()
    )


async def test_when_sqlite_abandons_the_whole_transaction_every_caller_hears_why(
    db: aiosqlite.Connection,
) -> None:
    """A full disk rolls back everything; nobody is told "no such savepoint" instead."""
    async with db.execute("PRAGMA page_count") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    await db.execute(f"PRAGMA max_page_count = {row[0] + 2}")
    group = writes(db)
    results = await asyncio.gather(
        group.run(insert("small")),
        group.run(insert("x" * 200_000)),
        return_exceptions=True,
    )

    assert all(isinstance(r, sqlite3.OperationalError) and "full" in str(r) for r in results)
    assert await notes(db) == []


async def test_a_committer_that_fails_leaves_no_caller_waiting(
    db: aiosqlite.Connection,
) -> None:
    group = writes(db)

    def stray_next(conn: sqlite3.Connection) -> None:
        next(iter([]))  # StopIteration: a future cannot carry it, so the committer fails

    results = await asyncio.wait_for(
        asyncio.gather(group.run(stray_next), group.run(insert("after")), return_exceptions=True),
        timeout=2,
    )

    assert isinstance(results[0], BaseException)  # and "after" got its answer or the error
    assert await group.run(insert("next")) is not None  # a new committer takes over
