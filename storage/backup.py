"""Backups of a live bot, and restoring one: the database, the evidence files, a manifest.

The database is copied with SQLite's online backup API in one step: a consistent snapshot
taken inside one read transaction, while the bot keeps writing (WAL readers never block the
writer). A file copy of a live WAL database can miss committed pages or mix two moments.
Evidence files are written before the row that names them, so every file the snapshot names
is already on disk when the folder is read after it. Everything goes into one tar stream,
encrypted on the way out (storage/sealed_stream.py); the key file never goes in.

Restoring stages everything in a hidden folder inside the data folder, checks every hash,
the database's integrity and the audit chain, and only then moves the files into place.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import secrets
import shutil
import sqlite3
import tarfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

from storage.sealed_stream import SealingWriter

FORMAT = 1
DATABASE_MEMBER = "database.sqlite3"
MANIFEST_MEMBER = "manifest.json"
EVIDENCE_FOLDER = "evidence"
LAST_BACKUP_FILE = "last-backup.json"
ARCHIVE_SUFFIX = ".wbsbak"
BLOB_NAME = re.compile(r"^[0-9a-f]{32}$")
_READ = 1 << 20
BUSY_TIMEOUT_S = 30.0


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class DataPaths:
    """Where the bot keeps its files, as the config names them."""

    database: Path
    key_file: Path

    @property
    def folder(self) -> Path:
        return self.database.parent

    @property
    def evidence(self) -> Path:
        return self.folder / EVIDENCE_FOLDER


def program_version() -> str:
    try:
        return metadata.version("wbs-bot")
    except metadata.PackageNotFoundError:
        return "unknown"


def sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while block := handle.read(_READ):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def _count(db: sqlite3.Connection, sql: str) -> int:
    try:
        row = db.execute(sql).fetchone()
    except sqlite3.OperationalError:  # a table that does not exist yet
        return 0
    return int(row[0]) if row else 0


def database_facts(db: sqlite3.Connection) -> dict[str, Any]:
    """Schema version, counts and the audit chain's head: what a manifest promises."""
    head = None
    try:
        row = db.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        head = {"id": int(row[0]), "hash": str(row[1])} if row else None
    except sqlite3.OperationalError:
        pass
    return {
        "schema_version": int(db.execute("PRAGMA user_version").fetchone()[0]),
        "counts": {
            "reports": _count(db, "SELECT count(*) FROM reports"),
            "evidence_items": _count(db, "SELECT count(*) FROM evidence"),
            "audit_entries": _count(db, "SELECT count(*) FROM audit"),
            "outbox_undelivered": _count(
                db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
            ),
        },
        "audit_head": head,
    }


def _refuse_root_on_service_files(database: Path) -> None:
    """Run as root, SQLite would leave root-owned -wal/-shm files the service cannot open."""
    if os.geteuid() == 0 and database.stat().st_uid != 0:
        raise BackupError(
            f"{database} belongs to another user: run this as that user "
            "(e.g. sudo -u wbs-bot ...), so that no file in the data folder ends up owned by root"
        )


def snapshot_database(database: Path, target: Path) -> dict[str, Any]:
    """A consistent copy of a live database in `target` (one file, no WAL); its facts."""
    if not database.is_file():
        raise BackupError(f"{database}: no database there (storage.database in the config)")
    _refuse_root_on_service_files(database)
    with (
        closing(sqlite3.connect(database, timeout=BUSY_TIMEOUT_S)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)  # pages=-1: the whole database inside one read transaction
        copy.execute("PRAGMA journal_mode = DELETE")
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"{database} fails SQLite's integrity check ({check})")
        return database_facts(copy)


class _HashingReader:
    """Reads a file for tarfile and hashes what passed, so each file is read once."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    with path.open("rb") as handle:
        info = tarfile.TarInfo(name)
        info.size = os.fstat(handle.fileno()).st_size
        info.mode = 0o600
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {"name": name, "sha256": reader.digest.hexdigest(), "size": info.size}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


@contextmanager
def private_folder(parent: Path, prefix: str) -> Iterator[Path]:
    folder = parent / f"{prefix}{secrets.token_hex(6)}"
    folder.mkdir(mode=0o700)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def archive_name(now: datetime) -> str:
    return f"wbs-backup-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}{ARCHIVE_SUFFIX}"


def make_backup(
    paths: DataPaths, output: Path, passphrase: str, now: datetime
) -> tuple[Path, dict[str, Any]]:
    """Write the encrypted archive (a new file, 0600) and return its path and manifest.

    `output` may be a folder: the archive is then named after the time (archive_name)."""
    if output.is_dir():
        output = output / archive_name(now)
    if output.exists():
        raise BackupError(f"{output} exists already: give a new file name or a folder")
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent}: no such folder for the archive")
    partial = output.with_name(output.name + ".partial")
    with private_folder(output.parent, ".wbs-backup-") as work:
        snapshot = work / DATABASE_MEMBER
        facts = snapshot_database(paths.database, snapshot)
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise BackupError(
                f"{partial} exists: another backup is running, or remove it"
            ) from None
        try:
            with os.fdopen(fd, "wb") as sink:
                writer = SealingWriter(sink, passphrase)
                with tarfile.open(fileobj=writer, mode="w|") as tar:
                    database = _add_file(tar, snapshot, DATABASE_MEMBER)
                    files = [
                        _add_file(tar, blob, f"{EVIDENCE_FOLDER}/{blob.name}")
                        for blob in _evidence_files(paths.evidence)
                    ]
                    manifest = {
                        "format": FORMAT,
                        "created_at": now.astimezone(UTC).isoformat(timespec="seconds"),
                        "program_version": program_version(),
                        **facts,
                        "database": database,
                        "files": files,
                    }
                    manifest["counts"]["evidence_files"] = len(files)
                    _add_bytes(tar, MANIFEST_MEMBER, json.dumps(manifest, indent=1).encode())
                writer.finish()
                sink.flush()
                os.fsync(sink.fileno())
            os.replace(partial, output)
            fsync_folder(output.parent)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    _remember_backup(paths, output, manifest)
    return output, manifest


def _evidence_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and BLOB_NAME.match(p.name))


def _remember_backup(paths: DataPaths, output: Path, manifest: dict[str, Any]) -> None:
    """`last-backup.json` in the data folder, for `wbs-bot status`. Best effort."""
    record = {
        "at": manifest["created_at"],
        "archive": str(output),
        "size": output.stat().st_size,
        "counts": manifest["counts"],
    }
    target = paths.folder / LAST_BACKUP_FILE
    temporary = target.with_name(f".{LAST_BACKUP_FILE}.{secrets.token_hex(4)}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(record, handle)
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)


def last_backup(paths: DataPaths) -> dict[str, Any] | None:
    try:
        record: dict[str, Any] = json.loads((paths.folder / LAST_BACKUP_FILE).read_text())
    except (OSError, ValueError):
        return None
    return record


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives named by `archive_name` in `folder`."""
    archives = sorted(folder.glob(f"wbs-backup-*{ARCHIVE_SUFFIX}"))
    doomed = archives[:-keep] if keep > 0 else []
    for archive in doomed:
        archive.unlink(missing_ok=True)
    return doomed
