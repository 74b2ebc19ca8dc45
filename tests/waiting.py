"""Waiting for a condition, never for a fixed time: a test that sleeps fails on a busy machine.

Conditions on the fakes' own state have their own waits (`FakeTelegram.next_message`,
`FakeTelegram.wait_until`, `FakeWhatsApp.next_message`); these are for the rest: rows in the
database, files, processes.
"""

from __future__ import annotations

import asyncio
import inspect
import sqlite3
import time
from collections.abc import Awaitable, Callable
from contextlib import closing
from datetime import datetime
from pathlib import Path

POLL = 0.01


async def wait_until(
    predicate: Callable[[], bool | Awaitable[bool]],
    *,
    timeout: float = 10.0,
    what: str = "the condition",
    poll: float = POLL,
) -> None:
    """Return as soon as `predicate()` holds (it may be async); TimeoutError naming `what`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        held = predicate()
        if inspect.isawaitable(held):
            held = await held
        if held:
            return
        if loop.time() >= deadline:
            raise TimeoutError(f"{what} did not hold within {timeout}s")
        await asyncio.sleep(poll)


def wait_until_sync(
    predicate: Callable[[], bool], *, timeout: float = 10.0, what: str = "the condition"
) -> None:
    """The same for code outside the event loop (the browser test, a process's files)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{what} did not hold within {timeout}s")
        time.sleep(POLL)


def outbox_at_rest(database: Path, now: datetime) -> bool:
    """Nothing in the outbox is due by `now` or being sent: every delivery round up to `now`
    has ended (what is left waits for a later retry). Read from the file, as another process
    would."""
    with closing(sqlite3.connect(database)) as db:
        rows = db.execute(
            "SELECT due_at, claimed_until FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
        ).fetchall()
    return all(claimed is None and datetime.fromisoformat(due) > now for due, claimed in rows)


def undelivered(database: Path) -> int:
    """Messages in the outbox not yet delivered (nor given up on)."""
    with closing(sqlite3.connect(database)) as db:
        row = db.execute("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")
        return int(row.fetchone()[0])
