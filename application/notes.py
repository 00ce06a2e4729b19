"""Signed notes and checkpoints in the C2SP formats: c2sp.org/signed-note and
c2sp.org/tlog-checkpoint.

The log publishes its tree heads as checkpoints signed with Ed25519, byte for byte as other
transparency logs do, so that anyone can check them with tools nobody here wrote (Go's
golang.org/x/mod/sumdb/note among them):

    example.com/log42                                       the origin
    20852163                                                the tree size
    CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=            the root, base64
                                                            a blank line
    — example.com/log42 Az3grlgtzPICa5OS8npVmf1M...         one line per signature

A signature line is an em dash (U+2014), a space, the key's name, a space and the base64 of
the 4-byte key id followed by the 64-byte signature of the text above the blank line. The key
id is the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key); a verifier key is
written `name+<key id, hex>+<base64 of 0x01 || public key>`. A note may carry signatures by
other keys (witnesses, a rotated key): those are ignored, as the spec requires.

Pure: no I/O; the signing key is kept by the infrastructure.
"""

from __future__ import annotations

import base64
import hashlib
import re

import attrs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

ED25519 = 0x01  # the signed-note signature type of Ed25519
PUBLIC_KEY_SIZE = 32
SIGNATURE_SIZE = 64
KEY_ID_SIZE = 4
ROOT_SIZE = 32  # an RFC 6962 tree hash (SHA-256)
MAX_SIGNATURES = 100  # the spec asks verifiers to accept at least 16; Go's reader stops at 100
MAX_TREE_SIZE = 2**64 - 1
SIGNATURE_PREFIX = "\N{EM DASH} "

# Unicode's White_Space property (the spaces Go's unicode.IsSpace knows): none may be in a
# key name.
_WHITE_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_KEY_ID_HEX = re.compile(r"[0-9a-f]{8}")


class BadNote(ValueError):
    """A note that is malformed, or not signed by the expected key."""


@attrs.frozen
class Verifier:
    """A key that checks notes: its name, its 4-byte key id and its Ed25519 public key."""

    name: str
    key_id: bytes
    public_key: bytes

    def __attrs_post_init__(self) -> None:
        if self.key_id != key_id(self.name, self.public_key):
            raise ValueError(f"{self.key_id!r} is not the key id of {self.name}'s key")

    def text(self) -> str:
        """The verifier key, as `parse_verifier_key` reads it."""
        return verifier_key(self.name, self.public_key)

    def label(self) -> str:
        """`name+<key id, hex>`, as Go names a key in its errors."""
        return f"{self.name}+{self.key_id.hex()}"


def _check_text(line: str, what: str) -> None:
    """A line of a note: valid UTF-8, no control characters (newline included)."""
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{what} is not valid Unicode text: {line!r}") from None
    bad = next((c for c in line if c < " "), None)
    if bad is not None:
        raise ValueError(f"{what} contains the control character {bad!r}: {line!r}")


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name:
        raise ValueError("a key name must be non-empty text")
    _check_text(name, "the key name")
    if any(c in _WHITE_SPACE for c in name):
        raise ValueError(f"a key name must not contain spaces: {name!r}")
    if "+" in name:
        raise ValueError(f"a key name must not contain '+': {name!r}")


def _check_public_key(public_key: bytes) -> None:
    if not isinstance(public_key, bytes) or len(public_key) != PUBLIC_KEY_SIZE:
        raise ValueError(f"an Ed25519 public key is {PUBLIC_KEY_SIZE} bytes")


def _b64decode(text: str) -> bytes | None:
    """Standard base64 with its padding, as Go's base64.StdEncoding reads it; None if not."""
    if not _BASE64.fullmatch(text):
        return None
    return base64.b64decode(text)


