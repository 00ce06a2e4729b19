"""Saves in flight: the next command on a busy aggregate starts from the state that a save
still committing will leave, instead of waiting for that commit.

One proposal's commands take turns (turns.py). Were a turn held until its save committed,
a hot proposal would record one response per commit, whatever the store could batch. So a
turn is handed on once the save holds its place in the store's commit order, and the next
command builds on the state it leaves. That save must then commit only if the one it builds
on does: were the first to lose its race to another process, the second, whose versions
follow on, could otherwise commit over a gap and record events that answer a state the
store never held. Stores commit saves in the order they were queued, so a save built on
another is committed in the same transaction or a later one, and checked there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

SETTLE_WAIT = 30.0  # at most, seconds to wait for a save in flight to commit or fail


class Pending:
    """The save of command `command_id` on its way to commit; `committed` is None until the
    store says what became of it."""

    __slots__ = ("_on_queued", "_settled", "command_id", "committed", "was_queued")

    def __init__(self, command_id: str, on_queued: Callable[[], None] | None = None) -> None:
        self.command_id = command_id
        self.committed: bool | None = None
        self.was_queued = False
        self._on_queued = on_queued
        self._settled = threading.Event()

    def queued(self) -> None:
        """The store has the save in its commit order: saves that follow commit after it. A
        store without a commit order (in memory, where a save commits as it is made) never
        says so."""
        self.was_queued = True
        on_queued, self._on_queued = self._on_queued, None  # it holds the saved aggregates
        if on_queued is not None:
            on_queued()

    @property
    def settled(self) -> bool:
        """The store's word is final: until then a save's transaction may still fail."""
        return self._settled.is_set()

    def settle(self, committed: bool, *, final: bool = True) -> None:
        """The store's word on the save. Within the transaction that commits it, the word is
        provisional (`final=False`), for the saves after it in that transaction to see."""
        self.committed = committed
        if final:
            self._settled.set()

    def wait(self, timeout: float = SETTLE_WAIT) -> bool:
        return self._settled.wait(timeout)
