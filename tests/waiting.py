"""Waiting for a condition, never for a fixed time: a test that sleeps fails on a busy machine.

Conditions on the fakes' own state have their own waits (`FakeTelegram.next_message`,
`FakeTelegram.wait_until`, `FakeWhatsApp.next_message`); these are for the rest: rows in the
database, files, processes.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable

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
