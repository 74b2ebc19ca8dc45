"""Configuration: every wrong key named in plain words; durations; environment overrides."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import cli
from bot.settings import ConfigError, load_settings

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_the_example_loads_with_the_spec_defaults(tmp_path: Path) -> None:
    settings = load_settings(EXAMPLE)
    assert settings.bot.timezone == "Asia/Makassar"
    assert settings.form.draft_ttl == timedelta(days=7)
    assert settings.sla.resolve_within == timedelta(days=60)
    assert settings.form.services[0] == "SI IKAN MAS" and len(settings.form.services) == 7
    assert settings.storage.database == EXAMPLE.parent / "data" / "wbs.sqlite3"


@pytest.mark.parametrize(
    ("written", "seconds"), [('"PT2S"', 2), ('"P1D"', 86400), ("30", 30), ('"45"', 45)]
)
def test_durations_are_iso_8601_or_whole_seconds(
    tmp_path: Path, written: str, seconds: int
) -> None:
    settings = load_settings(write(tmp_path, f"[sla]\nscan_interval = {written}\n"))
    assert settings.sla.scan_interval == timedelta(seconds=seconds)


def test_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, '[storage]\ndatabase = "db/x.sqlite3"\n'))
    assert settings.storage.database == tmp_path / "db" / "x.sqlite3"


def test_the_environment_overrides_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WBS_TELEGRAM__TOKEN", "123:from-env")
    settings = load_settings(
        write(tmp_path, '[telegram]\ntoken = "in-file"\nofficer_chat_id = -5\n')
    )
    assert settings.telegram.token == "123:from-env" and settings.telegram.officer_chat_id == -5


def test_every_wrong_key_is_named(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[telegram]\ntokn = "x"\nofficer_chat_id = "abc"\n[sla]\nresolve_within = "sixty"\n'
        '[bot]\ntimezone = "Mars/Base"\n',
    )
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    message = str(error.value)
    for key in ("telegram.tokn", "telegram.officer_chat_id", "sla.resolve_within", "bot.timezone"):
        assert key in message
    assert "Traceback" not in message


def test_check_config_says_what_is_missing_and_exits_2(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["check-config", "--config", str(EXAMPLE)])
    assert result.exit_code == 2 and "telegram.token" in result.output
    ok = write(tmp_path, '[telegram]\ntoken = "123:x"\nofficer_chat_id = -100\n')
    result = runner.invoke(cli, ["check-config", "--config", str(ok)])
    assert result.exit_code == 0 and "OK" in result.output
    result = runner.invoke(cli, ["check-config", "--config", str(tmp_path / "missing.toml")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_a_lost_key_next_to_a_database_with_reports_stops_the_start(tmp_path: Path) -> None:
    """Never make a new key over reports sealed with the old one: they would be unreadable."""
    import asyncio
    from datetime import UTC, datetime

    from conversations.i18n import Lang
    from conversations.ports import NewReport
    from storage.store import Store
    from storage.vault import Vault

    data = tmp_path / "data"

    async def seed() -> None:
        store = await Store.open(data / "wbs.sqlite3", Vault.open_or_create(data / "wbs.key"))
        report = NewReport(
            "telegram", "telegram:1", Lang.ID, None, "Penipuan", None, None, True, {}, []
        )
        await store.reports.submit(report, datetime.now(UTC), 2026, lambda ticket: [])
        await store.close()

    asyncio.run(seed())
    (data / "wbs.key").unlink()
    config = write(tmp_path, '[telegram]\ntoken = "123:x"\nofficer_chat_id = -100\n')
    result = CliRunner().invoke(cli, ["run", "--config", str(config)])
    assert result.exit_code == 2
    assert "security.key_file" in result.output and "backup" in result.output
    assert not (data / "wbs.key").exists()  # and nothing was created
