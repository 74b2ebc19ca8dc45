"""deploy/: the systemd units and the container recipe hold what they promise, and the start
command the unit runs serves a reporter and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bot.settings import load_settings
from tests.conftest import OFFICER_GROUP, Reporter
from tests.support.fake_telegram import FakeTelegram

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
UNITS = ("wbs-bot.service", "wbs-bot-backup.service", "wbs-bot-backup.timer")
INSTALLED_BIN = "/opt/wbs-bot/.venv/bin/"
VENV_BIN = Path(sys.executable).parent
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


def unit(name: str) -> dict[str, list[str]]:
    """`Key: [values]` of a unit file (a key may repeat), sections flattened."""
    keys: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            keys.setdefault(key.strip(), []).append(value.strip())
    return keys


def one(keys: dict[str, list[str]], key: str) -> str:
    values = keys.get(key, [])
    assert len(values) == 1, f"{key}: {values}"
    return values[0]


def units_for_this_machine(folder: Path) -> list[Path]:
    """Copies whose program path is this venv's (systemd-analyze checks that it exists)."""
    copies = []
    for name in UNITS:
        text = (DEPLOY / name).read_text().replace(INSTALLED_BIN, f"{VENV_BIN}/")
        (folder / name).write_text(text)
        copies.append(folder / name)
    return copies


@pytest.mark.unit
def test_the_service_is_hardened_and_writes_only_to_the_data_folder() -> None:
    service = unit("wbs-bot.service")
    assert one(service, "User") == "wbs-bot" and one(service, "Group") == "wbs-bot"
    for key, value in {
        "Restart": "on-failure",
        "ProtectSystem": "strict",
        "NoNewPrivileges": "yes",
        "PrivateTmp": "yes",
        "ProtectHome": "yes",
        "UMask": "0077",
        "EnvironmentFile": "/etc/wbs-bot/secrets.env",
        "RestartPreventExitStatus": "2",
    }.items():
        assert one(service, key) == value, key
    config = tomllib.loads((DEPLOY / "config.toml").read_text())
    data = Path(config["storage"]["database"]).parent
    assert Path(config["security"]["key_file"]).parent == data
    assert one(service, "ReadWritePaths") == str(data)
    assert (
        one(service, "StateDirectory") == data.name and one(service, "StateDirectoryMode") == "0700"
    )
    assert "token" not in (DEPLOY / "config.toml").read_text().split("[telegram]")[1].split("[")[0]

    backup = unit("wbs-bot-backup.service")
    assert one(backup, "User") == "wbs-bot" and one(backup, "Type") == "oneshot"
    assert one(backup, "EnvironmentFile") == "/etc/wbs-bot/backup.env"
    assert one(backup, "ReadWritePaths").split() == [str(data), "/var/backups/wbs-bot"]
    timer = unit("wbs-bot-backup.timer")
    assert one(timer, "Unit") == "wbs-bot-backup.service" and one(timer, "Persistent") == "true"
    assert one(timer, "OnCalendar").startswith("*-*-* ")  # daily


@pytest.mark.slow
@pytest.mark.skipif(
    SYSTEMD_ANALYZE is None, reason="SKIPPED LOUDLY: systemd-analyze is not installed here"
)
def test_systemd_analyze_verifies_the_units(tmp_path: Path) -> None:
    assert SYSTEMD_ANALYZE is not None
    copies = units_for_this_machine(tmp_path)
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", "--man=no", *map(str, copies)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # A warning (an unknown key, a misspelt value) goes to stderr with exit status 0.
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    security = subprocess.run(
        [SYSTEMD_ANALYZE, "security", "--offline=yes", "--threshold=20", str(copies[0])],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert security.returncode == 0, security.stdout[-1500:] + security.stderr


@pytest.mark.slow
def test_systemd_analyze_would_catch_a_broken_unit(tmp_path: Path) -> None:
    """The check above can fail: a misspelt key is reported."""
    if SYSTEMD_ANALYZE is None:
        pytest.skip("SKIPPED LOUDLY: systemd-analyze is not installed here")
    broken = tmp_path / "wbs-bot.service"
    text = (DEPLOY / "wbs-bot.service").read_text().replace(INSTALLED_BIN, f"{VENV_BIN}/")
    broken.write_text(text.replace("ProtectHome=yes", "ProtectHomes=yes"))
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", "--man=no", str(broken)], capture_output=True, text=True
    )
    assert "ProtectHomes" in result.stderr


def containerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) of deploy/Containerfile, continuation lines joined."""
    text = (DEPLOY / "Containerfile").read_text().replace("\\\n", " ")
    steps = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, arguments = line.partition(" ")
            steps.append((instruction.upper(), arguments.strip()))
    return steps


@pytest.mark.unit
def test_the_container_runs_as_a_user_with_one_volume_and_the_same_start_command() -> None:
    steps = containerfile()
    users = [args for instruction, args in steps if instruction == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    last_user = max(i for i, (instruction, _) in enumerate(steps) if instruction == "USER")
    assert all(instruction not in ("RUN", "COPY", "ADD") for instruction, _ in steps[last_user:])
    volumes = [json.loads(args) for instruction, args in steps if instruction == "VOLUME"]
    assert volumes == [["/data"]]

    # No secret baked in: nothing but the program and the paths-only config are copied.
    for instruction, args in steps:
        if instruction in ("ENV", "ARG"):
            for word in ("TOKEN", "SECRET", "PASSPHRASE", "KEY"):
                assert word not in args.upper(), args
        if instruction in ("COPY", "ADD"):
            sources = args.split()[:-1]
            assert all(
                s
                in {
                    "pyproject.toml",
                    "README.md",
                    "bot",
                    "conversations",
                    "storage",
                    "officer_cli",
                    "deploy/config.container.toml",
                }
                for s in sources
            ), args
    config = tomllib.loads((DEPLOY / "config.container.toml").read_text())
    assert set(config) == {"storage", "security"}
    assert Path(config["storage"]["database"]).parent == Path("/data")
    assert Path(config["security"]["key_file"]).parent == Path("/data")

    entrypoint = [json.loads(a) for i, a in steps if i == "ENTRYPOINT"][-1]
    command = [json.loads(a) for i, a in steps if i == "CMD"][-1]
    service = shlex.split(one(unit("wbs-bot.service"), "ExecStart"))
    assert Path(service[0]).name == entrypoint[0] == "wbs-bot"
    assert command[:2] == service[1:3] == ["run", "--config"]
    assert command[2] == "/etc/wbs-bot/config.toml" == service[3]


@pytest.mark.unit
def test_the_container_config_takes_everything_else_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WBS_TELEGRAM__TOKEN", "123456:ABCdefGhIJKlmnoPQRstuVWxyz")
    monkeypatch.setenv("WBS_TELEGRAM__OFFICER_CHAT_ID", "-1001234567890")
    monkeypatch.setenv("WBS_TELEGRAM__OFFICER_USER_IDS", "[5001, 5002]")
    settings = load_settings(DEPLOY / "config.container.toml")
    assert settings.telegram.officer_user_ids == [5001, 5002]
    assert settings.storage.database == Path("/data/wbs.sqlite3")
    assert settings.problems_for_running() == []


def environment_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines, as systemd reads an EnvironmentFile."""
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


@pytest.mark.slow
async def test_the_units_start_command_serves_and_stops_on_sigterm(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """`ExecStart` as written, with this machine's paths: the config of deploy/ (paths moved
    into a temporary data folder), the token only in the environment file."""
    fake.group(OFFICER_GROUP, "Tim WBS")
    data = tmp_path / "var-lib-wbs-bot"
    config = tmp_path / "config.toml"
    config.write_text(
        (DEPLOY / "config.toml")
        .read_text()
        .replace("/var/lib/wbs-bot", str(data))
        .replace("officer_chat_id = 0", f"officer_chat_id = {OFFICER_GROUP}")
    )
    secrets = tmp_path / "secrets.env"
    secrets.write_text(
        (DEPLOY / "secrets.env.example")
        .read_text()
        .replace("WBS_TELEGRAM__TOKEN=", f"WBS_TELEGRAM__TOKEN={fake.token}")
        + f"WBS_TELEGRAM__API_BASE_URL={fake.base_url}\n"
        + f"WBS_TELEGRAM__FILE_BASE_URL={fake.base_file_url}\n"
        + "WBS_TELEGRAM__RATE_LIMIT=false\n"
    )
    os.chmod(secrets, 0o600)
    service = unit("wbs-bot.service")
    command = shlex.split(one(service, "ExecStart").replace(INSTALLED_BIN, f"{VENV_BIN}/"))
    command[command.index("--config") + 1] = str(config)
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("WBS_")
    } | environment_file(secrets)
    data.mkdir(mode=0o700)  # StateDirectory= makes it

    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=data,
        env=environment,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        preexec_fn=lambda: os.umask(int(one(service, "UMask"), 8)),
    )
    try:
        reporter = Reporter(fake, fake.user(870001, "Yuliana"))
        await reporter.answer("/start", then="Whistleblowing System", timeout=30)
        await reporter.choose("Buat Laporan", then="Identitas Pelapor")
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()[-2000:]
    assert fake.token not in stderr.decode()
    assert sorted(p.name for p in data.iterdir() if not p.name.startswith("wbs.sqlite3-")) == [
        "wbs.key",
        "wbs.sqlite3",
    ]
    for path in data.iterdir():
        assert path.stat().st_mode & 0o077 == 0, path
