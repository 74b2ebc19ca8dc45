"""A backup taken while 20 reporters are filing restores, on a new server, to the same reports.

The bot serves real traffic (real PTB over HTTP against the fake Bot API); `wbs-bot backup`,
`restore` and `key export|import` run as the operator runs them, as separate processes.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import sys
from pathlib import Path

import pytest

from storage.blobs import BlobStore
from storage.vault import Vault
from tests.conftest import OFFICER_GROUP, Clock, Reporter, RunningBot, make_settings
from tests.support.fake_telegram import FakeTelegram

BIN = Path(sys.executable).parent
TICKET = re.compile(r"WBS-\d{4}-\d{4,}")
PASSPHRASE = "kunci cadangan BKD NTT 2026"

pytestmark = pytest.mark.slow  # wbs-bot and wbs-officer run as processes


def photo_of(n: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + f"foto-bukti-{n:03d}-".encode() * 200


async def file_with_photo(reporter: Reporter, n: int) -> str:
    """The whole form, typed quickly, with one photo as evidence; returns the ticket."""
    for text in ("/lapor", "Lapor Anonim", "Pengaduan Layanan", "SIMPEG"):
        reporter.send(text)
    reporter.send(f"Berkas nomor {n} tidak bisa diunggah ke SIMPEG.")
    await reporter.expect("Link Bukti", timeout=30)
    reporter.fake.send_photo(reporter.user, photo_of(n))
    await reporter.expect("total 1", timeout=30)
    for text in ("Selesai", "Ya, saya bersedia", "Kirim Laporan"):
        reporter.send(text)
    confirmation = await reporter.expect("nomor registrasi", timeout=30)
    match = TICKET.search(confirmation.text)
    assert match, confirmation.text
    return match.group()


def write_config(folder: Path, fake: FakeTelegram) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "config.toml"
    config.write_text(
        f"""
[telegram]
token = "{fake.token}"
api_base_url = "{fake.base_url}"
file_base_url = "{fake.base_file_url}"
officer_chat_id = {OFFICER_GROUP}
officer_user_ids = [5001, 5002]
admin_user_ids = [5002]
rate_limit = false

[storage]
database = "data/wbs.sqlite3"

