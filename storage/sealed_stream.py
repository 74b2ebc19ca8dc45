"""A passphrase-encrypted byte stream, for backup archives: flat memory, no truncation unnoticed.

Layout: a header (magic, scrypt salt and cost), then chunks of at most 1 MiB, each
`length (4 bytes) || AES-256-GCM(chunk)`. The key comes from the passphrase through scrypt with
a fresh salt, so it is used for one archive only and the nonce can be the chunk's counter; the
last byte of the nonce marks the final chunk, so a cut-off archive is refused, not read short.
The header is the associated data of every chunk: it cannot be edited either.
"""

from __future__ import annotations

import io
import os
import secrets
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"WBS-BACKUP-1\n"
CHUNK = 1 << 20
_SALT = 16
_TAG = 16
_HEADER = struct.Struct(">16sBBB")  # salt, log2(n), r, p
_LENGTH = struct.Struct(">I")
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 15, 8, 1  # 32 MiB, a fraction of a second
MIN_PASSPHRASE = 12


class ArchiveError(Exception):
    """The archive cannot be read: not a backup, a wrong passphrase, or damaged (in the text)."""


def _key(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> AESGCM:
    if not 10 <= log2_n <= 20 or not 1 <= r <= 16 or not 1 <= p <= 4:
        raise ArchiveError("the archive's header is damaged (unusual key-derivation settings)")
    kdf = Scrypt(salt=salt, length=32, n=1 << log2_n, r=r, p=p)
    return AESGCM(kdf.derive(passphrase.encode()))


def _nonce(counter: int, final: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


class SealingWriter(io.RawIOBase):
    """A write-only file: what is written goes out encrypted, chunk by chunk, to `sink`."""

    def __init__(self, sink: BinaryIO, passphrase: str) -> None:
        super().__init__()
        salt = secrets.token_bytes(_SALT)
        self._header = MAGIC + _HEADER.pack(salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)
        self._aead = _key(passphrase, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)
        self._sink = sink
        self._buffer = bytearray()
        self._counter = 0
        self._finished = False
        sink.write(self._header)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        if self._finished:
            raise ValueError("the archive is already finished")
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), final=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, chunk: bytes, *, final: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._counter, final), chunk, self._header)
        self._sink.write(_LENGTH.pack(len(sealed)) + sealed)
        self._counter += 1

    def finish(self) -> None:
        """Write the final chunk (possibly empty): without it, a reader refuses the archive."""
        if not self._finished:
            self._emit(bytes(self._buffer), final=True)
            self._buffer.clear()
            self._finished = True


class OpeningReader(io.RawIOBase):
    """A read-only file over an archive made by `SealingWriter`, decrypted chunk by chunk."""

    def __init__(self, source: BinaryIO, passphrase: str) -> None:
        super().__init__()
        magic = source.read(len(MAGIC))
        if magic != MAGIC:
            raise ArchiveError("this file is not a wbs-bot backup archive")
        fields = source.read(_HEADER.size)
        if len(fields) != _HEADER.size:
            raise ArchiveError("the archive is cut off (no complete header)")
        salt, log2_n, r, p = _HEADER.unpack(fields)
        self._header = magic + fields
        self._aead = _key(passphrase, salt, log2_n, r, p)
        self._source = source
        self._counter = 0
        self._plain = b""
        self._offset = 0
        self._ended = False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> None:
        length_bytes = self._source.read(_LENGTH.size)
        if len(length_bytes) != _LENGTH.size:
            raise ArchiveError("the archive is cut off (its end is missing)")
        (length,) = _LENGTH.unpack(length_bytes)
        if not _TAG <= length <= CHUNK + _TAG:
            raise ArchiveError("the archive is damaged (a chunk has an impossible length)")
        sealed = self._source.read(length)
        if len(sealed) != length:
            raise ArchiveError("the archive is cut off (its end is missing)")
        for final in (False, True):
            try:
                self._plain = self._aead.decrypt(_nonce(self._counter, final), sealed, self._header)
            except InvalidTag:
                continue
            self._ended = final
            break
        else:
            if self._counter == 0:
                raise ArchiveError(
                    "the passphrase does not open this archive (or the archive is damaged)"
                )
            raise ArchiveError(f"the archive is damaged (chunk {self._counter + 1})")
        self._offset = 0
        self._counter += 1
        if self._ended and self._source.read(1):
            raise ArchiveError("the archive is damaged (data after its end)")

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        while self._offset >= len(self._plain):
            if self._ended:
                return 0
            self._next_chunk()
        count = min(len(target), len(self._plain) - self._offset)
        target[:count] = self._plain[self._offset : self._offset + count]
        self._offset += count
        return count


def read_passphrase(file: os.PathLike[str] | None, environment: str | None) -> str:
    """The passphrase from a file (its first line) or the environment; ArchiveError if none."""
    if file is not None:
        try:
            with open(file, encoding="utf-8") as handle:
                passphrase = handle.readline().rstrip("\r\n")
        except OSError as exc:
            raise ArchiveError(f"cannot read the passphrase file {file} ({exc.strerror})") from exc
    elif environment:
        passphrase = environment
    else:
        raise ArchiveError(
            "no passphrase: give --passphrase-file FILE or set WBS_BACKUP_PASSPHRASE"
        )
    if len(passphrase) < MIN_PASSPHRASE:
        raise ArchiveError(f"the passphrase is too short (at least {MIN_PASSPHRASE} characters)")
    return passphrase
