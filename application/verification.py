"""Checking the log as an auditor would: every leaf recomputed from the stored events, the
tree compared with the one the server proves from, and a checkpoint the auditor kept checked
for its signature and for being a prefix of today's tree.

Nothing here trusts the stored tree: it is only compared with, to name the first position
where the events and the log part ways.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Sequence

import attrs

from cogov.application import merkle, notes


class CompactRange:
    """The roots of the perfect subtrees that make up a growing tree (at most log n of
    them), enough to give the root at every size it passes through."""

    def __init__(self) -> None:
        self.size = 0
        self.peaks: list[tuple[int, bytes]] = []  # (leaves, hash), largest first

    def append(self, leaf: bytes) -> None:
        self.peaks.append((1, leaf))
        self.size += 1
        while len(self.peaks) > 1 and self.peaks[-1][0] == self.peaks[-2][0]:
            (n, right), (_, left) = self.peaks.pop(), self.peaks.pop()
            self.peaks.append((2 * n, merkle.node_hash(left, right)))

    def root(self) -> bytes:
        if not self.peaks:
            return merkle.EMPTY_ROOT
        value = self.peaks[-1][1]
        for _, peak in reversed(self.peaks[:-1]):
            value = merkle.node_hash(peak, value)
        return value


@attrs.frozen
class Verdict:
    events: int  # events read and recomputed
    root: str  # base64 root of the recomputed tree
    first_difference: int | None  # the position where the events and the log part ways
    problems: tuple[str, ...]
    checkpoint_size: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


StoredLeaves = Callable[[int, int], Sequence[tuple[int, int, bytes]]]


def verify(
    events: Iterable[tuple[int, bytes]],
    stored: StoredLeaves,
    *,
    stored_size: int,
    checkpoint: str | None = None,
    key: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Verdict:
    """Recompute the log from `events` (every stored event's position and leaf data, in
    position order) and compare
    it with the stored leaves (`stored(start, limit)` -> (leaf index, position, hash)) and,
    if given, a checkpoint signed by `key` (signed-note verifier key text)."""
    problems: list[str] = []
    kept = _opened(checkpoint, key, problems)
    tree = CompactRange()
    first: int | None = None
    at_checkpoint: bytes | None = None
    page: Sequence[tuple[int, int, bytes]] = ()
    for position, data in events:
        index = tree.size
        if not page or index >= page[0][0] + len(page):
            page = stored(index, 1000)
        leaf = merkle.leaf_hash(data)
        offset = index - page[0][0] if page else -1
        if first is None:
            if offset < 0 or offset >= len(page):
                first = position
                problems.append(f"the event at position {position} is not in the log")
            elif page[offset][1] != position or page[offset][2] != leaf:
                first = page[offset][1]
                problems.append(
                    f"the log's leaf {index} (position {page[offset][1]}) does not match the "
                    f"stored event at position {position}"
                )
        tree.append(leaf)
        if kept is not None and tree.size == kept.size:
            at_checkpoint = tree.root()
        if progress is not None and tree.size % 1000 == 0:
            progress(tree.size)
    if first is None and stored_size > tree.size:
        missing = stored(tree.size, 1)
        first = missing[0][1] if missing else None
        problems.append(
            f"the log holds {stored_size} leaves but only {tree.size} events are stored"
            + (f"; the first missing is position {first}" if first is not None else "")
        )
    if kept is not None:
        if kept.size == 0:
            at_checkpoint = merkle.EMPTY_ROOT
        if at_checkpoint is None:
            problems.append(
                f"the checkpoint covers {kept.size} events but only {tree.size} are stored"
            )
        elif at_checkpoint != kept.root:
            problems.append(
                f"the stored events do not give the checkpoint's root at size {kept.size}: "
                "events it covers were changed, removed or reordered"
            )
    return Verdict(
        events=tree.size,
        root=base64.b64encode(tree.root()).decode(),
        first_difference=first,
        problems=tuple(problems),
        checkpoint_size=kept.size if kept is not None else None,
    )


def _opened(
    checkpoint: str | None, key: str | None, problems: list[str]
) -> notes.Checkpoint | None:
    if checkpoint is None:
        return None
    if key is None:
        problems.append("a checkpoint needs the log's verifier key to be checked")
        return None
    try:
        verifier = notes.parse_verifier_key(key.strip())
        body = notes.open_note(checkpoint, verifier)
        kept = notes.parse_checkpoint(body)
    except ValueError as e:
        problems.append(f"the checkpoint does not verify: {e}")
        return None
    if kept.origin != verifier.name:
        problems.append(f"the checkpoint is of log {kept.origin!r}, the key of {verifier.name!r}")
    return kept
