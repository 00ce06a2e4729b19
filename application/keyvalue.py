"""Small mutable records kept beside the events: the member directory, credentials,
idempotency records. Unlike events they can be changed and erased.

Commands write them in the events' own transaction (see beside.py); `put`, `add` and
`delete` here are for writes that record no event (a refused request kept for replay)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from eventsourcing.persistence import IntegrityError

from cogov.application.beside import Add, Delete, Put, Write

Record = dict[str, Any]


class KeyValues(Protocol):
    def get(self, namespace: str, key: str) -> Record | None: ...

    def get_many(self, namespace: str, keys: Sequence[str]) -> dict[str, Record]:
        """The records of those `keys` that exist, read at once."""
        ...

    def get_with_version(
        self, namespace: str, key: str, field: str
    ) -> tuple[Record | None, int | None]:
        """The record, and the version the aggregate whose id it holds at `field` has reached
        in the store, read together (None if the store cannot say at no cost, or has no
        such aggregate): so that an aggregate kept in memory can be known current without a
        read of its own."""
        ...

    def put(self, namespace: str, key: str, value: Record) -> None:
        """Insert or replace."""

    def add(self, namespace: str, key: str, value: Record) -> bool:
        """Insert unless the key exists; False (and no change) if it does."""

    def delete(self, namespace: str, key: str) -> None: ...

    def items(self) -> Iterator[tuple[str, str, Record]]:
        """Every record, as (namespace, key, value): for copying a store."""
        ...


class InMemoryKeyValues:
    def __init__(self) -> None:
        self._records: dict[tuple[str, str], Record] = {}
        self._lock = threading.RLock()

    def get(self, namespace: str, key: str) -> Record | None:
        with self._lock:
            value = self._records.get((namespace, key))
            return dict(value) if value is not None else None

    def get_many(self, namespace: str, keys: Sequence[str]) -> dict[str, Record]:
        with self._lock:
            found = {k: self._records.get((namespace, k)) for k in keys}
        return {k: dict(v) for k, v in found.items() if v is not None}

    def get_with_version(
        self, namespace: str, key: str, field: str
    ) -> tuple[Record | None, int | None]:
        return self.get(namespace, key), None  # reading the aggregate costs no I/O here

    def put(self, namespace: str, key: str, value: Record) -> None:
        with self._lock:
            self._records[(namespace, key)] = dict(value)

    def add(self, namespace: str, key: str, value: Record) -> bool:
        with self._lock:
            if (namespace, key) in self._records:
                return False
            self._records[(namespace, key)] = dict(value)
            return True

    def delete(self, namespace: str, key: str) -> None:
        with self._lock:
            self._records.pop((namespace, key), None)

    def items(self) -> Iterator[tuple[str, str, Record]]:
        with self._lock:
            records = list(self._records.items())
        for (namespace, key), value in records:
            yield namespace, key, dict(value)

    def check(self, writes: Sequence[Write]) -> None:
        """Raise IntegrityError if an Add's key is taken."""
        with self._lock:
            for w in writes:
                if isinstance(w, Add) and (w.namespace, w.key) in self._records:
                    raise IntegrityError(f"record {w.namespace}:{w.key} exists")

    def apply(self, writes: Sequence[Write]) -> None:
        """All the writes or none: an Add whose key is taken fails them all."""
        with self._lock:
            self.check(writes)
            for w in writes:
                if isinstance(w, Put | Add):
                    self._records[(w.namespace, w.key)] = dict(w.value)
                elif isinstance(w, Delete):
                    self._records.pop((w.namespace, w.key), None)