[security]
key_file = "data/wbs.key"
"""
    )
    return config


async def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """A command of the venv, as the operator types it: exit code, stdout, stderr."""
    process = await asyncio.create_subprocess_exec(
        str(BIN / args[0]),
        *args[1:],
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    out, err = await asyncio.wait_for(process.communicate(stdin), timeout=120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def passphrase_file(folder: Path) -> Path:
    path = folder / "passphrase"
    path.write_text(PASSPHRASE + "\n")
    return path


async def test_a_backup_under_load_restores_every_report_file_and_audit_entry(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    fake.group(OFFICER_GROUP, "Tim WBS")
    fake.latency = 0.005
    source = write_config(tmp_path / "server", fake)
    settings = make_settings(tmp_path / "server" / "data", fake)
    bot = RunningBot(fake, settings, Clock())
    await bot.start()
    reporters = [Reporter(fake, fake.user(910000 + n, f"R{n}")) for n in range(20)]
    try:
        before = await asyncio.gather(
            *(file_with_photo(r, n) for n, r in enumerate(reporters[:10]))
        )
        # The other ten keep filing, one report after another, until the backup is done.
        backup_done = asyncio.Event()

        async def keep_filing(reporter: Reporter, n: int) -> list[str]:
            tickets = []
            for round_ in range(1, 100):
                tickets.append(await file_with_photo(reporter, n + 100 * round_))
                if backup_done.is_set():
                    return tickets
            return tickets

        during = [asyncio.create_task(keep_filing(r, n + 10)) for n, r in enumerate(reporters[10:])]
        (tmp_path / "backups").mkdir(mode=0o700)
        code, out, err = await run(
            "wbs-bot",
            "backup",
            "--config",
            str(source),
            "--output",
            str(tmp_path / "backups"),
            env={"WBS_BACKUP_PASSPHRASE": PASSPHRASE},
        )
        backup_done.set()
        after = [ticket for tickets in await asyncio.gather(*during) for ticket in tickets]
    finally:
        await bot.stop()
    assert code == 0, err
    assert "Backup written" in out and "The key is not in the archive" in out
    archives = list((tmp_path / "backups").glob("wbs-backup-*.wbsbak"))
    assert len(archives) == 1 and archives[0].stat().st_mode & 0o777 == 0o600
    assert not any(
        p.name.endswith(".partial") or p.is_dir() for p in (tmp_path / "backups").iterdir()
    )
    raw = archives[0].read_bytes()
    assert b"foto-bukti" not in raw and b"SQLite format" not in raw and b"SIMPEG" not in raw

    # The key travels apart, on paper.
    code, recovery, err = await run("wbs-bot", "key", "export", "--config", str(source))
    assert code == 0, err
    assert "Write it on paper" in err and len(recovery.split()) == 14

    # A new server: its own config and an empty data folder.
    target = write_config(tmp_path / "new-server", fake)
    code, out, err = await run(
        "wbs-bot", "key", "import", "--config", str(target), stdin=recovery.encode()
    )
    assert code == 0, err
    code, out, err = await run(
        "wbs-bot",
        "restore",
        str(archives[0]),
        "--config",
        str(target),
        "--passphrase-file",
        str(passphrase_file(tmp_path)),
    )
    assert code == 0, err
    manifest_reports = int(re.search(r"(\d+) report\(s\)", out).group(1))  # type: ignore[union-attr]
    manifest_files = int(re.search(r"(\d+) evidence file\(s\)", out).group(1))  # type: ignore[union-attr]
    manifest_audit = int(re.search(r"(\d+) audit entries", out).group(1))  # type: ignore[union-attr]
    assert "intact (checked with the key)" in out
    # One moment: the reports finished after it (each reporter's last) are not in it.
    assert 10 <= manifest_reports < 10 + len(after) and manifest_files >= manifest_reports

    # Every case the backup holds, by the officers' own CLI on the restored data.
    code, out, err = await run("wbs-officer", "--config", str(target), "cases", "list", "--json")
    assert code == 0, err
    cases = json.loads(out)
    tickets = {case["ticket"] for case in cases}
    assert len(tickets) == manifest_reports
    assert set(before) <= tickets <= set(before) | set(after)

    # Every file, opened with the imported key: the photo each reporter sent.
    data = tmp_path / "new-server" / "data"
    blobs = BlobStore(data / "evidence", Vault.open_or_create(data / "wbs.key"))
    opened = {hashlib.sha256(blobs.get(p.name)).hexdigest() for p in (data / "evidence").iterdir()}
    assert len(opened) == manifest_files
    evidence = set()
    for case in cases:
        code, out, err = await run(
            "wbs-officer", "--config", str(target), "cases", "show", case["ticket"], "--json"
        )
        assert code == 0, err
        evidence |= {item["sha256"] for item in json.loads(out)["evidence"]}
    assert evidence <= opened and len(evidence) == manifest_reports
    assert evidence >= {hashlib.sha256(photo_of(n)).hexdigest() for n in range(10)}

    # Every audit entry, the chain intact.
    code, out, err = await run("wbs-officer", "--config", str(target), "audit", "verify")
    assert code == 0, out + err
    assert str(manifest_audit) in out

    # The bot starts on the restored data and knows each reporter's case.
    restored = RunningBot(fake, make_settings(data, fake), Clock())
    await restored.start()
    try:
        for reporter, ticket in zip(reporters[:10], before, strict=True):
            status = await reporter.answer("/status", then=ticket, timeout=15)
            assert ticket in status.text
    finally:
        await restored.stop()


async def test_restore_refuses_a_folder_in_use_a_wrong_passphrase_and_a_wrong_key(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram, tmp_path: Path
) -> None:
    await file_with_photo(reporter, 1)
    source = write_config(tmp_path / "server", fake)
    settings = running_bot.settings
    source.write_text(
        source.read_text()
        .replace('"data/wbs.sqlite3"', f'"{settings.storage.database}"')
        .replace('"data/wbs.key"', f'"{settings.security.key_file}"')
    )
    archive = tmp_path / "one.wbsbak"
    phrase = passphrase_file(tmp_path)
    code, out, err = await run(
        "wbs-bot", "backup", "-c", str(source), "-o", str(archive), "--passphrase-file", str(phrase)
    )
    assert code == 0, err

    # Over the live data folder: refused without --force.
    code, out, err = await run(
        "wbs-bot", "restore", str(archive), "-c", str(source), "--passphrase-file", str(phrase)
    )
    assert code == 1 and "is not empty" in err and "--force" in err and "Traceback" not in err

    target = write_config(tmp_path / "new", fake)
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase at all\n")
    code, out, err = await run(
        "wbs-bot", "restore", str(archive), "-c", str(target), "--passphrase-file", str(wrong)
    )
    assert code == 1 and "passphrase does not open this archive" in err
    assert not (tmp_path / "new" / "data" / "wbs.sqlite3").exists()

    # A cut-off archive is refused, not restored short.
    cut = tmp_path / "cut.wbsbak"
    cut.write_bytes(archive.read_bytes()[:-100])
    code, out, err = await run(
        "wbs-bot", "restore", str(cut), "-c", str(target), "--passphrase-file", str(phrase)
    )
    assert code == 1 and "Nothing was restored" in err and "Traceback" not in err

    # Another server's key in place: the restore says so instead of a false tamper claim.
    other = tmp_path / "other"
    (other / "data").mkdir(parents=True)
    Vault.open_or_create(other / "data" / "wbs.key")
    other_config = write_config(other, fake)
    code, out, err = await run(
        "wbs-bot",
        "restore",
        str(archive),
        "-c",
        str(other_config),
        "--passphrase-file",
        str(phrase),
    )
    assert code == 1 and "does not match this backup's database" in err

    # Without the key: restored, the chain's links checked, and told to import the key.
    code, out, err = await run(
        "wbs-bot", "restore", str(archive), "-c", str(target), "--passphrase-file", str(phrase)
    )
    assert code == 0, err
    assert "links intact" in out and "key import" in out
    # --force moves what was there aside, never deletes it.
    code, out, err = await run(
        "wbs-bot",
        "restore",
        str(archive),
        "-c",
        str(target),
        "--force",
        "--passphrase-file",
        str(phrase),
    )
    assert code == 0, err
    aside = list((tmp_path / "new" / "data").glob("replaced-*"))
    assert len(aside) == 1 and (aside[0] / "wbs.sqlite3").exists()


async def test_key_import_refuses_a_different_key_and_a_mistyped_text(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    config = write_config(tmp_path, fake)
    Vault.open_or_create(tmp_path / "data" / "wbs.key")
    code, text, err = await run("wbs-bot", "key", "export", "-c", str(config))
    assert code == 0, err
    code, out, err = await run("wbs-bot", "key", "import", "-c", str(config), stdin=text.encode())
    assert code == 0 and "already holds this key" in out

    other = write_config(tmp_path / "other", fake)
    Vault.open_or_create(tmp_path / "other" / "data" / "wbs.key")
    code, out, err = await run("wbs-bot", "key", "import", "-c", str(other), stdin=text.encode())
    assert code == 1 and "holds a different key" in err

    mistyped = ("B" if text[0] != "B" else "C") + text[1:]
    fresh = write_config(tmp_path / "fresh", fake)
    code, out, err = await run(
        "wbs-bot", "key", "import", "-c", str(fresh), stdin=mistyped.encode()
    )
    assert (
        code == 1 and "mistyped" in err and not (tmp_path / "fresh" / "data" / "wbs.key").exists()
    )
    # Case, dashes and look-alikes are forgiven.
    forgiving = text.lower().replace(" ", "-").replace("o", "0")
    code, out, err = await run(
        "wbs-bot", "key", "import", "-c", str(fresh), stdin=forgiving.encode()
    )
    assert code == 0, err
    key = tmp_path / "fresh" / "data" / "wbs.key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert key.read_text() == (tmp_path / "data" / "wbs.key").read_text()


async def test_backup_says_what_is_missing(fake: FakeTelegram, tmp_path: Path) -> None:
    config = write_config(tmp_path, fake)
    code, _, err = await run("wbs-bot", "backup", "-c", str(config), "-o", str(tmp_path / "b"))
    assert code == 2 and "WBS_BACKUP_PASSPHRASE" in err
    code, _, err = await run(
        "wbs-bot",
        "backup",
        "-c",
        str(config),
        "-o",
        str(tmp_path / "b"),
        env={"WBS_BACKUP_PASSPHRASE": "short"},
    )
    assert code == 2 and "at least 12" in err
    code, _, err = await run(
        "wbs-bot",
        "backup",
        "-c",
        str(config),
        "-o",
        str(tmp_path / "b"),
        env={"WBS_BACKUP_PASSPHRASE": PASSPHRASE},
    )
    assert code == 1 and "no database there" in err and "Traceback" not in err
    code, _, err = await run("wbs-bot", "key", "export", "-c", str(config))
    assert code == 1 and "No key to export" in err
