"""The verifiable log over every stored event: RFC 6962 leaves, signed C2SP checkpoints,
inclusion and consistency proofs.

Leaf i is the i-th stored event in position order, its data the RFC 8785 canonical JSON of
the event exactly as the trail shows it, so an auditor can check an exported line against a
checkpoint with tools nobody here wrote. The governance projection appends the leaves and
keeps the tree's nodes in the views' database; this module reads them. It never signs a
checkpoint that is not an extension of the last one it signed.
"""

from __future__ import annotations

import base64
import secrets
import threading
from collections.abc import Callable, Sequence
from typing import Any

import attrs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from cogov.application import merkle, notes
from cogov.application.canonical import canonical_json, encode_checked, plain_checked
from cogov.application.keyvalue import KeyValues
from cogov.application.records import EventRecord, utc_iso
from cogov.application.trail import EVENT_HEADER
from cogov.application.views import GovernanceView, ViewChanges
from cogov.domain import Conflict, InvalidInput, NotFound

NAMESPACE = "log"  # records: the last checkpoint signed, and this instance's id


class LogDiverged(Conflict):
    """The log no longer extends the last checkpoint signed: nothing will be signed."""

    code = "log_diverged"


class LogIncomplete(Conflict):
    """The log lacks the events recorded before it existed: rebuild the views first."""

    code = "log_incomplete"


def leaf_data(record: EventRecord) -> bytes:
    """The bytes a leaf commits to: the trail's own rendering of the event, canonicalised
    (RFC 8785). The record's data is plain JSON already, so no deep copy is made."""
    return canonical_json(
        {
            "position": record.position,
            "type": record.type,
            "aggregate_id": str(record.aggregate_id),
            "version": record.version,
            "recorded_at": record.recorded_at,
            "actor": record.actor,
            "data": record.data,
        }
    )


def event_leaf(position: int, event: Any) -> bytes:
    """The same bytes as `leaf_data(event_record(position, event))`, in one walk over the
    event's values instead of two (the projection and `audit verify` render every event)."""
    data: dict[str, Any] = {}
    safe = True
    actor = None
    for name, value in event.__dict__.items():
        if name in EVENT_HEADER:
            continue
        converted, value_safe = plain_checked(value)
        safe = safe and value_safe
        if name == "actor":
            actor = converted
        else:
            data[name] = converted
    body = {
        "position": position,
        "type": type(event).__name__,
        "aggregate_id": str(event.originator_id),
        "version": event.originator_version,
        "recorded_at": utc_iso(event.timestamp),
        "actor": actor,
        "data": data,
    }
    return encode_checked(body, safe and (actor is None or type(actor) is str))


@attrs.frozen
class InclusionProof:
    position: int
    leaf_index: int
    tree_size: int
    leaf: str  # base64 of the leaf data
    proof: tuple[str, ...]  # base64 hashes, bottom-up


@attrs.frozen
class ConsistencyProof:
    old_size: int
    new_size: int
    proof: tuple[str, ...]  # base64 hashes, in RFC 6962 SUBPROOF order


class ViewNodes:
    """The stored tree as `merkle.Nodes`. A proof's shape depends only on the indexes, so
    its nodes are found in one dry run and then read in one query."""

    def __init__(self, view: GovernanceView) -> None:
        self.view = view
        self.known: dict[tuple[int, int], bytes] = {}

    def node(self, level: int, index: int) -> bytes:
        key = (level, index)
        if key not in self.known:
            self.known.update(self.view.log_nodes([key]))
        if key not in self.known:
            raise NotFound(f"the log holds no node at level {level}, index {index}")
        return self.known[key]

    def prefetch(self, compute: Callable[[merkle.Nodes], object]) -> None:
        wanted: list[tuple[int, int]] = []

        class Dry:
            def node(self, level: int, index: int) -> bytes:
                wanted.append((level, index))
                return bytes(32)

        compute(Dry())
        self.known.update(self.view.log_nodes(wanted))


def b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


