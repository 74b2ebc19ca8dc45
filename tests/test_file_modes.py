"""The data folder is the bot's alone (0700, files 0600); upgrades keep a copy; a database from
a newer program is refused with a sentence, not a traceback."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import stat
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import cli
from officer_cli.main import app as officer_app
from storage.backup import DataPaths, make_backup
from storage.blobs import BlobStore
from storage.migrations import MIGRATIONS
from storage.store import Store
from storage.vault import Vault
from tests.test_config_checks import GOOD, seed_database, write

pytestmark = pytest.mark.storage


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_file_in_the_data_folder_is_0600_in_a_0700_folder(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # the usual default, which made 0644 files before
    try:
        check_modes(tmp_path)
    finally:
        os.umask(previous)


def check_modes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    vault = Vault.open_or_create(data / "wbs.key")

    async def use() -> None:
        store = await Store.open(data / "wbs.sqlite3", vault)
        BlobStore(data / "evidence", vault).put(b"a photo")
        await store.close()

    asyncio.run(use())
    make_backup(
        DataPaths(data / "wbs.sqlite3", data / "wbs.key"),
        data,
        "a long passphrase",
        datetime.now(UTC),
    )
    assert mode(data) == 0o700 and mode(data / "evidence") == 0o700
    files = [p for p in data.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"wbs.key", "wbs.sqlite3", "last-backup.json"}
    assert any(p.suffix == ".wbsbak" for p in files)
    for path in files:
        assert mode(path) == 0o600, path


def test_a_data_folder_made_open_by_an_older_version_is_closed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    seed_database(data)
    data.chmod(0o755)
    for path in data.iterdir():
        path.chmod(0o644)
    vault = Vault.open_or_create(data / "wbs.key")

    async def reopen() -> None:
        store = await Store.open(data / "wbs.sqlite3", vault)
        await store.close()

    asyncio.run(reopen())
    assert mode(data) == 0o700 and mode(data / "wbs.sqlite3") == 0o600


def test_an_older_schema_is_copied_beside_the_database_before_the_upgrade(tmp_path: Path) -> None:
    data = tmp_path / "data"
    seed_database(data)
    database = data / "wbs.sqlite3"
    older = len(MIGRATIONS) - 1
    with closing(sqlite3.connect(database)) as db:
        db.execute(f"PRAGMA user_version = {older}")  # as if the last migration had not run
    vault = Vault.open_or_create(data / "wbs.key")

    async def reopen() -> None:
        store = await Store.open(database, vault)
        await store.close()

    with contextlib.suppress(sqlite3.OperationalError):
        asyncio.run(reopen())  # the last script may not run twice on this hand-made file
    copies = list(data.glob(f"wbs.sqlite3.schema-{older}-*.bak"))
    assert len(copies) == 1 and mode(copies[0]) == 0o600
    with closing(sqlite3.connect(copies[0])) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == older
        assert db.execute("SELECT ticket FROM reports").fetchall() == [("WBS-2026-0001",)]


def test_a_newer_database_is_refused_by_name(tmp_path: Path) -> None:
    data = tmp_path / "data"
    seed_database(data)
    with closing(sqlite3.connect(data / "wbs.sqlite3")) as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    config = write(tmp_path, GOOD)
    for app, args in (
        (cli, ["check-config", "--config", str(config)]),
        (cli, ["run", "--config", str(config)]),
        (officer_app, ["--config", str(config), "cases", "list"]),
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "the database is newer" in result.output and "upgrade wbs-bot" in result.output
        assert "Traceback" not in result.output