def _b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte id of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || public key)[:4]."""
    _check_name(name)
    _check_public_key(public_key)
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([ED25519]) + public_key)
    return digest.digest()[:KEY_ID_SIZE]


def verifier_key(name: str, public_key: bytes) -> str:
    """The verifier key text: `name+<key id, 8 lowercase hex digits>+<base64(0x01 || key)>`."""
    kid = key_id(name, public_key)
    return f"{name}+{kid.hex()}+{_b64encode(bytes([ED25519]) + public_key)}"


def parse_verifier_key(text: str) -> Verifier:
    """The key a verifier key text names; ValueError unless it is exactly such a text for an
    Ed25519 key, its key id the one its name and key give."""
    if not isinstance(text, str):
        raise ValueError("a verifier key is text")
    # The base64 may itself contain '+': only the first two separate the parts.
    parts = text.split("+", 2)
    if len(parts) != 3:
        raise ValueError(f"a verifier key is name+keyid+key, not {text!r}")
    name, hex_id, encoded = parts
    _check_name(name)
    if not _KEY_ID_HEX.fullmatch(hex_id):
        raise ValueError(f"a verifier key's id is 8 lowercase hex digits, not {hex_id!r}")
    raw = _b64decode(encoded)
    if raw is None or _b64encode(raw) != encoded:
        raise ValueError(f"a verifier key's key is standard base64, not {encoded!r}")
    if not raw:
        raise ValueError("the verifier key has no key")
    if raw[0] != ED25519:
        raise ValueError(
            f"the verifier key is of signature type {raw[0]:#04x}; only Ed25519 (0x01) is known"
        )
    public_key = raw[1:]
    if len(public_key) != PUBLIC_KEY_SIZE:
        raise ValueError(
            f"the verifier key's Ed25519 key is {len(public_key)} bytes, not {PUBLIC_KEY_SIZE}"
        )
    kid = key_id(name, public_key)
    if kid.hex() != hex_id:
        raise ValueError(
            f"the verifier key's id {hex_id} is not that of its name and key ({kid.hex()})"
        )
    return Verifier(name=name, key_id=kid, public_key=public_key)


def _check_note_text(text: str, what: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadNote(f"{what} is not valid UTF-8") from None
    for offset, c in enumerate(text):
        if c < " " and c != "\n":
            raise BadNote(
                f"{what} contains the control character {c!r} at offset {offset} "
                "(only newline is allowed)"
            )


def sign(body: str, name: str, private_key: Ed25519PrivateKey) -> str:
    """The signed note: `body`, a blank line, and the signature line by `name`'s key."""
    if not isinstance(body, str) or not body.endswith("\n"):
        raise BadNote("a note's text must end in a newline")
    _check_note_text(body, "the note's text")
    _check_name(name)
    public_key = private_key.public_key().public_bytes_raw()
    signature = private_key.sign(body.encode("utf-8"))
    line = f"{SIGNATURE_PREFIX}{name} {_b64encode(key_id(name, public_key) + signature)}\n"
    return f"{body}\n{line}"


