"""Evidence files, encrypted, one file each under the data folder; the database keeps the name."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from storage.vault import Vault


@dataclass(frozen=True)
class StoredBlob:
    name: str
    sha256: str  # of the plaintext, so an officer can check a copy against the report
    size: int


class BlobStore:
    def __init__(self, folder: Path, vault: Vault) -> None:
        self.folder = folder
        self._vault = vault

    def put(self, data: bytes) -> StoredBlob:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = secrets.token_hex(16)
        sealed = self._vault.seal(data, "blob:" + name)
        path = self.folder / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(sealed)
            handle.flush()
            os.fsync(handle.fileno())
        return StoredBlob(name, hashlib.sha256(data).hexdigest(), len(data))

    def get(self, name: str) -> bytes:
        return self._vault.open((self.folder / name).read_bytes(), "blob:" + name)

    def delete(self, name: str) -> None:
        (self.folder / name).unlink(missing_ok=True)
