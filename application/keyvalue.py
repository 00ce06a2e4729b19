"""Small mutable records kept beside the events: the member directory, credentials,
idempotency records. Unlike events they can be changed and erased."""

from __future__ import annotations

import threading
from typing import Any, Protocol

Record = dict[str, Any]


class KeyValues(Protocol):
    def get(self, namespace: str, key: str) -> Record | None: ...

    def put(self, namespace: str, key: str, value: Record) -> None:
        """Insert or replace."""

    def add(self, namespace: str, key: str, value: Record) -> bool:
        """Insert unless the key exists; False (and no change) if it does."""

    def delete(self, namespace: str, key: str) -> None: ...


class InMemoryKeyValues:
    def __init__(self) -> None:
        self._records: dict[tuple[str, str], Record] = {}
        self._lock = threading.Lock()

    def get(self, namespace: str, key: str) -> Record | None:
        with self._lock:
            value = self._records.get((namespace, key))
            return dict(value) if value is not None else None

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
