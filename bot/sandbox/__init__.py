"""`wbs-bot sandbox`: the whole product on one computer, without a token or the internet.

One process, one asyncio loop: the Telegram-compatible Bot API server of `bot.sandbox.bot_api`,
the real bot built by `bot.app.build_app` pointed at it, and a small web page (plain HTML, CSS
and a little JavaScript in `static/`) that plays the reporters' phones and the officers' group.
Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

from bot.sandbox.server import (
    DEFAULT_PORT,
    FAST_CLOCK_FACTOR,
    Sandbox,
    SandboxError,
    fast_clock_settings,
    run_sandbox,
    sandbox_settings,
)

__all__ = [
    "DEFAULT_PORT",
    "FAST_CLOCK_FACTOR",
    "Sandbox",
    "SandboxError",
    "fast_clock_settings",
    "run_sandbox",
    "sandbox_settings",
]
