"""RFC 6962 / RFC 9162 Merkle tree math for the verifiable log: hashes, roots, proofs.

Leaf i (0-based) is the i-th event. A leaf hash is SHA-256(0x00 || data) and a node
SHA-256(0x01 || left || right), so a leaf can never pass for a node; the empty tree's root
is SHA-256 of nothing. These are exactly RFC 6962's rules, so any RFC 6962 verifier (and
every C2SP checkpoint tool) checks our proofs without code of ours.

The tree is kept as its *perfect, aligned* subtrees: (level l, index k) covers leaves
[k * 2**l, (k + 1) * 2**l) and is stored once it is complete. Those never change after,
so roots and proofs are composed from O(log n) stored nodes and never re-read the log.

Proof generation walks RFC 6962's recursive definitions (MTH, PATH, SUBPROOF); the
verifiers are RFC 9162's bit-twiddling algorithms (sections 2.1.3.2 and 2.1.4.2), written
independently so that a bug in one side is caught by the other. Pure: no I/O, stdlib only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

HASH_SIZE = 32  # SHA-256
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}), RFC 6962 section 2.1


def leaf_hash(data: bytes) -> bytes:
    """The leaf's hash, prefixed 0x00 so that no leaf can pass for an inner node."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """An inner node's hash, prefixed 0x01 (the other side of the second-preimage guard)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


class Nodes(Protocol):
    """Where the stored perfect subtrees are read from (memory here, the views' database in
    production). Asking for a node the tree does not hold yet should raise."""

    def node(self, level: int, index: int) -> bytes:
        """The hash of the perfect subtree at (level, index); level 0 is a leaf hash."""
        ...


def _check_size(name: str, size: int) -> None:
    if size < 0:
        raise ValueError(f"{name} must not be negative, got {size}")


def _split(n: int) -> int:
    """RFC 6962's k: the largest power of two smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def peaks(size: int) -> list[tuple[int, int]]:
    """The roots of the perfect subtrees a tree of `size` leaves is made of, one per bit set
    in `size`, highest first: the only stored nodes an append to it asks for."""
    _check_size("size", size)
    return [
        (level, (size >> level) - 1)
        for level in reversed(range(size.bit_length()))
        if size >> level & 1
    ]


def appended_nodes(
    size: int, leaves: Sequence[bytes], nodes: Nodes
) -> dict[tuple[int, int], bytes]:
    """The nodes that appending `leaves` (leaf hashes) to a tree of `size` leaves creates:
    each new leaf at (0, i) and every perfect subtree completed by it. `nodes` serves the
    existing ones (it is asked only for nodes of the tree before the append, at most once
    each and at most popcount(size) of them; nodes made earlier in this call come from the
    result itself), so the caller can store the batch's nodes with the batch."""
    _check_size("size", size)
    made: dict[tuple[int, int], bytes] = {}
    for offset, leaf in enumerate(leaves):
        level, index, value = 0, size + offset, leaf
        made[(0, index)] = value
        # An odd index is a right child: its left sibling is complete, so is their parent.
        while index & 1:
            sibling = (level, index - 1)
            left = made[sibling] if sibling in made else nodes.node(*sibling)
            level, index, value = level + 1, index >> 1, node_hash(left, value)
            made[(level, index)] = value
    return made


def subtree_hash(nodes: Nodes, start: int, end: int) -> bytes:
    """MTH(D[start:end]) for ranges that arise in RFC 6962 (start aligned to the smallest
    power of two not below end - start, as every range the recursion visits is), composed
    from stored perfect nodes: one lookup per set bit of end - start, so O(log n)."""
    if start < 0 or end < start:
        raise ValueError(f"need 0 <= start <= end, got start={start}, end={end}")
    n = end - start
    if n == 0:
        return EMPTY_ROOT
    if start % (1 << (n - 1).bit_length()):
        raise ValueError(
            f"[{start}, {end}) is not a range of the RFC 6962 tree: its start must be a "
            f"multiple of the smallest power of two not below its size {n}"
        )
    # MTH splits off the largest power of two first, so the perfect pieces are the set
    # bits of n from the highest down, and the hash folds them from the right.
    pieces: list[bytes] = []
    position = start
    for level in reversed(range(n.bit_length())):
        if n >> level & 1:
            pieces.append(nodes.node(level, position >> level))
            position += 1 << level
    value = pieces.pop()
    while pieces:
        value = node_hash(pieces.pop(), value)
    return value


