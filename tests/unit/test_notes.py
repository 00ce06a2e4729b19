"""Signed notes and checkpoints read and written byte for byte as the C2SP specs and Go's
golang.org/x/mod/sumdb/note do: their published vectors verify here and are reproduced."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from cogov.application import notes
from cogov.application.notes import BadNote, Checkpoint, Verifier

# golang.org/x/mod/sumdb/note, note_test.go
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
PETER_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG = (
    "— PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = (
    "— EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
)
PETER_NOTE = PETER_TEXT + "\n" + PETER_SIG

# golang.org/x/mod/sumdb, client_test.go: a signed tree head in the checkpoint layout
SUMDB_NAME = "localhost.localdev/sumdb"
SUMDB_SKEY = (
    "PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXHDfDGxSPk"
)
SUMDB_VKEY = "localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6"
SUMDB_TREE = "go.sum database tree\n6\nwc4SkQt52o5W2nQ8To2ARs+mWuUJjss+sdleoiqxMmM=\n"
SUMDB_NOTE = (
    SUMDB_TREE + "\n— localhost.localdev/sumdb "
    "AAAMZ6oRNswlEZ6ZZhxrCvgl1MBy+nusq4JU+TG6Fe2NihWLqOzb+y2c2kzRLoCr4tvw9o36ucQEnhc20e4nA4Qc/wc=\n"
)

# c2sp.org/signed-note, its example
C2SP_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
C2SP_NOTE = (
    "This is an example message.\n\n— example.com/foo "
    "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)

ROOT = hashlib.sha256(b"a root").digest()
B64_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
B64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def go_signer_key(skey: str) -> tuple[str, Ed25519PrivateKey]:
    """The name and key of a Go `PRIVATE+KEY+name+hash+base64(0x01 || seed)` signer key."""
    private, key, name, _, encoded = skey.split("+", 4)
    assert (private, key) == ("PRIVATE", "KEY")
    raw = base64.b64decode(encoded)
    assert raw[0] == 0x01
    return name, Ed25519PrivateKey.from_private_bytes(raw[1:])


def public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes_raw()


# -- published vectors ---------------------------------------------------------------------


def test_go_vectors_verify() -> None:
    peter = notes.parse_verifier_key(PETER_VKEY)
    assert peter.name == "PeterNeumann"
    assert peter.key_id == bytes.fromhex("c74f20a3")
    assert notes.open_note(PETER_NOTE, peter) == PETER_TEXT
    enoch = notes.parse_verifier_key(ENOCH_VKEY)
    both = PETER_TEXT + "\n" + PETER_SIG + ENOCH_SIG
    assert notes.open_note(both, peter) == PETER_TEXT
    assert notes.open_note(both, enoch) == PETER_TEXT


def test_go_signer_reproduces_the_verifier_key_and_the_note_exactly() -> None:
    name, key = go_signer_key(PETER_SKEY)
    assert notes.verifier_key(name, public(key)) == PETER_VKEY
    assert notes.key_id(name, public(key)).hex() == "c74f20a3"
    assert notes.sign(PETER_TEXT, name, key) == PETER_NOTE


def test_go_sumdb_tree_note_is_reproduced_and_parses_as_a_checkpoint() -> None:
    name, key = go_signer_key(SUMDB_SKEY)
    assert name == SUMDB_NAME
    assert notes.verifier_key(name, public(key)) == SUMDB_VKEY
    assert notes.sign(SUMDB_TREE, name, key) == SUMDB_NOTE
    body = notes.open_note(SUMDB_NOTE, notes.parse_verifier_key(SUMDB_VKEY))
    tree = notes.parse_checkpoint(body)
    assert (tree.origin, tree.size) == ("go.sum database tree", 6)
    assert tree.body() == SUMDB_TREE


def test_c2sp_example_verifies() -> None:
    verifier = notes.parse_verifier_key(C2SP_VKEY)
    assert notes.open_note(C2SP_NOTE, verifier) == "This is an example message.\n"


def test_go_tlog_tree_vector_parses() -> None:
    """golang.org/x/mod/sumdb/tlog: the tree of 123456789012 leaves whose root is the leaf
    hash of "hello world"."""
    body = "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n"
    tree = notes.parse_checkpoint(body)
    assert tree.size == 123456789012
    assert tree.root == hashlib.sha256(b"\x00hello world").digest()
    assert tree.body() == body


def test_c2sp_checkpoint_example_parses() -> None:
    body = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    checkpoint = notes.parse_checkpoint(body)
    assert checkpoint.origin == "example.com/behind-the-sofa"
    assert checkpoint.size == 20852163
    assert checkpoint.body() == body


# -- key ids and verifier keys -------------------------------------------------------------


def test_key_id_is_the_head_of_the_specified_hash() -> None:
    key = public(Ed25519PrivateKey.generate())
    expected = hashlib.sha256(b"example.com/log\n\x01" + key).digest()[:4]
    assert notes.key_id("example.com/log", key) == expected
    assert notes.key_id("example.com/log2", key) != expected


def test_key_id_uses_the_name_in_utf8() -> None:
    key = public(Ed25519PrivateKey.generate())
    expected = hashlib.sha256("café.example/log".encode() + b"\n\x01" + key).digest()[:4]
    assert notes.key_id("café.example/log", key) == expected


def test_verifier_key_layout() -> None:
    key = public(Ed25519PrivateKey.generate())
    text = notes.verifier_key("example.com/log", key)
    name, hex_id, encoded = text.split("+", 2)
    assert name == "example.com/log"
    assert hex_id == notes.key_id(name, key).hex() and len(hex_id) == 8
    assert base64.b64decode(encoded) == b"\x01" + key
    verifier = notes.parse_verifier_key(text)
    assert verifier == Verifier("example.com/log", bytes.fromhex(hex_id), key)
    assert verifier.text() == text


@pytest.mark.parametrize(
    "name", ["", "has space", "a+b", "tab\there", "nbsp\xa0", "ideographic\u3000", "nl\n"]
)
def test_bad_key_names_are_refused(name: str) -> None:
    key = public(Ed25519PrivateKey.generate())
    with pytest.raises(ValueError, match="key name"):
        notes.key_id(name, key)
    with pytest.raises(ValueError, match="key name"):
        notes.sign("text\n", name, Ed25519PrivateKey.generate())


def test_only_32_byte_public_keys() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        notes.key_id("example.com/log", b"\x00" * 31)


def test_every_proper_substring_of_a_verifier_key_is_refused() -> None:
    """As Go's TestNewVerifier checks."""
    for i in range(len(PETER_VKEY) + 1):
        for j in range(i + 1, len(PETER_VKEY) + 1):
            if (i, j) != (0, len(PETER_VKEY)):
                with pytest.raises(ValueError):
                    notes.parse_verifier_key(PETER_VKEY[i:j])