class VerifiableLog:
    """Proofs and checkpoints over the log the views keep."""

    def __init__(
        self,
        view: Callable[[], GovernanceView],
        records: KeyValues,
        event_at: Callable[[int], EventRecord | None],
        signing_key: Callable[[], Ed25519PrivateKey],
        origin: str | None,
    ) -> None:
        self._view = view
        self.records = records
        self.event_at = event_at
        self._signing_key = signing_key
        self._origin = origin
        self._lock = threading.Lock()

    @property
    def origin(self) -> str:
        """The log's name and its key's name: COGOV_LOG_ORIGIN, or cogov.local/<instance>."""
        if self._origin:
            return self._origin
        fresh = {"id": secrets.token_hex(8)}  # fit for a key name: no spaces, no '+'
        self.records.add(NAMESPACE, "instance", fresh)
        stored = self.records.get(NAMESPACE, "instance") or fresh
        return f"cogov.local/{stored['id']}"

    def public_key(self) -> bytes:
        return self._signing_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def verifier_key(self) -> str:
        """The key that checks this log's checkpoints, in signed-note form."""
        return notes.verifier_key(self.origin, self.public_key())

    def size(self) -> int:
        return self._view().log_size()

    def root(self, size: int) -> bytes:
        nodes = ViewNodes(self._view())
        nodes.prefetch(lambda n: merkle.root(n, size))
        return merkle.root(nodes, size)

    def checkpoint(self, first_position: int | None) -> str:
        """A signed checkpoint of the tree as it is now; refused if it would contradict the
        last one signed (a rebuilt or altered log never gets a signature), or if the log
        does not begin with the store's first event (`first_position`): a store kept from
        before the log until its views are rebuilt. A tree already signed is not signed
        again: its note is given once more."""
        with self._lock:
            view = self._view()
            size = view.log_size()
            if first_position is not None and view.log_leaf(first_position) != 0:
                raise LogIncomplete(
                    "the log does not begin with the store's first event (the store was "
                    "recorded before the log existed): run `cogov projections rebuild` once"
                )
            last = self.records.get(NAMESPACE, "checkpoint")
            root = self.root(size)
            if (
                last is not None
                and "note" in last
                and int(last["size"]) == size
                and base64.b64decode(last["root"]) == root
            ):
                return str(last["note"])
            if last is not None:
                old_size, old_root = int(last["size"]), base64.b64decode(last["root"])
                if size < old_size:
                    raise LogDiverged(
                        f"the log has {size} leaves but a checkpoint of {old_size} was signed"
                    )
                proof = self._consistency(old_size, size)
                if not merkle.verify_consistency(old_size, size, old_root, root, proof):
                    raise LogDiverged(
                        f"the log of {size} leaves is not an extension of the checkpoint of "
                        f"{old_size} signed before: stored events changed, or the views were "
                        "rebuilt from changed events; `cogov audit verify --checkpoint` with "
                        "a checkpoint kept from before shows whether the events still give it"
                    )
            body = notes.Checkpoint(self.origin, size, root).body()
            note = notes.sign(body, self.origin, self._signing_key())
            if last is None or int(last["size"]) < size:
                signed = {"size": size, "root": b64(root), "note": note}
                self.records.put(NAMESPACE, "checkpoint", signed)
            return note

    def inclusion(self, position: int, tree_size: int | None = None) -> InclusionProof:
        view = self._view()
        index = view.log_leaf(position)
        record = self.event_at(position)
        if index is None or record is None:
            raise NotFound(f"no event at position {position} in the log yet")
        size = view.log_size() if tree_size is None else tree_size
        if not index < size <= view.log_size():
            raise InvalidInput(
                f"tree_size must be greater than the event's leaf index ({index}) and at most "
                f"the log's size ({view.log_size()})"
            )
        nodes = ViewNodes(view)
        nodes.prefetch(lambda n: merkle.inclusion_proof(n, index, size))
        path = merkle.inclusion_proof(nodes, index, size)
        return InclusionProof(
            position, index, size, b64(leaf_data(record)), tuple(b64(h) for h in path)
        )

    def consistency(self, old_size: int, new_size: int) -> ConsistencyProof:
        size = self.size()
        if not 0 <= old_size <= new_size <= size:
            raise InvalidInput(f"need 0 <= from <= to <= {size} (the log's size)")
        proof = self._consistency(old_size, new_size)
        return ConsistencyProof(old_size, new_size, tuple(b64(h) for h in proof))

    def _consistency(self, old_size: int, new_size: int) -> Sequence[bytes]:
        nodes = ViewNodes(self._view())
        nodes.prefetch(lambda n: merkle.consistency_proof(n, old_size, new_size))
        return merkle.consistency_proof(nodes, old_size, new_size)


class LeafAppender:
    """The projection's part: each event becomes the next leaf, and each batch's leaves
    the tree nodes they complete, committed with the batch's tracking (exactly once).
    The peaks of the committed tree are kept, so a batch reads no nodes back."""

    def __init__(self, view: GovernanceView) -> None:
        self.view = view
        self.reset()

    def reset(self) -> None:
        self.size: int | None = None  # leaves committed, read from the views when needed
        self.pending: list[tuple[int, bytes]] = []  # (position, leaf hash)
        self.peaks: dict[tuple[int, int], bytes] = {}  # of the tree of `size` leaves

    def add(self, position: int, event: Any) -> None:
        self.pending.append((position, merkle.leaf_hash(event_leaf(position, event))))

    def take(self, changes: ViewChanges) -> None:
        if not self.pending:
            return
        if self.size is None:
            self.size = self.view.log_size()
            self.peaks = dict(self.view.log_nodes(merkle.peaks(self.size)))
        stored = ViewNodes(self.view)
        stored.known.update(self.peaks)
        made = merkle.appended_nodes(self.size, [h for _, h in self.pending], stored)
        changes.nodes = made
        changes.leaves = [(self.size + i, p) for i, (p, _) in enumerate(self.pending)]
        self.size += len(self.pending)
        # a peak the batch did not make covers old leaves only, so it was a peak before
        self.peaks = {k: made[k] if k in made else self.peaks[k] for k in merkle.peaks(self.size)}
        self.pending = []
