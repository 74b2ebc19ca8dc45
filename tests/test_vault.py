"""The vault: the key file on disk, sealing bound to a context, and keyed look-up hashes."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from storage.vault import KeyFileError, Vault


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    return tmp_path / "data" / "wbs.key"


def test_key_file_is_created_private_on_first_start(key_file: Path) -> None:
    assert not key_file.exists()
    Vault.open_or_create(key_file)
    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    raw = base64.urlsafe_b64decode(key_file.read_text().strip())
    assert len(raw) == 32


def test_key_file_is_private_even_with_a_permissive_umask(key_file: Path) -> None:
    old = os.umask(0)
    try:
        Vault.open_or_create(key_file)
    finally:
        os.umask(old)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_key_file_is_synced_to_disk_when_created(
    key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key must survive a power cut: everything sealed after start depends on it."""
    synced: list[int] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        synced.append(os.fstat(fd).st_ino)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)  # the vault module calls os.fsync
    Vault.open_or_create(key_file)
    assert key_file.stat().st_ino in synced


def test_key_file_is_reused_and_old_ciphertext_still_opens(key_file: Path) -> None:
    first = Vault.open_or_create(key_file)
    content = key_file.read_bytes()
    sealed = first.seal(b"Laporan rahasia", "report")
    sealed_json = first.seal_json({"nama": "Yohana"}, "identity")
    hashed = first.lookup_hash("telegram:987654321")

    again = Vault.open_or_create(key_file)
    assert key_file.read_bytes() == content, "an existing key file is never overwritten"
    assert again.open(sealed, "report") == b"Laporan rahasia"
    assert again.open_json(sealed_json, "identity") == {"nama": "Yohana"}
    assert again.lookup_hash("telegram:987654321") == hashed


def test_a_different_key_cannot_open_the_ciphertext(tmp_path: Path) -> None:
    one = Vault.open_or_create(tmp_path / "one.key")
    other = Vault.open_or_create(tmp_path / "other.key")
    assert (tmp_path / "one.key").read_bytes() != (tmp_path / "other.key").read_bytes()
    sealed = one.seal(b"secret", "report")
    with pytest.raises(InvalidTag):
        other.open(sealed, "report")
    assert one.lookup_hash("telegram:1") != other.lookup_hash("telegram:1")


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\n",
        b"not base64 at all!!!\n",
        base64.urlsafe_b64encode(b"x" * 16) + b"\n",  # valid base64, wrong length
        base64.urlsafe_b64encode(b"x" * 64) + b"\n",
        b"\xff\xfe\x00garbage",  # not even text
    ],
    ids=["empty", "blank-line", "garbage", "short-key", "long-key", "binary"],
)
def test_a_malformed_key_file_is_refused_naming_its_path(key_file: Path, content: bytes) -> None:
    key_file.parent.mkdir(parents=True)
    key_file.write_bytes(content)
    with pytest.raises(KeyFileError) as caught:
        Vault.open_or_create(key_file)
    assert str(key_file) in str(caught.value)
    assert key_file.read_bytes() == content, "a bad key file is left for the operator to fix"


def test_an_unreadable_key_file_is_refused_naming_its_path(key_file: Path) -> None:
    key_file.mkdir(parents=True)  # a directory where the key should be
    with pytest.raises(KeyFileError) as caught:
        Vault.open_or_create(key_file)
    assert str(key_file) in str(caught.value)


def test_a_key_of_the_wrong_size_is_refused() -> None:
    with pytest.raises(KeyFileError):
        Vault(b"short")


def test_seal_open_round_trip_and_fresh_nonces(key_file: Path) -> None:
    vault = Vault.open_or_create(key_file)
    data = "Kronologi: bendahara meminta Rp 5.000.000 — ñ ü 漢字".encode()
    one = vault.seal(data, "report")
    two = vault.seal(data, "report")
    assert one != two, "each seal uses a fresh nonce"
    assert data not in one
    assert vault.open(one, "report") == data
    assert vault.open(two, "report") == data
    value = {"kronologi": "Bendahara — ñ", "nilai": 5000000, "daftar": [1, None, True]}
    assert vault.open_json(vault.seal_json(value, "report"), "report") == value
    assert vault.open_json(vault.seal_json(None, "draft"), "draft") is None


def test_sealing_with_one_context_and_opening_with_another_fails(key_file: Path) -> None:
    vault = Vault.open_or_create(key_file)
    sealed = vault.seal(b"Yohana Sinaga", "identity")
    with pytest.raises(InvalidTag):
        vault.open(sealed, "report")
    with pytest.raises(InvalidTag):
        vault.open(sealed, "")
    sealed_json = vault.seal_json({"a": 1}, "draft")
    with pytest.raises(InvalidTag):
        vault.open_json(sealed_json, "payload")
    assert vault.open(sealed, "identity") == b"Yohana Sinaga"


@pytest.mark.parametrize("position", [0, 11, 12, -1], ids=["nonce", "nonce-end", "body", "tag"])
def test_tampered_ciphertext_fails(key_file: Path, position: int) -> None:
    vault = Vault.open_or_create(key_file)
    sealed = bytearray(vault.seal(b"the report text", "report"))
    sealed[position] ^= 0x01
    with pytest.raises(InvalidTag):
        vault.open(bytes(sealed), "report")


def test_lookup_hash_is_stable_and_differs_per_input(key_file: Path) -> None:
    vault = Vault.open_or_create(key_file)
    addresses = [
        "telegram:987654321",
        "telegram:987654322",
        "telegram:-1001234567890",
        "whatsapp:987654321",
        "telegram:98765432",
        "",
    ]
    hashes = [vault.lookup_hash(a) for a in addresses]
    assert hashes == [vault.lookup_hash(a) for a in addresses]
    assert len(set(hashes)) == len(addresses)
    for address, digest in zip(addresses, hashes, strict=True):
        assert len(digest) == 32
        if address:
            assert address.encode() not in digest
        assert digest != hashlib.sha256(address.encode()).digest(), "the hash is keyed"
