"""`check-config`, `run` and the officer CLI name what is wrong with a config, key by key.

The wrong key for a database is named as such, instead of a traceback (`InvalidTag`) or a false
claim that the audit log was tampered with.
"""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import cli
from officer_cli.main import app as officer_app
from storage.store import Store
from storage.vault import Vault

TOKEN = "1234567890:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"
GOOD = f"""
[telegram]
token = "{TOKEN}"
officer_chat_id = -1001234567890
officer_user_ids = [5001, 5002]
admin_user_ids = [5002]
"""


def write(folder: Path, text: str) -> Path:
    config = folder / "config.toml"
    config.write_text(text)
    return config


def check(config: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check-config", "--config", str(config)])
    return result.exit_code, result.output


@pytest.mark.unit
def test_a_good_config_is_ok_without_warnings(tmp_path: Path) -> None:
    code, output = check(write(tmp_path, GOOD))
    assert code == 0 and "OK (database" in output and "warning" not in output


@pytest.mark.unit
@pytest.mark.parametrize(
    ("change", "level", "key", "says"),
    [
        (("-1001234567890", "1234567"), "error", "telegram.officer_chat_id", "private chat"),
        ((TOKEN, "123:abc"), "warning", "telegram.token", "does not look like a token"),
        (("[5001, 5002]", "[]"), "warning", "telegram.officer_user_ids", "Nobody can act"),
        (
            ("admin_user_ids = [5002]", "admin_user_ids = []"),
            "warning",
            "telegram.admin_user_ids",
            "reveal",
        ),
        (("[5001, 5002]", "[5001]"), "warning", "telegram.admin_user_ids", "5002 not in"),
        (
            ("officer_chat_id", 'webhook_url = "http://bot.example.go.id/tg"\nofficer_chat_id'),
            "error",
            "telegram.webhook_url",
            "https://",
        ),
        (
            ("officer_chat_id", 'webhook_listen = "8443"\nofficer_chat_id'),
            "error",
            "telegram.webhook_listen",
            "host:port",
        ),
    ],
)
def test_each_mistake_is_named_by_its_key(
    tmp_path: Path, change: tuple[str, str], level: str, key: str, says: str
) -> None:
    code, output = check(write(tmp_path, GOOD.replace(*change, 1)))
    line = next(line for line in output.splitlines() if line.split()[1:2] == [f"{key}:"])
    assert line.split()[0] == level and says in line, output
    assert code == (2 if level == "error" else 0), output
    assert "Traceback" not in output


@pytest.mark.unit
def test_the_webhook_listens_where_the_config_says(tmp_path: Path) -> None:
    from bot.config_checks import listen_address
    from bot.settings import load_settings

    default = load_settings(write(tmp_path, GOOD))
    assert listen_address(default) == ("0.0.0.0", 8443)  # as before the key existed
    local = GOOD.replace("officer_chat_id", 'webhook_listen = "127.0.0.1:9443"\nofficer_chat_id')
    assert listen_address(load_settings(write(tmp_path, local))) == ("127.0.0.1", 9443)


def seed_database(data: Path) -> None:
    """A database with a report and an audit entry, sealed with the key in `data/wbs.key`."""
    vault = Vault.open_or_create(data / "wbs.key")

    async def create() -> None:
        store = await Store.open(data / "wbs.sqlite3", vault)
        await store.close()

    asyncio.run(create())
    with closing(sqlite3.connect(data / "wbs.sqlite3")) as db, db:
        db.execute(
            """INSERT INTO reports (ticket, year, seq, channel, anonymous, category, consent,
               content, state, lang, created_at, updated_at) VALUES ('WBS-2026-0001', 2026, 1,
               'telegram', 1, 'Penipuan', 1, ?, 'baru', 'id', '2026-01-05T00:00:00+00:00',
               '2026-01-05T00:00:00+00:00')""",
            (vault.seal_json({}, "report"),),
        )
        db.execute(
            """INSERT INTO audit (id, at, actor, action, ticket, detail, prev_hash, hash)
               VALUES (1, '2026-01-05T00:00:00+00:00', 'pelapor', 'baru', 'WBS-2026-0001', ?,
               '', 'x')""",
            (vault.seal_json({}, "audit"),),
        )


@pytest.mark.storage
def test_the_wrong_key_is_named_by_run_check_config_and_the_officer_cli(tmp_path: Path) -> None:
    data = tmp_path / "data"
    seed_database(data)
    (data / "wbs.key").unlink()
    config = write(tmp_path, GOOD)

    code, output = check(config)  # the missing key, caught before `run` would refuse
    assert code == 2 and "security.key_file" in output and "is missing" in output

    Vault.open_or_create(data / "wbs.key")  # another key
    code, output = check(config)
    assert code == 2 and "the key does not match this database" in output
    result = CliRunner().invoke(cli, ["run", "--config", str(config)])
    assert result.exit_code == 2 and "the key does not match this database" in result.output
    for args in (["cases", "list"], ["audit", "verify"], ["cases", "show", "1"]):
        result = CliRunner().invoke(officer_app, ["--config", str(config), *args])
        assert result.exit_code == 2, result.output
        assert "the key does not match this database" in result.output
        assert "Traceback" not in result.output and "BROKEN" not in result.output


@pytest.mark.storage
def test_the_key_check_value_names_a_wrong_key_before_any_report_exists(tmp_path: Path) -> None:
    """A database with no report yet (drafts only) still knows its key: the check value."""
    from storage.connection import WrongKey

    data = tmp_path / "data"

    async def open_with(vault: Vault) -> None:
        store = await Store.open(data / "wbs.sqlite3", vault)
        await store.close()

    asyncio.run(open_with(Vault.open_or_create(data / "wbs.key")))
    with closing(sqlite3.connect(data / "wbs.sqlite3")) as db:
        assert db.execute("SELECT count(*) FROM audit").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM key_check").fetchone() == (1,)
    (data / "wbs.key").unlink()
    other = Vault.open_or_create(data / "wbs.key")
    code, output = check(write(tmp_path, GOOD))
    assert code == 2 and "the key does not match this database" in output
    with pytest.raises(WrongKey):
        asyncio.run(open_with(other))
