"""Keeping deadlines: proposals close by themselves soon after `closes_at`, as `system`.

Every serving process may keep them: each due proposal is closed once, because a second
closer loses the race for the proposal's next version and then finds it closed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger("cogov.deadlines")


class DeadlineKeeper:
    def __init__(self, close_due: Callable[[], list[int]], every: float = 1.0) -> None:
        self.close_due = close_due
        self.every = every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._keep, name="cogov-deadlines", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _keep(self) -> None:
        while not self._stop.wait(self.every):
            try:
                closed = self.close_due()
            except Exception:  # the store may be down: try again at the next tick
                log.exception("closing due proposals failed; trying again")
                continue
            if closed:
                log.info("closed %d due proposal(s)", len(closed))
