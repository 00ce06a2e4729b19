"""The verifiable log's Merkle math: published RFC 6962 vectors, proofs against an
independent recomputation, tampering, batching, and the O(log n) node reads."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cogov.application.merkle import (
    EMPTY_ROOT,
    MemoryNodes,
    Nodes,
    appended_nodes,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    peaks,
    root,
    root_of,
    subtree_hash,
    verify_consistency,
    verify_inclusion,
)

h = bytes.fromhex

# --- Published vectors ------------------------------------------------------------------
# From transparency-dev/merkle: testonly/constants.go (leaf inputs, node hashes of every
# complete subtree, roots of the trees of sizes 0..8), rfc6962/rfc6962_test.go (hasher),
# testonly/reference_test.go (inclusion and consistency proofs) and
# testdata/consistency/4/happy-path.json (the proof from 6 to 7).

LEAF_INPUTS = [
    h(""),
    h("00"),
    h("10"),
    h("2021"),
    h("3031"),
    h("40414243"),
    h("5051525354555657"),
    h("606162636465666768696a6b6c6d6e6f"),
]

NODE_HASHES = [
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ],
    [
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ],
    [
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
]

ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]

INCLUSION_PROOFS = [  # (index, size, path bottom-up)
    (0, 1, []),
    (0, 2, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"]),
    (1, 2, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

CONSISTENCY_PROOFS = [  # (old size, new size, proof)
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

# The verification probes of transparency-dev/merkle (testdata/inclusion and
# testdata/consistency), each file one line of this JSON, hashes in hex.
PROBES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "merkle_probes.json").read_text()
)

# Where our documented choice differs from that library: it refuses every proof from the
# empty tree; here the empty tree (with the empty root and an empty proof) is a prefix of
# every tree.
FROM_EMPTY_TREE = "consistency/additional/size1-is-zero-and-size2-is-not-zero.json"


def reference_tree() -> MemoryNodes:
    tree = MemoryNodes()
    tree.append([leaf_hash(data) for data in LEAF_INPUTS])
    return tree


def test_hashes_match_rfc6962() -> None:
    assert EMPTY_ROOT.hex() == ROOTS[0]
    assert leaf_hash(b"").hex() == NODE_HASHES[0][0]
    assert leaf_hash(b"L123456").hex() == (
        "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    )
    assert node_hash(b"N123", b"N456").hex() == (
        "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
    )


def test_roots_of_the_published_trees() -> None:
    leaves = [leaf_hash(data) for data in LEAF_INPUTS]
    tree = MemoryNodes()
    assert tree.root().hex() == ROOTS[0]
    for size in range(1, 9):
        tree.append(leaves[size - 1 : size])
        assert tree.size == size
        assert tree.root().hex() == ROOTS[size]
        assert root_of(leaves[:size]).hex() == ROOTS[size]
        assert root(reference_tree(), size).hex() == ROOTS[size]


def test_the_stored_nodes_are_exactly_the_published_complete_subtrees() -> None:
    published = {
        (level, index): value
        for level, row in enumerate(NODE_HASHES)
        for index, value in enumerate(row)
    }
    assert {key: value.hex() for key, value in reference_tree().stored.items()} == published


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION_PROOFS)
def test_published_inclusion_proofs(index: int, size: int, path: list[str]) -> None:
    tree = reference_tree()
    proof = inclusion_proof(tree, index, size)
    assert [p.hex() for p in proof] == path
    assert verify_inclusion(tree.node(0, index), index, size, proof, h(ROOTS[size]))


@pytest.mark.parametrize(("old_size", "new_size", "path"), CONSISTENCY_PROOFS)
def test_published_consistency_proofs(old_size: int, new_size: int, path: list[str]) -> None:
    proof = consistency_proof(reference_tree(), old_size, new_size)
    assert [p.hex() for p in proof] == path
    assert verify_consistency(old_size, new_size, h(ROOTS[old_size]), h(ROOTS[new_size]), proof)


@pytest.mark.parametrize("probe", PROBES["inclusion"], ids=lambda p: p["file"])
def test_published_inclusion_probes(probe: dict[str, Any]) -> None:
    proof = [h(p) for p in probe["proof"]]
    verdict = verify_inclusion(
        h(probe["leaf"]), probe["index"], probe["size"], proof, h(probe["root"])
    )
    assert verdict is probe["valid"]


@pytest.mark.parametrize("probe", PROBES["consistency"], ids=lambda p: p["file"])
def test_published_consistency_probes(probe: dict[str, Any]) -> None:
    proof = [h(p) for p in probe["proof"]]
    verdict = verify_consistency(
        probe["old_size"], probe["new_size"], h(probe["old_root"]), h(probe["new_root"]), proof
    )
    assert verdict is (probe["valid"] or probe["file"] == FROM_EMPTY_TREE)


# --- Properties -----------------------------------------------------------------------
# Proofs are compared with RFC 6962's recursive definitions applied to plain lists, and
# verified against root_of (which never sees the stored nodes).


def reference_path(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """RFC 6962 section 2.1.1 PATH(m, D[n]), as written."""
    n = len(leaves)
    if n == 1:
        return []
    k = 1 << ((n - 1).bit_length() - 1)
    if m < k:
        return [*reference_path(m, leaves[:k]), root_of(leaves[k:])]
    return [*reference_path(m - k, leaves[k:]), root_of(leaves[:k])]


def reference_subproof(m: int, leaves: Sequence[bytes], whole: bool) -> list[bytes]:
    """RFC 6962 section 2.1.2 SUBPROOF(m, D[n], b), as written."""
    n = len(leaves)
    if m == n:
        return [] if whole else [root_of(leaves)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return [*reference_subproof(m, leaves[:k], whole), root_of(leaves[k:])]
    return [*reference_subproof(m - k, leaves[k:], False), root_of(leaves[:k])]


def leaves_for(size: int) -> list[bytes]:
    return [leaf_hash(i.to_bytes(8, "big")) for i in range(size)]


def tree_of(leaves: Sequence[bytes]) -> MemoryNodes:
    tree = MemoryNodes()
    tree.append(leaves)
    return tree


def flipped(value: bytes, bit: int) -> bytes:
    """`value` with one bit changed, as a forger or a bad disk would change it."""
    bit %= 8 * len(value)
    changed = bytearray(value)
    changed[bit // 8] ^= 1 << (bit % 8)
    return bytes(changed)


def with_flip(proof: Sequence[bytes], at: int, bit: int) -> list[bytes]:
    return [flipped(p, bit) if i == at else p for i, p in enumerate(proof)]


SMALL = leaves_for(64)
SMALL_TREE = tree_of(SMALL)  # holds every node of every smaller tree too


@pytest.mark.parametrize("size", range(1, 65))
def test_every_inclusion_proof_up_to_64_leaves(size: int) -> None:
    head = root_of(SMALL[:size])
    assert root(SMALL_TREE, size) == head
    for index in range(size):
        leaf = SMALL[index]
        proof = inclusion_proof(SMALL_TREE, index, size)
        assert proof == reference_path(index, SMALL[:size])
        assert verify_inclusion(leaf, index, size, proof, head)
        bit = 7 * index + size
        assert not verify_inclusion(flipped(leaf, bit), index, size, proof, head)
        assert not verify_inclusion(leaf, index, size, proof, flipped(head, bit))
        for at in range(len(proof)):
            assert not verify_inclusion(leaf, index, size, with_flip(proof, at, bit), head)
        assert not verify_inclusion(leaf, index, size, [*proof, head], head)
        if proof:
            assert not verify_inclusion(leaf, index, size, proof[:-1], head)


@pytest.mark.parametrize("new_size", range(1, 65))
def test_every_consistency_proof_up_to_64_leaves(new_size: int) -> None:
    new_root = root_of(SMALL[:new_size])
    for old_size in range(new_size + 1):
        old_root = root_of(SMALL[:old_size])
        proof = consistency_proof(SMALL_TREE, old_size, new_size)
        expected = reference_subproof(old_size, SMALL[:new_size], True) if old_size else []
        assert proof == expected
        assert verify_consistency(old_size, new_size, old_root, new_root, proof)
        bit = 5 * old_size + new_size
        assert not verify_consistency(old_size, new_size, flipped(old_root, bit), new_root, proof)
        if old_size:  # from the empty tree nothing about the new root is proved
            assert not verify_consistency(
                old_size, new_size, old_root, flipped(new_root, bit), proof
            )
        for at in range(len(proof)):
            assert not verify_consistency(
                old_size, new_size, old_root, new_root, with_flip(proof, at, bit)
            )
        assert not verify_consistency(old_size, new_size, old_root, new_root, [*proof, old_root])


BIG = leaves_for(3000)


@settings(max_examples=60)
@given(st.integers(65, len(BIG)).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_proofs_of_larger_trees(sizes: tuple[int, int]) -> None:
    size, point = sizes
    tree = tree_of(BIG[:size])
    head = root_of(BIG[:size])
    assert tree.root() == head
    index = min(point, size - 1)
    proof = inclusion_proof(tree, index, size)
    assert proof == reference_path(index, BIG[:size])
    assert verify_inclusion(BIG[index], index, size, proof, head)
    assert not verify_inclusion(
        BIG[index], index, size, with_flip(proof, point % len(proof), point), head
    )
    assert not verify_inclusion(BIG[index ^ 1], index, size, proof, head)
    old_root = root_of(BIG[:point])
    proof = consistency_proof(tree, point, size)
    assert verify_consistency(point, size, old_root, head, proof)
    if 0 < point < size:
        flip = with_flip(proof, point % len(proof), point)
        assert not verify_consistency(point, size, old_root, head, flip)
        assert not verify_consistency(point, size, flipped(old_root, point), head, proof)


@given(st.lists(st.integers(0, 40), max_size=12))
def test_appending_in_batches_stores_the_same_nodes_as_all_at_once(batches: list[int]) -> None:
    leaves = leaves_for(sum(batches))
    whole = tree_of(leaves)
    pieces = MemoryNodes()
    done = 0
    for count in batches:
        made = appended_nodes(done, leaves[done : done + count], pieces)
        assert all(pieces.stored.get(key, value) == value for key, value in made.items())
        pieces.append(leaves[done : done + count])
        done += count
        assert pieces.root() == root_of(leaves[:done])
    assert pieces.stored == whole.stored
    assert pieces.size == whole.size == len(leaves)


@given(st.integers(0, 700), st.integers(1, 40))
def test_an_append_asks_only_for_the_peaks_and_makes_or_keeps_the_new_ones(
    size: int, count: int
) -> None:
    """What the projection relies on to keep the peaks instead of reading nodes back."""
    leaves = leaves_for(size + count)
    tree = tree_of(leaves[:size])
    asked: list[tuple[int, int]] = []

    class Asking:
        def node(self, level: int, index: int) -> bytes:
            asked.append((level, index))
            return tree.node(level, index)

    made = appended_nodes(size, leaves[size:], Asking())
    assert set(asked) <= set(peaks(size))
    assert sum(1 << level for level, _ in peaks(size)) == size
    assert all(key in made or key in peaks(size) for key in peaks(size + count))
    whole = tree_of(leaves)
    *left, acc = [whole.node(*key) for key in peaks(size + count)]
    for peak in reversed(left):  # the peaks, highest first, make the root
        acc = node_hash(peak, acc)
    assert acc == root_of(leaves)


def test_every_stored_node_is_the_hash_of_its_leaves() -> None:
    for (level, index), value in SMALL_TREE.stored.items():
        assert value == root_of(SMALL[index << level : (index + 1) << level])
    # and every complete perfect subtree is stored, nothing more
    assert len(SMALL_TREE.stored) == 64 + 32 + 16 + 8 + 4 + 2 + 1


# --- Edges ----------------------------------------------------------------------------


def test_empty_and_equal_trees() -> None:
    empty = MemoryNodes()
    assert empty.root() == root(empty, 0) == root_of([]) == EMPTY_ROOT
    assert subtree_hash(empty, 0, 0) == EMPTY_ROOT
    assert consistency_proof(empty, 0, 0) == []
    assert consistency_proof(SMALL_TREE, 0, 64) == []
    assert consistency_proof(SMALL_TREE, 17, 17) == []
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert not verify_consistency(0, 0, EMPTY_ROOT, SMALL[0], [])
    assert verify_consistency(0, 64, EMPTY_ROOT, root_of(SMALL), [])
    assert not verify_consistency(0, 64, EMPTY_ROOT, root_of(SMALL), [EMPTY_ROOT])
    assert not verify_consistency(0, 64, SMALL[0], root_of(SMALL), [])
    same = root_of(SMALL[:17])
    assert verify_consistency(17, 17, same, same, [])
    assert not verify_consistency(17, 17, same, same, [same])
    assert not verify_consistency(17, 17, same, SMALL[0], [])


def test_impossible_claims_fail_verification() -> None:
    head = root_of(SMALL[:8])
    proof = inclusion_proof(SMALL_TREE, 3, 8)
    assert not verify_inclusion(SMALL[3], 8, 8, proof, head)
    assert not verify_inclusion(SMALL[3], -1, 8, proof, head)
    assert not verify_inclusion(SMALL[3], 0, 0, [], EMPTY_ROOT)
    assert not verify_inclusion(b"", 0, 1, [], b"")  # not a hash: not a leaf
    old = root_of(SMALL[:3])
    assert not verify_consistency(8, 3, head, old, consistency_proof(SMALL_TREE, 3, 8))
    assert not verify_consistency(-1, 3, EMPTY_ROOT, old, [])
    assert not verify_consistency(3, 8, old, head, [])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: inclusion_proof(SMALL_TREE, 8, 8), "not in a tree of 8"),
        (lambda: inclusion_proof(SMALL_TREE, -1, 8), "not in a tree of 8"),
        (lambda: inclusion_proof(SMALL_TREE, 0, -1), "must not be negative"),
        (lambda: consistency_proof(SMALL_TREE, 9, 8), "larger than new_size"),
        (lambda: consistency_proof(SMALL_TREE, -1, 8), "must not be negative"),
        (lambda: root(SMALL_TREE, -2), "must not be negative"),
        (lambda: appended_nodes(-1, [], SMALL_TREE), "must not be negative"),
        (lambda: subtree_hash(SMALL_TREE, 1, 3), "not a range of the RFC 6962 tree"),
        (lambda: subtree_hash(SMALL_TREE, 4, 2), "need 0 <= start <= end"),
        (lambda: root(SMALL_TREE, 65), "holds no node"),
        (lambda: inclusion_proof(SMALL_TREE, 3, 100), "holds no node"),
        (lambda: consistency_proof(SMALL_TREE, 3, 65), "holds no node"),
    ],
)
def test_errors_say_what_is_wrong(call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# --- Cost -----------------------------------------------------------------------------


class CountingNodes:
    """Counts reads, as the database would see them."""

    def __init__(self, inner: Nodes) -> None:
        self.inner = inner
        self.reads = 0

    def node(self, level: int, index: int) -> bytes:
        self.reads += 1
        return self.inner.node(level, index)


HUGE = 100_000


@pytest.fixture(scope="module")
def huge() -> tuple[MemoryNodes, float]:
    leaves = leaves_for(HUGE)
    started = time.perf_counter()
    tree = tree_of(leaves)
    return tree, time.perf_counter() - started


def test_appending_100_000_leaves_is_quick(huge: tuple[MemoryNodes, float]) -> None:
    tree, seconds = huge
    assert tree.size == HUGE
    assert len(tree.stored) == 2 * HUGE - HUGE.bit_count()  # one node per completed subtree
    assert seconds < 3.0  # about 0.3 s where it was written


def test_proofs_read_o_log_n_nodes(huge: tuple[MemoryNodes, float]) -> None:
    # A proof has at most bit_length(n) elements. Each is one stored perfect node except
    # the single right-hand sibling taken where the walk down first turns left, which is
    # composed of one node per set bit of its size, at most bit_length(n). So a proof reads
    # at most 2 * bit_length(n) nodes: 34 at n = 100,000 (4 * log2(n)**2 would allow ~1100).
    tree, _ = huge
    head = tree.root()
    for size in (HUGE, HUGE - 1, 65_536, 65_537, 99_991):
        bound = 2 * size.bit_length()
        counted = CountingNodes(tree)
        root(counted, size)
        assert counted.reads == size.bit_count()
        points = {0, 1, size // 2, size - 2, size - 1, *range(3, size, 4_999)}
        for point in points:
            counted = CountingNodes(tree)
            proof = inclusion_proof(counted, point, size)
            assert counted.reads <= bound
            if size == HUGE:
                assert verify_inclusion(tree.node(0, point), point, size, proof, head)
            counted = CountingNodes(tree)
            proof = consistency_proof(counted, point, size)
            assert counted.reads <= bound
            if size == HUGE:
                assert verify_consistency(point, size, root(tree, point), head, proof)


def test_an_append_reads_only_the_old_peaks(huge: tuple[MemoryNodes, float]) -> None:
    tree, _ = huge
    tail = leaves_for(2)
    for size in (HUGE, HUGE - 1, 65_535, 65_536, 99_999):
        counted = CountingNodes(tree)
        made = appended_nodes(size, tail, counted)
        assert counted.reads <= size.bit_count()
        assert (0, size) in made and (0, size + 1) in made
