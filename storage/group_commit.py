"""Group commit: the writes that arrive together share one transaction, each still atomic.

Under load a reply costs three writes (the answer with its outbox row, the claim, the sent
mark), and most chats write at the same moment. One `BEGIN IMMEDIATE … COMMIT` and one hop to
the database thread per write was most of the store's cost, and every write queued behind the
previous one's hop (benchmarks/form_load.py). Here, while one batch runs on the database
thread, new writes gather; the next batch runs them in arrival order, each inside its own
SAVEPOINT: a write that raises is rolled back alone and its caller gets the error; the others
commit together. A caller is answered only after its batch has committed.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
import traceback
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
Work = Callable[[sqlite3.Connection], Any]
OnThread = Callable[..., Awaitable[Any]]  # (fn, *args): runs fn(*args) on the database thread


class BeginBusy(Exception):
    """BEGIN IMMEDIATE was refused (nothing was written): the batch is tried again."""

    def __init__(self, error: sqlite3.OperationalError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True)
class _Pending:
    work: Work
    durable: bool
    answer: asyncio.Future[Any]


@dataclass(frozen=True)
class _Failed:
    error: BaseException


class GroupCommit:
    def __init__(self, on_thread: OnThread, conn: sqlite3.Connection, busy_timeout: float) -> None:
        """`on_thread(fn, *args)` runs `fn(*args)` on the connection's thread (aiosqlite's)."""
        self._on_thread = on_thread
        self._conn = conn
        self._busy_timeout = busy_timeout
        self._pending: list[_Pending] = []  # handed in, waiting for the next batch
        self._batch: list[_Pending] = []  # being committed now
        self._committer: asyncio.Task[None] | None = None

    async def run(self, work: Callable[[sqlite3.Connection], T], durable: bool = False) -> T:
        """Run `work` in a transaction (shared with others waiting); `durable` syncs it to disk.

        `work` runs on the database thread and must not await. A caller cancelled before its
        batch starts writes nothing; after, its work commits or rolls back with the batch.
        """
        pending = _Pending(work, durable, asyncio.get_running_loop().create_future())
        self._pending.append(pending)
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(self._commit_all())
            self._committer.add_done_callback(self._committer_done)
        result: T = await pending.answer
        return result

    async def drain(self) -> None:
        """Wait until every write handed in so far has been committed (or has failed)."""
        while self._committer is not None and not self._committer.done():
            await asyncio.wait({self._committer})

    async def _commit_all(self) -> None:
        while self._pending:
            self._batch, self._pending = self._pending, []
            await self._commit()
        self._batch = []

    def _committer_done(self, committer: asyncio.Task[None]) -> None:
        """A committer that did not finish its work (cancelled at shutdown, even before it
        began, or failed) leaves nobody waiting: its callers are cancelled or get its error.
        Like any cancelled caller, they cannot tell whether their write was committed."""
        if not committer.cancelled() and committer.exception() is None:
            return
        stranded, self._batch = self._batch, []
        if committer is self._committer:  # else a newer committer owns what waits now
            stranded, self._pending = [*stranded, *self._pending], []
        error = None if committer.cancelled() else committer.exception()
        for pending in stranded:
            if pending.answer.done():
                continue
            if error is None:
                pending.answer.cancel()
            else:
                pending.answer.set_exception(error)

    async def _commit(self) -> None:
        try:
            answered = await self._retry_stale()
        except Exception as exc:  # BEGIN or COMMIT failed: nothing of the batch was kept
            for pending in self._batch:
                if not pending.answer.done():
                    pending.answer.set_exception(exc)
            return
        for pending, outcome in answered:
            if pending.answer.done():  # its caller was cancelled meanwhile
                continue
            if isinstance(outcome, _Failed):
                pending.answer.set_exception(outcome.error)
            else:
                pending.answer.set_result(outcome)

    async def _retry_stale(self) -> list[tuple[_Pending, Any]]:
        """Run the batch's live writes (each with its outcome), waiting out a stale read.

        Reads do not wait for writes, so a SELECT may be part-way through on this connection.
        If another process (the officer CLI) committed since that SELECT began, SQLite refuses
        BEGIN IMMEDIATE at once (SQLITE_BUSY without the busy timeout: the read's snapshot is
        stale). The SELECT ends in a moment; try again until the busy timeout has passed.
        Only a refused BEGIN is retried: nothing was written yet, so a caller cancelled
        meanwhile is left out.
        """
        deadline = time.monotonic() + self._busy_timeout
        delay = 0.001
        while True:
            live = [p for p in self._batch if not p.answer.cancelled()]
            if not live:
                return []
            try:
                outcomes: list[Any] = await self._on_thread(
                    _in_one_transaction,
                    self._conn,
                    [p.work for p in live],
                    any(p.durable for p in live),
                )
                return list(zip(live, outcomes, strict=True))
            except BeginBusy as busy:
                if time.monotonic() >= deadline:
                    raise busy.error from None
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)


def _in_one_transaction(db: sqlite3.Connection, works: Sequence[Work], durable: bool) -> list[Any]:
    """Runs on the database thread: BEGIN IMMEDIATE, each work in a savepoint, COMMIT."""
    if durable:
        db.execute("PRAGMA synchronous = FULL")
    try:
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise BeginBusy(exc) from exc
            raise
        try:
            outcomes = [_in_savepoint(db, work) for work in works]
            db.execute("COMMIT")
        except BaseException as exc:
            _free_locals(exc)
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return outcomes
    finally:
        if durable:
            db.execute("PRAGMA synchronous = NORMAL")


def _in_savepoint(db: sqlite3.Connection, work: Work) -> Any:
    db.execute("SAVEPOINT work")
    try:
        outcome = without_cursor(work(db))
    except Exception as exc:  # this write alone is undone; its caller gets the error
        _free_locals(exc)
        if not db.in_transaction:  # SQLite gave up the whole transaction (disk full, say)
            raise
        db.execute("ROLLBACK TO work")
        outcome = _Failed(exc)
    db.execute("RELEASE work")
    return outcome


def _free_locals(error: BaseException) -> None:
    """Free, here on the database thread, what the failed write's frames held (a cursor,
    say): the error itself travels to the event loop, with its file and line numbers."""
    traceback.clear_frames(error.__traceback__)


def without_cursor(outcome: T) -> T:
    """Refuse (on the database thread) a result that is a cursor: rows and values only.

    A cursor freed on the event loop resets its statement there, while this thread may be
    running the same cached statement for another caller: rare, random "Error binding
    parameter" failures.
    """
    if isinstance(outcome, sqlite3.Cursor):
        outcome.close()
        raise TypeError("a database call returned its sqlite3 cursor")
    return outcome
