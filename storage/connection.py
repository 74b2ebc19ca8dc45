"""The shared floor of storage: one SQLite connection, its pragmas, writes and reads.

Only this package writes SQL. One aiosqlite connection per process, WAL mode. Writes
are short functions run on the database thread, never interleaved with another coroutine;
those arriving together share one `BEGIN IMMEDIATE` transaction, each in its own savepoint
(storage/group_commit.py). SQLite's busy timeout orders them with other processes (the CLI).
Everything that identifies a reporter or carries report text is sealed by the vault first,
on the event loop, so the database thread only writes.

The aggregates (sessions, reports, outbox, follow-ups, audit, WhatsApp) are modules of plain
functions on a `sqlite3.Connection`, composed inside one transaction by the use case that
needs several (submitting a report writes the report, its outbox rows and its audit entry).
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite
from cryptography.exceptions import InvalidTag

from storage.file_modes import private_database
from storage.group_commit import GroupCommit, without_cursor
from storage.migrations import backup_before_migrating, migrate
from storage.vault import KeyFileError, Vault

T = TypeVar("T")
BUSY_TIMEOUT_MS = 5000
PRAGMAS = (
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
)
Work = Callable[[sqlite3.Connection], T]


async def _pragma(db: aiosqlite.Connection, pragma: str) -> None:
    """One start-up pragma, waiting out another process that holds the file.

    Switching a new file to WAL needs an exclusive lock, and SQLite can refuse it at once
    ("database is locked") without calling the busy handler while another process is
    creating or migrating the same file: retry until the busy timeout, as for any write.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            await db.execute(pragma)
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.05)


class Connection:
    """The database connection every aggregate shares, with the vault that seals its data."""

    def __init__(self, db: aiosqlite.Connection, vault: Vault) -> None:
        self._db = db
        self.vault = vault
        self._writes = GroupCommit(db._execute, db._conn, BUSY_TIMEOUT_MS / 1000)

    @classmethod
    async def open(cls, database: Path, vault: Vault) -> Connection:
        private_database(database)
        await asyncio.to_thread(backup_before_migrating, database)
        db = await aiosqlite.connect(database, isolation_level=None)
        db.row_factory = aiosqlite.Row
        try:
            for pragma in PRAGMAS:
                await _pragma(db, pragma)
            await migrate(db)
            await _record_key_check(db, vault)
        except BaseException:
            # aiosqlite's worker thread is not a daemon: left open, it keeps the process alive.
            await db.close()
            raise
        return cls(db, vault)

    async def close(self) -> None:
        await self._writes.drain()
        await self._db.close()

    async def transact(self, work: Work[T], durable: bool = False) -> T:
        """Run `work` as one atomic write on the database thread (see storage/group_commit.py).

        Every write goes through here. `work` must not await: seal on the event loop before.
        """
        return await self._writes.run(work, durable)

    async def read(self, work: Work[T]) -> T:
        """A read in a single hop to the database thread; `work` returns rows, not its cursor."""
        result: T = await self._db._execute(  # type: ignore[no-untyped-call]
            lambda db: without_cursor(work(db)), self._db._conn
        )
        return result

    async def rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """All rows of one query."""
        return await self.read(lambda db: db.execute(sql, params).fetchall())

    async def row(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        """The first row of one query, or None."""
        found: sqlite3.Row | None = await self.read(lambda db: db.execute(sql, params).fetchone())
        return found

    def chat_hash(self, address: str) -> bytes:
        """The keyed hash a chat is looked up by; the address itself is only stored sealed."""
        return self.vault.lookup_hash(address)


class WrongKey(KeyFileError):
    """The vault's key is not the one this database was sealed with."""


async def _record_key_check(db: aiosqlite.Connection, vault: Vault) -> None:
    """Store the key's check value on first open; refuse a key that does not match it.

    A database from before the check value gets it only if its first audit entry opens with
    this key, so a wrong key is never recorded as the right one."""
    async with db.execute("SELECT value FROM key_check WHERE id = 1") as cursor:
        row = await cursor.fetchone()
    if row is not None:
        if bytes(row[0]) != vault.check_value:
            raise WrongKey("the key does not match this database")
        return
    async with db.execute("SELECT detail FROM audit ORDER BY id LIMIT 1") as cursor:
        first = await cursor.fetchone()
    if first is not None:
        try:
            vault.open(bytes(first[0]), "audit")
        except InvalidTag:
            raise WrongKey("the key does not match this database") from None
    await db.execute(
        "INSERT OR IGNORE INTO key_check (id, value) VALUES (1, ?)", (vault.check_value,)
    )


def iso(moment: datetime) -> str:
    """UTC, to the microsecond."""
    return _utc_text(moment, moment.fold)


@functools.lru_cache(maxsize=256)
def _utc_text(moment: datetime, fold: int) -> str:
    """Cached: one write stamps the same moment several times. `fold` is part of the key:
    the two readings of a wall-clock hour repeated at a DST change compare equal."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def statement(sql: str, params: Sequence[Any] = ()) -> Work[None]:
    """A write of one statement, for `Connection.transact`."""

    def work(db: sqlite3.Connection) -> None:
        db.execute(sql, params)

    return work


def statements(sql: str, rows: Sequence[Sequence[Any]]) -> Work[None]:
    """One statement run for each row of parameters, as one write."""

    def work(db: sqlite3.Connection) -> None:
        db.executemany(sql, rows)

    return work
