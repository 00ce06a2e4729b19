"""The Ed25519 key that signs the log's checkpoints, kept in a PEM file only its owner reads.

The file is made on first use: the key is written to a new file of mode 0600 (created so,
never readable by others even for a moment), flushed to disk, then linked into place under
its name, which fails if the name is taken. So the key file appears whole or not at all, and
of processes starting together exactly one key wins; the others read it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)

KEY_MODE = 0o600
MAX_KEY_FILE_BYTES = 64 * 1024  # an Ed25519 PEM is 119 bytes


class SigningKeyError(ValueError):
    """The signing key file cannot be used; the message says which file and why."""


def public_key_bytes(key: Ed25519PrivateKey) -> bytes:
    """The 32 raw bytes of the key's public half (RFC 8032)."""
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    """The key in `path` (an unencrypted PKCS#8 PEM), made there first if there is no file.
    Refused: a file group or others may read or write, or a key that is not Ed25519."""
    path = Path(path)
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    key = Ed25519PrivateKey.generate()
    try:
        created = _create(path, key)
    except OSError as e:
        raise SigningKeyError(f"cannot create the signing key {path}: {e.strerror}") from e
    return key if created else _read(path)  # if not, another process made it first


def _read(path: Path) -> Ed25519PrivateKey:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SigningKeyError(f"the signing key {path} is not a regular file")
        if os.name == "posix" and info.st_mode & 0o077:
            raise SigningKeyError(
                f"the signing key {path} has mode {stat.S_IMODE(info.st_mode):04o}: group and "
                f"others must have no access to it (chmod 600 {path})"
            )
        data = file.read(MAX_KEY_FILE_BYTES + 1)
    if len(data) > MAX_KEY_FILE_BYTES:
        raise SigningKeyError(f"the signing key {path} is too large to be a PEM private key")
    try:
        key = load_pem_private_key(data, password=None)
    except TypeError:
        raise SigningKeyError(
            f"the signing key {path} is encrypted; an unencrypted PKCS#8 PEM key is needed"
        ) from None
    except ValueError as e:
        raise SigningKeyError(f"the signing key {path} is not a PEM private key: {e}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(
            f"the signing key {path} is a {type(key).__name__.removesuffix('PrivateKey')} "
            "key; checkpoints are signed with Ed25519"
        )
    return key


def _create(path: Path, key: Ed25519PrivateKey) -> bool:
    """Put `key` at `path` if nothing is there; False if something already was."""
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.new")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(temporary, flags, KEY_MODE)
    try:
        try:
            with os.fdopen(fd, "wb") as file:
                if os.name == "posix":
                    os.fchmod(file.fileno(), KEY_MODE)  # exactly 0600, whatever the umask
                file.write(pem)
                file.flush()
                os.fsync(file.fileno())
            os.link(temporary, path)
        except FileExistsError:
            return False
        _sync_directory(path.parent)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _sync_directory(directory: Path) -> None:
    """Make the new name durable (POSIX only; elsewhere a no-op)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