def test_every_byte_changed_in_a_verifier_key_is_refused() -> None:
    for i, c in enumerate(PETER_VKEY):
        mangled = PETER_VKEY[:i] + chr(ord(c) + 1) + PETER_VKEY[i + 1 :]
        with pytest.raises(ValueError):
            notes.parse_verifier_key(mangled)


@pytest.mark.parametrize(
    ("vkey", "problem"),
    [
        # Go's: the wrong length of key (its key id adjusted), an unknown algorithm (likewise)
        (
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
            "base64",  # and not canonical base64 either
        ),
        ("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "signature type"),
        ("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "lowercase hex"),
        ("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "not that of"),
        ("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", "base64"),
        ("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n", "base64"),
        ("PeterNeumann+c74f20a3+ ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "base64"),
        ("PeterNeumann+c74f20a3+", "no key"),
        ("PeterNeumann+c74f20a3", "name\\+keyid\\+key"),
        ("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "spaces"),
        ("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "non-empty"),
        ("PeterNeumann+0xc74f20+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "hex"),
        ("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k=", "base64"),
    ],
)
def test_malformed_verifier_keys_are_refused(vkey: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        notes.parse_verifier_key(vkey)


@pytest.mark.parametrize("size", [0, 31, 33, 64])
def test_a_verifier_key_of_another_length_is_refused(size: int) -> None:
    raw = b"\x01" + bytes(range(size))
    kid = hashlib.sha256(b"k\n" + raw).digest()[:4]
    vkey = f"k+{kid.hex()}+{base64.b64encode(raw).decode()}"
    with pytest.raises(ValueError, match=f"is {size} bytes, not 32"):
        notes.parse_verifier_key(vkey)


def test_a_verifier_must_hold_its_own_key_id() -> None:
    key = public(Ed25519PrivateKey.generate())
    with pytest.raises(ValueError, match="key id"):
        Verifier("example.com/log", b"\x00\x00\x00\x00", key)


# -- signing and opening -------------------------------------------------------------------


def test_round_trip_with_a_fresh_key() -> None:
    key = Ed25519PrivateKey.generate()
    body = Checkpoint("example.com/log", 7, ROOT).body()
    note = notes.sign(body, "example.com/log", key)
    assert note.startswith(body + "\n— example.com/log ")
    assert note.endswith("\n") and note.count("\n") == 5
    verifier = notes.parse_verifier_key(notes.verifier_key("example.com/log", public(key)))
    assert notes.open_note(note, verifier) == body
    assert notes.parse_checkpoint(notes.open_note(note, verifier)) == Checkpoint(
        "example.com/log", 7, ROOT
    )


def test_the_signature_line_is_key_id_then_signature_over_the_body() -> None:
    key = Ed25519PrivateKey.generate()
    body = "some text\n"
    note = notes.sign(body, "example.com/log", key)
    line = note[len(body) + 1 :]
    assert line.startswith("\u2014 example.com/log ")
    raw = base64.b64decode(line.removeprefix("\u2014 example.com/log ").removesuffix("\n"))
    assert len(raw) == 68
    assert raw[:4] == notes.key_id("example.com/log", public(key))
    key.public_key().verify(raw[4:], body.encode())


@given(st.text(st.characters(min_codepoint=0x20, exclude_categories=["Cs"]), max_size=60))
def test_any_text_line_round_trips(line: str) -> None:
    key = Ed25519PrivateKey.from_private_bytes(b"\x07" * 32)
    verifier = notes.parse_verifier_key(notes.verifier_key("k", public(key)))
    body = line + "\n\n" + line + "\n"  # empty lines in the text are allowed
    assert notes.open_note(notes.sign(body, "k", key), verifier) == body


def test_tampering_with_any_byte_of_the_body_fails() -> None:
    verifier = notes.parse_verifier_key(PETER_VKEY)
    for i, c in enumerate(PETER_TEXT):
        if c == "\n":
            continue
        mangled = PETER_TEXT[:i] + chr(ord(c) ^ 1) + PETER_TEXT[i + 1 :]
        with pytest.raises(BadNote):
            notes.open_note(mangled + "\n" + PETER_SIG, verifier)


def test_tampering_with_any_byte_of_the_signature_fails() -> None:
    verifier = notes.parse_verifier_key(PETER_VKEY)
    prefix = PETER_TEXT + "\n— PeterNeumann "
    encoded = PETER_SIG.removeprefix("— PeterNeumann ").removesuffix("\n")
    raw = base64.b64decode(encoded)
    for i in range(len(raw)):
        for bit in range(8):
            changed = bytearray(raw)
            changed[i] ^= 1 << bit
            mangled = prefix + base64.b64encode(changed).decode() + "\n"
            with pytest.raises(BadNote):
                notes.open_note(mangled, verifier)
    for i, c in enumerate(encoded):
        for replacement in {"A", "/", "=", "*"} - {c}:
            text = encoded[:i] + replacement + encoded[i + 1 :]
            if B64.fullmatch(text) and base64.b64decode(text) == raw:
                continue  # only the unused bits of the last digit changed: the same bytes
            with pytest.raises(BadNote):
                notes.open_note(prefix + text + "\n", verifier)


def test_a_changed_signature_under_the_right_key_id_says_so() -> None:
    verifier = notes.parse_verifier_key(PETER_VKEY)
    # Go's own case: four base64 digits inserted inside the signature
    cut = len(PETER_TEXT) + 1 + 60
    with pytest.raises(BadNote, match="does not verify"):
        notes.open_note(PETER_NOTE[:cut] + "ABCD" + PETER_NOTE[cut:], verifier)


def test_a_wrong_key_fails() -> None:
    other = notes.parse_verifier_key(ENOCH_VKEY)
    with pytest.raises(BadNote, match="no signature by EnochRoot\\+af0cfe78"):
        notes.open_note(PETER_NOTE, other)
    stranger = Ed25519PrivateKey.generate()
    # the same name, another key: its key id differs, so Peter's line is not its
    impostor = notes.parse_verifier_key(notes.verifier_key("PeterNeumann", public(stranger)))
    with pytest.raises(BadNote, match="no signature"):
        notes.open_note(PETER_NOTE, impostor)


def test_a_bad_signature_under_a_matching_name_and_id_fails() -> None:
    """A key id is short: whoever has the same name and id must verify, or the note fails."""
    key = Ed25519PrivateKey.generate()
    verifier = notes.parse_verifier_key(notes.verifier_key("example.com/log", public(key)))
    body = "text\n"
    forged = base64.b64encode(verifier.key_id + bytes(64)).decode()
    good = notes.sign(body, "example.com/log", key)
    with pytest.raises(BadNote, match="does not verify"):
        notes.open_note(good + f"— example.com/log {forged}\n", verifier)


def test_other_signatures_are_ignored_in_any_order() -> None:
    peter = notes.parse_verifier_key(PETER_VKEY)
    witness = Ed25519PrivateKey.generate()
    witness_line = notes.sign(PETER_TEXT, "witness.example/w1", witness)[len(PETER_TEXT) + 1 :]
    unknown_algorithm = (
        "— PeterNeumann " + base64.b64encode(b"\x01\x02\x03\x04" + bytes(80)).decode()
    )
    for lines in (
        [PETER_SIG, ENOCH_SIG, witness_line],
        [witness_line, ENOCH_SIG, PETER_SIG],
        [unknown_algorithm + "\n", PETER_SIG],
    ):
        assert notes.open_note(PETER_TEXT + "\n" + "".join(lines), peter) == PETER_TEXT


def test_repeated_good_signatures_are_accepted() -> None:
    peter = notes.parse_verifier_key(PETER_VKEY)
    assert notes.open_note(PETER_NOTE + PETER_SIG, peter) == PETER_TEXT


def test_only_enough_signatures() -> None:
    peter = notes.parse_verifier_key(PETER_VKEY)
    assert notes.open_note(PETER_TEXT + "\n" + ENOCH_SIG * 99 + PETER_SIG, peter) == PETER_TEXT
    with pytest.raises(BadNote, match="more than 100"):
        notes.open_note(PETER_TEXT + "\n" + PETER_SIG * 101, peter)


def test_the_text_ends_at_the_last_blank_line() -> None:
    key = Ed25519PrivateKey.generate()
    verifier = notes.parse_verifier_key(notes.verifier_key("k", public(key)))
    for body in ("\n", "a\n\n", "a\n\nb\n", "\n\n\n"):
        assert notes.open_note(notes.sign(body, "k", key), verifier) == body


@pytest.mark.parametrize(
    "note",
    [
        # Go's TestOpen malformed notes
        PETER_TEXT,
        PETER_TEXT + "\n",
        PETER_TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + PETER_NOTE,
        PETER_TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Bad Name"),
        PETER_NOTE + "Unexpected line.\n",
        # and more
        "",
        PETER_NOTE.replace("\n", "\r\n"),
        PETER_NOTE.replace("\u2014", "-"),
        PETER_NOTE.replace("\u2014 ", "\u2014"),
        PETER_NOTE.replace("Neumann x", "Neumann  x"),
        PETER_NOTE[:-2] + " \n",
        PETER_NOTE.replace("x08go", "x08g\ud800"),
        PETER_TEXT + "\n" + "— PeterNeumann\n",
        PETER_TEXT + "\n" + "— PeterNeumann AAAA\n",
        PETER_TEXT + "\n" + "— PeterNeumann x08go/ZJ!uBS9UG\n",
        PETER_TEXT.replace("problem", "problem\t") + "\n" + PETER_SIG,
        PETER_TEXT + "\n" + PETER_SIG + "\n" + PETER_SIG,
    ],
)
def test_malformed_notes_are_refused(note: str) -> None:
    with pytest.raises(BadNote):
        notes.open_note(note, notes.parse_verifier_key(PETER_VKEY))


def test_bad_note_is_a_value_error_with_a_message() -> None:
    with pytest.raises(ValueError, match="no blank line"):
        notes.open_note(PETER_TEXT, notes.parse_verifier_key(PETER_VKEY))


@pytest.mark.parametrize(
    ("body", "problem"),
    [("no newline", "newline"), ("tab\there\n", "control"), ("", "newline"), ("\ud800\n", "UTF-8")],
)
def test_sign_refuses_a_text_no_one_could_open(body: str, problem: str) -> None:
    with pytest.raises(BadNote, match=problem):
        notes.sign(body, "k", Ed25519PrivateKey.generate())


# -- checkpoints ---------------------------------------------------------------------------


def test_checkpoint_body_is_exact() -> None:
    checkpoint = Checkpoint("example.com/log", 20852163, ROOT)
    assert checkpoint.body() == (f"example.com/log\n20852163\n{base64.b64encode(ROOT).decode()}\n")
    assert (
        Checkpoint("o", 0, bytes(32)).body()
        == "o\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
    )


def test_extension_lines_are_kept() -> None:
    body = Checkpoint("o", 1, ROOT).body() + "ext one\next two\n"
    checkpoint = notes.parse_checkpoint(body)
    assert checkpoint.extensions == ("ext one", "ext two")
    assert checkpoint.body() == body


@given(
    st.text(st.characters(min_codepoint=0x20, exclude_categories=["Cs"]), min_size=1),
    st.integers(0, 2**64 - 1),
    st.binary(min_size=32, max_size=32),
)
def test_checkpoints_round_trip(origin: str, size: int, root: bytes) -> None:
    checkpoint = Checkpoint(origin, size, root)
    assert notes.parse_checkpoint(checkpoint.body()) == checkpoint


GOOD_ROOT = base64.b64encode(ROOT).decode()
# the same 32 bytes, one of the last digit's two unused bits set
NONCANONICAL_ROOT = GOOD_ROOT[:-2] + B64_DIGITS[B64_DIGITS.index(GOOD_ROOT[-2]) ^ 1] + "="


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("", "newline"),
        (f"o\n1\n{GOOD_ROOT}", "newline"),
        ("o\n1\n", "at least 3 lines"),
        (f"\n1\n{GOOD_ROOT}\n", "origin"),
        (f"o\n01\n{GOOD_ROOT}\n", "leading zeros"),
        (f"o\n00\n{GOOD_ROOT}\n", "leading zeros"),
        (f"o\n-1\n{GOOD_ROOT}\n", "decimal"),
        (f"o\n+1\n{GOOD_ROOT}\n", "decimal"),
        (f"o\n 1\n{GOOD_ROOT}\n", "decimal"),
        (f"o\n1_000\n{GOOD_ROOT}\n", "decimal"),
        (f"o\n0x10\n{GOOD_ROOT}\n", "decimal"),
        (f"o\n\u0661\n{GOOD_ROOT}\n", "decimal"),  # an Arabic-Indic one
        (f"o\n\n{GOOD_ROOT}\n", "decimal"),
        (f"o\n{2**64}\n{GOOD_ROOT}\n", "at most"),
        (f"o\n{'9' * 5000}\n{GOOD_ROOT}\n", "at most"),
        ("o\n1\n\n", "32 bytes, not 0"),
        (f"o\n1\n{GOOD_ROOT[:-1]}\n", "base64"),
        (f"o\n1\n{GOOD_ROOT} \n", "base64"),
        (f"o\n1\n{GOOD_ROOT.replace('+', '-').replace('/', '_')}x\n", "base64"),
        (f"o\n1\n{base64.b64encode(ROOT[:31]).decode()}\n", "32 bytes"),
        (f"o\n1\n{base64.b64encode(ROOT + b'x').decode()}\n", "32 bytes"),
        # a base64 whose unused bits are set decodes to the same root: only one text is right
        (f"o\n1\n{NONCANONICAL_ROOT}\n", "base64"),
        (f"o\n1\n{GOOD_ROOT}\n\n", "empty"),
        (f"o\n1\n{GOOD_ROOT}\next\n\nmore\n", "empty"),
        (f"o\r\n1\n{GOOD_ROOT}\n", "control"),
        (f"o\n1\n{GOOD_ROOT}\nbad\x00ext\n", "control"),
    ],
)
def test_malformed_checkpoints_are_refused(body: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        notes.parse_checkpoint(body)


@pytest.mark.parametrize(
    ("origin", "size", "root"),
    [
        ("", 1, ROOT),
        ("a\nb", 1, ROOT),
        ("o", -1, ROOT),
        ("o", 2**64, ROOT),
        ("o", 1, ROOT[:31]),
        ("o", True, ROOT),
    ],
)
def test_a_checkpoint_no_one_could_read_cannot_be_made(origin: str, size: int, root: bytes) -> None:
    with pytest.raises(ValueError):
        Checkpoint(origin, size, root)
