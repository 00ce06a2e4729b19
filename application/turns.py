"""Turns: the commands of this process that change one aggregate run one after another, in
the order they asked.

A turn passes straight from the command that ends it to the one that has waited longest,
so no later arrival overtakes a waiting command. A plain lock gives no such order: whoever
is scheduled first takes it, a newcomer included, and with locks shared by stripes of ids,
commands on different aggregates also waited for each other. Under 32 concurrent responses
spread over 32 proposals that left one response in a hundred waiting over 300 ms for its
turn while the median waited none.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Hashable


class Turns:
    """One queue per aggregate being changed, none for the others."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[Hashable, deque[threading.Lock]] = {}

    def take(self, key: Hashable) -> None:
        """Wait for `key`'s turn: at once if nobody holds it, else after those before."""
        with self._lock:
            queue = self._waiting.get(key)
            if queue is None:
                self._waiting[key] = deque()
                return
            handed = threading.Lock()
            handed.acquire()
            queue.append(handed)
        try:
            handed.acquire()  # released by `give_up`, which hands the turn over
        except BaseException:
            self._withdraw(key, handed)
            raise

    def give_up(self, key: Hashable) -> None:
        """End the turn held for `key`: the longest waiting command takes it."""
        with self._lock:
            queue = self._waiting[key]
            if queue:
                queue.popleft().release()
            else:
                del self._waiting[key]

    def queued(self, key: Hashable) -> int:
        """How many commands hold or wait for `key`'s turn (0: it is free)."""
        with self._lock:
            queue = self._waiting.get(key)
            return 0 if queue is None else 1 + len(queue)

    def _withdraw(self, key: Hashable, handed: threading.Lock) -> None:
        """A wait interrupted: leave the queue, or pass on a turn handed over meanwhile."""
        with self._lock:
            queue = self._waiting[key]
            if handed in queue:
                queue.remove(handed)
                return
        self.give_up(key)
