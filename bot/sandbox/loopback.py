"""An aiohttp server on the loopback interface that others can wait on.

The sandbox's Bot API server and the tests' fakes of Telegram and WhatsApp all need the same
few things: listen on 127.0.0.1 (port 0 picks a free one, a restart keeps it), stop cleanly,
and let a caller wait until their state changes instead of sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from aiohttp import web

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


class LoopbackServer:
    """Serves `web_app` on `host:port`; `_notify()` wakes whoever waits in `wait_until`.

    `poll_interval` also re-checks a waited-for condition that depends on more than this
    server's state (a database, another process); None waits for changes only.
    """

    poll_interval: float | None = None

    def __init__(self, web_app: web.Application, *, host: str, port: int) -> None:
        self.web_app = web_app
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None
        self._bound_port: int | None = None
        self._changed = asyncio.Event()

    def _runner_options(self) -> dict[str, Any]:
        return {"access_log": None, "shutdown_timeout": 1.0}

    async def start(self) -> None:
        """Listen on `host:port` (port 0 picks a free one)."""
        if self._runner is not None:
            return
        runner = web.AppRunner(self.web_app, **self._runner_options())
        await runner.setup()
        # A restarted server keeps its port, so a client still running finds it again.
        port = self.port or self._bound_port or 0
        try:
            await web.TCPSite(runner, self.host, port).start()
        except OSError:
            if port == self.port:
                await runner.cleanup()
                raise
            await web.TCPSite(runner, self.host, 0).start()
        self._runner = runner
        self._bound_port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        """Close the server (a stopped server can be started again)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Any:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """Root URL of the server, e.g. ``http://127.0.0.1:40123``."""
        if self._bound_port is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return f"http://{self.host}:{self._bound_port}"

    def _notify(self) -> None:
        """Wake everyone waiting for a change."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def _changes(self, deadline: float) -> bool:
        """Wait for the next change or the deadline (loop time); False once it has passed."""
        loop = asyncio.get_running_loop()
        changed = self._changed
        remaining = deadline - loop.time()
        if remaining <= 0:
            return False
        if self.poll_interval is not None:
            remaining = min(remaining, self.poll_interval)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), remaining)
        return True

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented test-facing API
        what: str = "condition",
    ) -> None:
        """Wait until ``predicate()`` holds, re-checking whenever the state changes."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not predicate():
            if not await self._changes(deadline):
                raise TimeoutError(f"{what} did not hold within {timeout}s")

    async def _next_new(
        self,
        cursors: dict[K, int],
        key: K,
        sent: Callable[[], Sequence[T]],
        wanted: Callable[[T], bool],
        timeout: float,  # noqa: ASYNC109 - the callers' documented timeout
    ) -> T | None:
        """The next item of `sent()` after `cursors[key]` that is `wanted`, waiting for it.

        Every item looked at moves the cursor on; None when `timeout` passed first.
        """
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            items = sent()
            cursor = cursors.get(key, 0)
            while cursor < len(items):
                item = items[cursor]
                cursor += 1
                cursors[key] = cursor
                if wanted(item):
                    return item
            if not await self._changes(deadline):
                return None
