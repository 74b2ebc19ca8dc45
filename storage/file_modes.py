"""The data folder is its user's alone: the folder 0700, every file in it 0600.

SQLite gives its -wal and -shm files the database file's own mode, so the database is created
0600 before SQLite opens it. Files and folders made by an older version (0644 in 0755) are
tightened on the next start.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(folder: Path) -> None:
    """Create `folder` (and its parents) if missing; make it 0700 if it lets others in."""
    folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    _tighten(folder, FOLDER_MODE)


def _tighten(path: Path, mode: int) -> None:
    try:
        current = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if current & 0o077 and path.stat().st_uid == os.geteuid():
        path.chmod(mode)


def private_database(database: Path) -> None:
    """The data folder 0700; the database file (new: empty) and its WAL files 0600."""
    private_folder(database.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    for suffix in ("", "-wal", "-shm", "-journal"):
        _tighten(database.with_name(database.name + suffix), FILE_MODE)
    _tighten(database.parent / "evidence", FOLDER_MODE)
