"""Restoring a backup archive into the paths a config names, checked before anything moves.

Everything is unpacked into a hidden folder inside the data folder (same file system, so the
final moves are renames), then: every file against the manifest's SHA-256 and size, no file
missing or extra, SQLite's integrity check, the schema version against this program, the
counts, and the audit chain (keyed, when the key file is already in place; its links only
otherwise). Only then do the files move into place. With `force`, what was there before is
moved aside into `replaced-<time>/` in the data folder, never deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tarfile
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storage.audit import first_break
from storage.backup import (
    BLOB_NAME,
    DATABASE_MEMBER,
    EVIDENCE_FOLDER,
    FORMAT,
    MANIFEST_MEMBER,
    BackupError,
    DataPaths,
    database_facts,
    fsync_folder,
    private_folder,
)
from storage.migrations import MIGRATIONS
from storage.recovery_key import key_opens_database, read_key_file
from storage.sealed_stream import ArchiveError, OpeningReader
from storage.vault import KeyFileError, Vault

_READ = 1 << 20
_IGNORED_IN_EMPTY = frozenset({"lost+found"})


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    audit: str  # how the audit chain was checked, as a sentence
    key_present: bool
    replaced: Path | None  # where the files there before went (with force)


def occupants(paths: DataPaths) -> list[Path]:
    """What makes the data folder not empty: anything but the key file."""
    if not paths.folder.is_dir():
        return []
    return sorted(
        p
        for p in paths.folder.iterdir()
        if p != paths.key_file and p.name not in _IGNORED_IN_EMPTY and not p.name.startswith(".")
    )


def _member_target(staging: Path, name: str) -> Path:
    if name in (DATABASE_MEMBER, MANIFEST_MEMBER):
        return staging / name
    folder, _, blob = name.partition("/")
    if folder == EVIDENCE_FOLDER and BLOB_NAME.match(blob):
        return staging / EVIDENCE_FOLDER / blob
    raise BackupError(f"the archive holds an unexpected entry ({name!r}): not restoring it")


def _unpack(archive: Path, passphrase: str, staging: Path) -> dict[str, tuple[str, int]]:
    """Stream the archive into `staging`; the SHA-256 and size of every file, by name."""
    seen: dict[str, tuple[str, int]] = {}
    (staging / EVIDENCE_FOLDER).mkdir(mode=0o700)
    try:
        with archive.open("rb") as source:
            reader = OpeningReader(source, passphrase)
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    if not member.isfile():
                        raise BackupError(f"the archive holds a non-file entry ({member.name!r})")
                    if member.name in seen:
                        raise BackupError(f"the archive holds {member.name!r} twice")
                    target = _member_target(staging, member.name)
                    content = tar.extractfile(member)
                    assert content is not None
                    digest, size = hashlib.sha256(), 0
                    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                    with os.fdopen(fd, "wb") as handle:
                        while block := content.read(_READ):
                            digest.update(block)
                            size += len(block)
                            handle.write(block)
                        handle.flush()
                        os.fsync(handle.fileno())
                    seen[member.name] = (digest.hexdigest(), size)
    except FileNotFoundError:
        raise BackupError(f"{archive}: no such file") from None
    except ArchiveError as exc:
        raise BackupError(f"{archive}: {exc}") from None
    except tarfile.TarError as exc:
        raise BackupError(f"{archive}: the archive's content is damaged ({exc})") from None
    return seen


def _check_files(manifest: dict[str, Any], seen: dict[str, tuple[str, int]]) -> None:
    promised = {entry["name"]: entry for entry in [manifest["database"], *manifest["files"]]}
    missing = sorted(set(promised) - set(seen))
    extra = sorted(set(seen) - set(promised) - {MANIFEST_MEMBER})
    if missing or extra:
        raise BackupError(
            f"the archive does not match its manifest (missing: {len(missing)}, "
            f"not listed: {len(extra)})"
        )
    for name, entry in promised.items():
        if seen[name] != (entry["sha256"], entry["size"]):
            raise BackupError(f"{name}: its SHA-256 does not match the manifest")


def _links_only(rows: Iterable[sqlite3.Row]) -> str | None:
    """Without the key: the numbering and the links from each entry to the one before."""
    previous, expected = "", 1
    for row in rows:
        if row["id"] != expected:
            return f"audit entry {expected}: missing (deleted), or the numbering was changed"
        if row["prev_hash"] != previous:
            return f"audit entry {row['id']}: does not follow the entry before it"
        previous, expected = row["hash"], expected + 1
    return None


def _check_database(
    database: Path, manifest: dict[str, Any], key: bytes | None, paths: DataPaths
) -> str:
    """Integrity, schema, counts and the audit chain; how the chain was checked."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        db.row_factory = sqlite3.Row
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(
                f"the database in the archive fails SQLite's integrity check ({check})"
            )
        facts = database_facts(db)
        if facts["schema_version"] > len(MIGRATIONS):
            raise BackupError(
                f"the backup was made by a newer wbs-bot (schema {facts['schema_version']}; "
                f"this program knows up to {len(MIGRATIONS)}): upgrade wbs-bot first"
            )
        for name in ("schema_version", "counts", "audit_head"):
            promised = manifest[name]
            if name == "counts":
                promised = {k: v for k, v in promised.items() if k != "evidence_files"}
            if facts[name] != promised:
                raise BackupError(f"the database does not match the manifest ({name})")
        rows = []
        if facts["audit_head"] is not None:
            rows = db.execute("SELECT * FROM audit ORDER BY id").fetchall()
    count = len(rows)
    if key is None:
        problem = _links_only(rows)
        if problem:
            raise BackupError(f"the audit chain is broken: {problem}")
        return (
            f"audit chain: {count} entries, links intact; the keyed hashes are checked once "
            f"the key is in place (wbs-officer audit verify)"
        )
    if key_opens_database(key, database) is False:
        raise BackupError(
            f"the key in {paths.key_file} does not match this backup's database: move that "
            "file aside, or import the key that belongs to this backup (wbs-bot key import)"
        )
    broken = first_break((dict(row) for row in rows), key=Vault(key).audit_key)
    if broken:
        raise BackupError(f"the audit chain is broken: {broken}")
    return f"audit chain: {count} entries, intact (checked with the key)"