def open_note(note: str, verifier: Verifier) -> str:
    """The text of `note` if a signature by `verifier`'s key (its name and key id) is on it
    and every such signature verifies; signatures by other keys are ignored. BadNote if the
    note is malformed, carries no signature by this key, or one by this key does not verify."""
    if not isinstance(note, str):
        raise BadNote("a note is text")
    _check_note_text(note, "the note")
    split = note.rfind("\n\n")
    if split < 0:
        raise BadNote("the note has no blank line before its signatures")
    text, signatures = note[: split + 1], note[split + 2 :]
    if not signatures:
        raise BadNote("the note has no signatures after its blank line")
    if not signatures.endswith("\n"):
        raise BadNote("the note does not end in a newline")
    lines = signatures[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise BadNote(f"the note has {len(lines)} signatures, more than {MAX_SIGNATURES}")
    message = text.encode("utf-8")
    public_key = Ed25519PublicKey.from_public_bytes(verifier.public_key)
    verified = False
    for number, line in enumerate(lines, start=1):
        if not line.startswith(SIGNATURE_PREFIX):
            raise BadNote(f"signature line {number} does not start with an em dash and a space")
        name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
        try:
            _check_name(name)
        except ValueError as e:
            raise BadNote(f"signature line {number}: {e}") from None
        raw = _b64decode(encoded) if encoded else None
        if raw is None or len(raw) <= KEY_ID_SIZE:
            raise BadNote(f"signature line {number} does not hold a base64 key id and signature")
        if name != verifier.name or raw[:KEY_ID_SIZE] != verifier.key_id:
            continue  # another key's: not ours to judge
        try:
            public_key.verify(raw[KEY_ID_SIZE:], message)
        except InvalidSignature:
            raise BadNote(f"the signature by {verifier.label()} does not verify") from None
        verified = True
    if not verified:
        raise BadNote(f"the note carries no signature by {verifier.label()}")
    return text


def _valid_origin(_: object, __: attrs.Attribute[str], origin: str) -> None:
    if not isinstance(origin, str) or not origin:
        raise ValueError("a checkpoint's origin must be non-empty text")
    _check_text(origin, "a checkpoint's origin")


def _valid_size(_: object, __: attrs.Attribute[int], size: int) -> None:
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= MAX_TREE_SIZE:
        raise ValueError(f"a checkpoint's tree size is an integer from 0 to 2**64-1, not {size!r}")


def _valid_root(_: object, __: attrs.Attribute[bytes], root: bytes) -> None:
    if not isinstance(root, bytes) or len(root) != ROOT_SIZE:
        raise ValueError(f"a checkpoint's root hash is {ROOT_SIZE} bytes")


def _valid_extensions(_: object, __: attrs.Attribute[tuple[str, ...]], lines: object) -> None:
    if not isinstance(lines, tuple):
        raise ValueError("a checkpoint's extension lines are a tuple of text")
    for line in lines:
        if not isinstance(line, str) or not line:
            raise ValueError("a checkpoint's extension lines must be non-empty text")
        _check_text(line, "a checkpoint's extension line")


@attrs.frozen
class Checkpoint:
    """A tree head as c2sp.org/tlog-checkpoint writes it: origin, size, root (and any opaque
    extension lines, which this log does not write)."""

    origin: str = attrs.field(validator=_valid_origin)
    size: int = attrs.field(validator=_valid_size)
    root: bytes = attrs.field(validator=_valid_root)
    extensions: tuple[str, ...] = attrs.field(default=(), validator=_valid_extensions)

    def body(self) -> str:
        """The note text: `<origin>\\n<size>\\n<base64 root>\\n`, then any extension lines."""
        lines = [self.origin, str(self.size), _b64encode(self.root), *self.extensions]
        return "".join(f"{line}\n" for line in lines)


def parse_checkpoint(body: str) -> Checkpoint:
    """The checkpoint a note text holds; ValueError unless it is exactly one: non-empty lines
    ending in newline, the origin, the size in decimal without leading zeros, the canonical
    base64 of a 32-byte root, then any extension lines."""
    if not isinstance(body, str):
        raise ValueError("a checkpoint is text")
    if not body.endswith("\n"):
        raise ValueError("a checkpoint must end in a newline")
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise ValueError(
            f"a checkpoint has at least 3 lines (origin, size, root), not {len(lines)}"
        )
    origin, size, root, *extensions = lines
    if not origin:
        raise ValueError("a checkpoint's origin line is empty")
    if not _DECIMAL.fullmatch(size):
        raise ValueError(
            f"a checkpoint's size is decimal digits without leading zeros, not {size!r}"
        )
    if len(size) > len(str(MAX_TREE_SIZE)) or int(size) > MAX_TREE_SIZE:
        raise ValueError(f"a checkpoint's size is at most 2**64-1, not {size}")
    decoded = _b64decode(root)
    if decoded is None or _b64encode(decoded) != root:
        raise ValueError(f"a checkpoint's root is standard base64, not {root!r}")
    if len(decoded) != ROOT_SIZE:
        raise ValueError(f"a checkpoint's root is {ROOT_SIZE} bytes, not {len(decoded)}")
    for number, line in enumerate(extensions, start=4):
        if not line:
            raise ValueError(f"line {number} of the checkpoint is empty")
    return Checkpoint(origin, int(size), decoded, tuple(extensions))
