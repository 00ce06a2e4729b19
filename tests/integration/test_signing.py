"""The checkpoint signing key: made on first use, readable by its owner only, the same key
ever after, one key however many processes start together."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
)

from cogov.application import notes
from cogov.infrastructure import signing
from cogov.infrastructure.signing import SigningKeyError, load_signing_key, public_key_bytes

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def write_key(path: Path, pem: bytes, file_mode: int = 0o600) -> None:
    path.write_bytes(pem)
    path.chmod(file_mode)


def test_first_use_makes_an_owner_only_pkcs8_key(tmp_path: Path) -> None:
    path = tmp_path / "signing.key"
    key = load_signing_key(path)
    assert isinstance(key, Ed25519PrivateKey)
    assert mode(path) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    assert [p.name for p in tmp_path.iterdir()] == ["signing.key"]  # no temporary left


def test_the_mode_is_0600_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        load_signing_key(tmp_path / "signing.key")
    finally:
        os.umask(old)
    assert mode(tmp_path / "signing.key") == 0o600


def test_the_same_key_on_every_later_load(tmp_path: Path) -> None:
    path = tmp_path / "signing.key"
    first = load_signing_key(path)
    content = path.read_bytes()
    second = load_signing_key(path)
    assert public_key_bytes(second) == public_key_bytes(first)
    assert path.read_bytes() == content
    # and it signs what the other verifies
    note = notes.sign("text\n", "example.com/log", first)
    verifier = notes.parse_verifier_key(
        notes.verifier_key("example.com/log", public_key_bytes(second))
    )
    assert notes.open_note(note, verifier) == "text\n"


def test_an_existing_key_is_read(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    path = tmp_path / "signing.key"
    write_key(path, key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    assert public_key_bytes(load_signing_key(path)) == public_key_bytes(key)


def test_public_key_bytes_are_the_raw_32() -> None:
    key = Ed25519PrivateKey.generate()
    raw = public_key_bytes(key)
    assert len(raw) == 32
    assert raw == key.public_key().public_bytes_raw()


@pytest.mark.parametrize("file_mode", [0o640, 0o644, 0o604, 0o620, 0o660, 0o601])
def test_a_key_others_can_reach_is_refused(tmp_path: Path, file_mode: int) -> None:
    path = tmp_path / "signing.key"
    load_signing_key(path)
    path.chmod(file_mode)
    with pytest.raises(SigningKeyError, match=f"mode 0{file_mode:o}.*chmod 600"):
        load_signing_key(path)


def test_a_key_that_is_not_ed25519_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "signing.key"
    ec = generate_private_key(SECP256R1())
    write_key(path, ec.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    with pytest.raises(SigningKeyError, match="Ed25519"):
        load_signing_key(path)


def test_an_encrypted_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "signing.key"
    pem = Ed25519PrivateKey.generate().private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(b"secret")
    )
    write_key(path, pem)
    with pytest.raises(SigningKeyError, match="encrypted"):
        load_signing_key(path)


@pytest.mark.parametrize("content", [b"", b"not a key\n", b"-----BEGIN PRIVATE KEY-----\n"])
def test_a_file_that_is_not_a_key_is_refused_and_left_alone(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "signing.key"
    write_key(path, content)
    with pytest.raises(SigningKeyError, match="not a PEM private key"):
        load_signing_key(path)
    assert path.read_bytes() == content


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises((SigningKeyError, IsADirectoryError)):
        load_signing_key(tmp_path)


def test_a_missing_directory_is_named(tmp_path: Path) -> None:
    path = tmp_path / "absent" / "signing.key"
    with pytest.raises(SigningKeyError, match="cannot create the signing key"):
        load_signing_key(path)


def race(path: Path, count: int) -> list[bytes]:
    """The public keys `count` threads loading `path` at the same moment got."""
    start = threading.Barrier(count)
    keys: list[bytes] = []
    errors: list[BaseException] = []

    def load() -> None:
        start.wait()
        try:
            keys.append(public_key_bytes(load_signing_key(path)))
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=load) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return keys


def test_racing_threads_get_one_key(tmp_path: Path) -> None:
    for attempt in range(20):
        path = tmp_path / f"signing-{attempt}.key"
        keys = race(path, 8)
        assert len(keys) == 8
        assert len(set(keys)) == 1
        assert public_key_bytes(load_signing_key(path)) == keys[0]
        assert mode(path) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"signing-{attempt}.key" for attempt in range(20)
    )  # no temporaries left


def test_the_loser_of_a_race_reads_the_winners_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key file appears after the first look but before ours is linked into place."""
    path = tmp_path / "signing.key"
    winner = load_signing_key(path)
    content = path.read_bytes()
    real_read = signing._read
    looks: list[Path] = []

    def read(p: Path) -> Ed25519PrivateKey:
        looks.append(p)
        if len(looks) == 1:
            raise FileNotFoundError(p)
        return real_read(p)

    monkeypatch.setattr(signing, "_read", read)
    assert public_key_bytes(load_signing_key(path)) == public_key_bytes(winner)
    assert len(looks) == 2
    assert path.read_bytes() == content
    assert [p.name for p in tmp_path.iterdir()] == ["signing.key"]