def _read_manifest(staging: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((staging / MANIFEST_MEMBER).read_text())
    except FileNotFoundError:
        raise BackupError("the archive has no manifest: not a complete wbs-bot backup") from None
    except ValueError:
        raise BackupError("the archive's manifest is damaged") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}: upgrade wbs-bot")
    return manifest


def _move_aside(paths: DataPaths, now: datetime) -> Path | None:
    """With force: the database, its WAL files and the evidence go to `replaced-<time>/`."""
    present = occupants(paths)
    if not present:
        return None
    aside = paths.folder / f"replaced-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    aside.mkdir(mode=0o700)
    for path in present:
        if path.name.startswith("replaced-"):
            continue
        path.rename(aside / path.name)
    return aside


def restore_backup(
    archive: Path, paths: DataPaths, passphrase: str, *, force: bool, now: datetime
) -> RestoreResult:
    present = occupants(paths)
    if present and not force:
        names = ", ".join(p.name for p in present[:5])
        raise BackupError(
            f"{paths.folder} is not empty ({names}): restore into an empty data folder, or "
            "give --force to move what is there aside (into replaced-<time>/) first"
        )
    key: bytes | None = None
    if paths.key_file.exists():
        try:
            key = read_key_file(paths.key_file)
        except KeyFileError as exc:
            raise BackupError(str(exc)) from None
    paths.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with private_folder(paths.folder, ".restore-") as staging:
        seen = _unpack(archive, passphrase, staging)
        manifest = _read_manifest(staging)
        _check_files(manifest, seen)
        audit = _check_database(staging / DATABASE_MEMBER, manifest, key, paths)
        replaced = _move_aside(paths, now) if force else None
        (staging / DATABASE_MEMBER).rename(paths.database)
        (staging / EVIDENCE_FOLDER).rename(paths.evidence)
        fsync_folder(paths.folder)
    return RestoreResult(manifest, audit, key is not None, replaced)
