"""The master key as a recovery text for paper, and back; and whether a key opens a database.

The text is the 32-byte key and a 3-byte SHA-256 checksum in base32 (A-Z, 2-7: no 0/1/8/9 to
mistake), 56 characters in groups of four. Reading it back forgives case, spaces, dashes and
the look-alikes 0/O, 1/I, 8/B; a mistyped character fails the checksum instead of making a
wrong key. The key file's own format (base64, one line, mode 0600) is the vault's.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import sqlite3
from contextlib import closing
from pathlib import Path

from cryptography.exceptions import InvalidTag

from storage.vault import KeyFileError, Vault

KEY_BYTES = 32
_CHECK_BYTES = 3
_GROUP = 4
_GROUPS_PER_LINE = 7
_LOOK_ALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


class RecoveryTextError(Exception):
    """The recovery text cannot be read back into a key; the message says why."""


def _checksum(key: bytes) -> bytes:
    return hashlib.sha256(b"wbs-bot recovery key v1" + key).digest()[:_CHECK_BYTES]


def recovery_text(key: bytes) -> str:
    """Two lines of seven groups, e.g. `ABCD EFGH …`."""
    letters = base64.b32encode(key + _checksum(key)).decode()
    groups = [letters[i : i + _GROUP] for i in range(0, len(letters), _GROUP)]
    lines = [groups[i : i + _GROUPS_PER_LINE] for i in range(0, len(groups), _GROUPS_PER_LINE)]
    return "\n".join(" ".join(line) for line in lines)


def key_from_recovery_text(text: str) -> bytes:
    letters = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_LOOK_ALIKES)
    expected = len(base64.b32encode(bytes(KEY_BYTES + _CHECK_BYTES)))
    if len(letters) != expected:
        raise RecoveryTextError(
            f"expected {expected} letters and digits (14 groups of four), got {len(letters)}"
        )
    try:
        raw = base64.b32decode(letters)
    except binascii.Error:
        raise RecoveryTextError("it holds characters that are not in a recovery text") from None
    key, check = raw[:KEY_BYTES], raw[KEY_BYTES:]
    if _checksum(key) != check:
        raise RecoveryTextError("the checksum does not match: a character is mistyped")
    return key


def read_key_file(path: Path) -> bytes:
    """The key in `path`; KeyFileError (naming the path) when missing or malformed."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise KeyFileError(f"{path}: no key file there") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"{path}: cannot read the key ({exc})") from None
    try:
        raw = base64.urlsafe_b64decode(text)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != KEY_BYTES:
        raise KeyFileError(f"{path}: not a wbs-bot key (expected 32 bytes, base64)")
    return raw


def write_key_file(path: Path, key: bytes) -> None:
    """A new key file, 0600 in a 0700 folder, on disk before returning; never overwrites."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.urlsafe_b64encode(key).decode() + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def key_opens_database(key: bytes, database: Path) -> bool | None:
    """Whether `key` opens what is sealed in `database`; None when it holds nothing to try.

    The key check value stored on first open decides; a database from before it, its first
    audit entry's sealed detail (every database with a report has one).
    """
    if not database.exists():
        return None
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            try:
                check = db.execute("SELECT value FROM key_check WHERE id = 1").fetchone()
            except sqlite3.OperationalError:  # a schema from before the check value
                check = None
            if check is not None:
                return bytes(check[0]) == Vault(key).check_value
            row = db.execute("SELECT detail FROM audit ORDER BY id LIMIT 1").fetchone()
    except sqlite3.OperationalError:  # no audit table yet
        return None
    if row is None:
        return None
    try:
        Vault(key).open(bytes(row[0]), "audit")
    except InvalidTag:
        return False
    return True


def _holds_reports(database: Path) -> bool:
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            return db.execute("SELECT 1 FROM reports LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:  # no reports table yet
        return False


def key_problem(database: Path, key_file: Path) -> str | None:
    """Why this key cannot serve this database, in a sentence naming `security.key_file`;
    None when it can (or when there is nothing yet to tell). Creates nothing."""
    if not database.exists():
        return None
    if not key_file.exists():
        if not _holds_reports(database):
            return None  # a new key is made on first start
        return (
            f"security.key_file: {key_file} is missing, but {database} already holds reports "
            "sealed with a key. Restore the key file from your backup (or wbs-bot key import): "
            "without it those reports cannot be read. (A new key is made only for a database "
            "without reports.)"
        )
    try:
        key = read_key_file(key_file)
    except KeyFileError as exc:
        return f"security.key_file: {exc}"
    if key_opens_database(key, database) is False:
        return (
            f"security.key_file: the key does not match this database ({key_file} cannot "
            f"open what is sealed in {database}). Put back the key that belongs to it; "
            "nothing was changed."
        )
    return None
