"""`wbs-officer` is a desk tool over the database: it must not load the chat bot.

Starting python-telegram-bot (and `bot.app`, which builds the bot) would cost every command
its start-up time and tie the CLI to the bot's dependencies; the retention rules it needs
come from `bot.rules`, the same reading of the configuration the bot uses.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_officer_cli import OFFICER, seed

pytestmark = pytest.mark.storage  # a real database; the CLI in a fresh interpreter

SCRIPT = """
import json, sys
from officer_cli.main import app

codes = []
for args in (["--help"], ["cases", "list"], ["purge", "--dry-run"]):
    try:
        app(["--config", sys.argv[1], "--as", sys.argv[2], *args])
    except SystemExit as done:
        codes.append(done.code or 0)
bot = sorted(m for m in sys.modules if m.split(".")[0] == "telegram" or m == "bot.app")
print(json.dumps({"codes": codes, "loaded": bot}))
"""


def test_the_officer_cli_loads_neither_the_bot_nor_python_telegram_bot(tmp_path: Path) -> None:
    seeded = asyncio.run(seed(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(seeded.config), str(OFFICER)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["codes"] == [0, 0, 0], done.stdout
    assert result["loaded"] == []
