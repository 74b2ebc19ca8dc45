"""`wbs-bot status`: what needs the operator is marked, at 80 columns, and as JSON."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import cli
from storage.backup import DataPaths, make_backup
from tests.test_config_checks import GOOD, seed_database, write

pytestmark = pytest.mark.storage


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def status(config: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["status", "--config", str(config), *extra])
    return result.exit_code, result.output


def test_a_quiet_healthy_bot_exits_0(tmp_path: Path) -> None:
    seed_database(tmp_path / "data")
    with closing(sqlite3.connect(tmp_path / "data" / "wbs.sqlite3")) as db, db:
        db.execute("UPDATE reports SET created_at = ?", (stamp(datetime.now(UTC)),))
    config = write(tmp_path, GOOD)
    paths = DataPaths(tmp_path / "data" / "wbs.sqlite3", tmp_path / "data" / "wbs.key")
    make_backup(paths, tmp_path, "a long enough passphrase", datetime.now(UTC))
    code, output = status(config)
    assert code == 0, output
    assert "!" not in output
    assert "1 reports, 1 open, 0 overdue" in output and "Last backup" in output


def test_what_needs_the_operator_is_marked_and_readable_at_80_columns(tmp_path: Path) -> None:
    data = tmp_path / "data"
    seed_database(data)
    now = datetime.now(UTC)
    with closing(sqlite3.connect(data / "wbs.sqlite3")) as db, db:
        db.execute("UPDATE reports SET created_at = ?", (stamp(now - timedelta(days=120)),))
        for created, failed in ((now - timedelta(minutes=42), None), (now, stamp(now))):
            db.execute(
                """INSERT INTO outbox (recipient_hash, recipient, kind, payload, created_at,
                   due_at, failed_at) VALUES (x'01', x'02', 'alert', x'03', ?, ?, ?)""",
                (stamp(created), stamp(created), failed),
            )
    code, output = status(write(tmp_path, GOOD))
    assert code == 1, output
    marked = {line.split()[1] for line in output.splitlines() if line.startswith("!")}
    assert marked == {"Outbox", "Messages", "Cases", "Last"}, output
    assert "1 waiting, the oldest for 42 min" in output
    assert "1 overdue: WBS-2026-0001" in output
    assert all(len(line) <= 80 for line in output.splitlines()), output

    code, output = status(write(tmp_path, GOOD), "--json")
    report = json.loads(output)
    assert report["outbox"]["undelivered"] == 1 and report["outbox"]["given_up"] == 1
    assert 42 * 60 <= report["outbox"]["oldest_age_seconds"] < 43 * 60
    assert report["overdue_cases"] == ["WBS-2026-0001"]
    assert report["database"]["integrity"] == "ok" and report["last_backup"] is None
    assert report["telegram_last_contact"] is None


def test_no_database_is_said_in_one_line(tmp_path: Path) -> None:
    code, output = status(write(tmp_path, GOOD))
    assert code == 2 and "Cannot read the database" in output and "Traceback" not in output