def root(nodes: Nodes, size: int) -> bytes:
    """The tree head at `size` leaves (EMPTY_ROOT for 0), from at most log2(size) + 1 nodes."""
    _check_size("size", size)
    return subtree_hash(nodes, 0, size)


def inclusion_proof(nodes: Nodes, index: int, size: int) -> list[bytes]:
    """RFC 6962 PATH(index, D[0:size]), bottom-up: the siblings from the leaf to the root.

    Walking down from the root, every sibling is a perfect stored node except at most one
    (the right-hand remainder passed when first turning left), so this reads at most
    2 * bit_length(size) nodes."""
    _check_size("size", size)
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is not in a tree of {size} leaves")
    siblings: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            siblings.append(subtree_hash(nodes, start + k, end))
            end = start + k
        else:
            siblings.append(subtree_hash(nodes, start, start + k))
            start += k
    siblings.reverse()
    return siblings


def consistency_proof(nodes: Nodes, old_size: int, new_size: int) -> list[bytes]:
    """RFC 6962 PROOF(old_size, D[0:new_size]) = SUBPROOF(m, D[n], true), in its order.

    Empty when old_size == new_size (the roots must simply be equal) and when old_size is
    0 (the empty tree is a prefix of every tree; RFC 9162 has no proof for it). Reads at
    most 2 * bit_length(new_size) nodes, for the same reason as `inclusion_proof`."""
    _check_size("old_size", old_size)
    _check_size("new_size", new_size)
    if old_size > new_size:
        raise ValueError(f"old_size {old_size} is larger than new_size {new_size}")
    if old_size in (0, new_size):
        return []
    # Collected top-down; SUBPROOF appends each level's sibling after the deeper part.
    proof: list[bytes] = []
    start, end, known = 0, new_size, True  # `known`: SUBPROOF's b, the old root is whole
    while True:
        m, n = old_size - start, end - start
        if m == n:
            if not known:
                proof.append(subtree_hash(nodes, start, end))
            break
        k = _split(n)
        if m <= k:
            proof.append(subtree_hash(nodes, start + k, end))
            end = start + k
        else:
            proof.append(subtree_hash(nodes, start, start + k))
            start, known = start + k, False
    proof.reverse()
    return proof


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Whether `proof` shows the leaf hash `leaf` at `index` in the tree of `size` with head
    `root`: RFC 9162 section 2.1.3.2, step by step. An impossible claim (index outside the
    tree, a leaf that is not a SHA-256 hash) fails like a bad proof: it is not evidence."""
    if len(leaf) != HASH_SIZE or not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether `proof` shows the tree (old_size, old_root) is a prefix of (new_size,
    new_root): RFC 9162 section 2.1.4.2, step by step, for 0 < old_size < new_size.

    Equal sizes need an empty proof and equal roots (as RFC 9162 2.1.4.1 generates). From
    old_size 0 there is nothing to prove: true exactly when the proof is empty and old_root
    is EMPTY_ROOT (RFC 9162 does not define this case; some verifiers refuse it outright).
    old_size > new_size or a negative size fails, as any false claim does."""
    if not 0 <= old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root and (old_size > 0 or old_root == EMPTY_ROOT)
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # the old tree is a stored node: its root leads
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root


def root_of(leaves: Sequence[bytes]) -> bytes:
    """RFC 6962 MTH over leaf hashes, straight from the recursive definition and sharing
    nothing with the stored-node code: the reference for tests and for checking a small
    exported pack offline."""

    def mth(start: int, end: int) -> bytes:
        n = end - start
        if n == 1:
            return leaves[start]
        k = _split(n)
        return node_hash(mth(start, start + k), mth(start + k, end))

    return mth(0, len(leaves)) if leaves else EMPTY_ROOT


class MemoryNodes:
    """A dict-backed `Nodes` that can also append: the tree for tests, offline checks and
    any caller that holds the whole log in memory."""

    def __init__(self) -> None:
        self.size = 0
        self.stored: dict[tuple[int, int], bytes] = {}

    def node(self, level: int, index: int) -> bytes:
        """The stored perfect subtree; a ValueError names one the tree does not hold yet."""
        try:
            return self.stored[(level, index)]
        except KeyError:
            raise ValueError(
                f"the tree of {self.size} leaves holds no node at level {level}, index {index}"
            ) from None

    def append(self, leaves: Sequence[bytes]) -> None:
        """Append leaf hashes, storing every node they complete."""
        self.stored.update(appended_nodes(self.size, leaves, self))
        self.size += len(leaves)

    def root(self) -> bytes:
        return root(self, self.size)
