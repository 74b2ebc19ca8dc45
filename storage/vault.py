"""Encryption at rest: what a copy of the database must not reveal goes through the vault.

One random 32-byte master key lives in `security.key_file` (mode 0600, made on first start).
From it, HKDF derives an AES-GCM key for sealing and an HMAC key for look-up hashes, so a chat
can be found by `lookup_hash(chat)` without its id ever being stored in clear.
"""

from __future__ import annotations

import base64
import hmac
import os
import secrets
from pathlib import Path
from typing import Any

import orjson
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.file_modes import private_folder

_NONCE = 12
_REMEMBERED_HASHES = 4096
_JSON_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


class KeyFileError(Exception):
    """The key file is missing, unreadable or malformed; its path is in the message."""


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


class Vault:
    def __init__(self, master_key: bytes) -> None:
        if len(master_key) != 32:
            raise KeyFileError("the key must be 32 bytes")
        self._aead = AESGCM(_derive(master_key, b"wbs-bot seal v1"))
        self._mac_key = _derive(master_key, b"wbs-bot lookup v1")
        self.audit_key = _derive(master_key, b"wbs-bot audit v1")
        # Stored in the database (table key_check): names a wrong key, reveals nothing of it.
        self.check_value = hmac.digest(
            _derive(master_key, b"wbs-bot key check v1"), b"wbs-bot key check", "sha256"
        )
        self._hashes: dict[str, bytes] = {}

    @classmethod
    def open_or_create(cls, path: Path) -> Vault:
        """Load the key file, or create it (0600, never overwritten) on first start."""
        private_folder(path.parent)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode() + "\n")
                # On disk before anything is sealed with it: a lost key loses every report.
                handle.flush()
                os.fsync(handle.fileno())
        try:
            raw = base64.urlsafe_b64decode(path.read_text().strip())
        except (OSError, ValueError) as exc:
            raise KeyFileError(f"{path}: cannot read the key ({exc})") from exc
        if len(raw) != 32:
            raise KeyFileError(f"{path}: not a wbs-bot key (expected 32 bytes, base64)")
        return cls(raw)

    def seal(self, data: bytes, context: str) -> bytes:
        """Encrypt; `context` (e.g. "report") binds the ciphertext to where it is stored."""
        nonce = secrets.token_bytes(_NONCE)
        return nonce + self._aead.encrypt(nonce, data, context.encode())

    def open(self, sealed: bytes, context: str) -> bytes:
        return self._aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], context.encode())

    def seal_json(self, value: Any, context: str) -> bytes:
        """UTF-8 JSON (orjson: a draft is sealed on every answer, and `json` was most of it).

        Like `json`, a datetime or dataclass value is refused (TypeError) rather than stored
        as something that reads back as a different type."""
        return self.seal(orjson.dumps(value, option=_JSON_OPTIONS), context)

    def open_json(self, sealed: bytes, context: str) -> Any:
        return orjson.loads(self.open(sealed, context))

    def lookup_hash(self, value: str) -> bytes:
        """A keyed hash: equal inputs match, yet the input cannot be guessed from a copy.

        Remembered for the chats at hand: one reply looks up its chat several times."""
        digest = self._hashes.get(value)
        if digest is None:
            if len(self._hashes) >= _REMEMBERED_HASHES:
                self._hashes.clear()
            digest = self._hashes[value] = hmac.digest(self._mac_key, value.encode(), "sha256")
        return digest
