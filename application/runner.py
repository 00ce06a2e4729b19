"""Keeps the views following the event store, in batches, exactly once.

eventsourcing's ProjectionRunner hands a projection one event at a time, and a view that
commits per event is capped by the store's commit rate (about 730/s on PostgreSQL here).
This runner pulls notifications in batches from the application's recorder (which every
store supports, including SQLite, whose recorder has no subscription), applies them, and
commits the batch's row changes together with the tracking position of its last event in
one transaction. A batch that was already applied (by another runner, say) fails on the
tracking row and is discarded, so no event is applied twice or skipped.

Where several processes follow one store (`cogov serve --workers N`, or several hosts), one
of them leads: only the leader keeps the views, the others read them and wait for them like
any reader. Racing runners would be safe but would each apply every event, all but one in
vain. If the leader goes, another takes the lead within about a second.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from eventsourcing.persistence import IntegrityError, Tracking

from cogov.application.projection import GovernanceProjection
from cogov.application.views import GovernanceView

log = logging.getLogger("cogov.views")
Progress = Callable[[int, int], None]  # (position reached, head of the store)
# Calls its first argument whenever events are saved, until the event is set (optional).
WakeSource = Callable[[Callable[[], None], threading.Event], object]


class Leadership(Protocol):
    """Which one of the processes following a store keeps its views."""

    def lead(self) -> bool:
        """Whether this process leads now, taking the lead if nobody holds it (cheap to ask
        often: the store is asked at most about once a second)."""
        ...

    def release(self) -> None: ...


class ViewRunner:
    def __init__(
        self,
        app: Any,
        view: GovernanceView,
        *,
        batch: int = 1000,
        poll_interval: float = 0.1,
        pace: float = 0.005,
        wake_source: WakeSource | None = None,
        leadership: Leadership | None = None,
    ) -> None:
        self.app = app
        self.wake_source = wake_source
        self.leadership = leadership
        self.view = view
        self.batch = batch
        self.poll_interval = poll_interval
        self.pace = pace
        self.projection = GovernanceProjection(app.repository, view)
        self._committed: int | None = None  # the position this runner's memory matches
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def name(self) -> str:
        return str(self.app.name)

    def position(self) -> int:
        return self.view.position(self.name)

    def catch_up(self, progress: Progress | None = None) -> int:
        """Apply every stored event not yet in the views; return the position reached."""
        return self._advance(progress, leading=False)

    def _advance(self, progress: Progress | None, *, leading: bool) -> int:
        """`leading`: called by the loop that keeps the views, which alone moves them, so
        they are where it committed last (if another runner moved them after all, the
        commit finds out: it checks the position in its own transaction). Any other caller
        (a process that does not lead, say) reads where the views are first."""
        with self._lock:
            if self._committed is None or not leading:
                position = self.view.position(self.name)
                if position != self._committed:
                    # someone else moved the views: what this runner remembers is stale
                    self.projection.reset()
                    self._committed = position
            position = self._committed
            head = (self.app.recorder.max_notification_id() or 0) if progress else None
            # the projection must hold a whole batch's aggregates without evicting any
            limit = max(1, min(self.batch, self.projection.cache // 2))
            while head is None or position < head:
                notifications = self.app.recorder.select_notifications(
                    start=position, limit=limit, inclusive_of_start=False
                )
                if not notifications:
                    break
                if head is None and len(notifications) == limit:
                    # more may follow: go no further than where the store is now, so that a
                    # steady stream of new events cannot keep this call from returning
                    head = self.app.recorder.max_notification_id() or 0
                last = int(notifications[-1].id)
                try:
                    for n in notifications:
                        self.projection.process(self.app.mapper.to_domain_event(n), int(n.id))
                    changes = self.projection.take_changes()
                    self.view.commit(changes, Tracking(self.name, last), position)
                except IntegrityError:
                    self.projection.reset()
                    moved = self.view.position(self.name)
                    if moved == position:
                        raise  # not a race with another runner: a real conflict in the rows
                    position = self._committed = moved  # another runner got there first
                    continue
                except BaseException:
                    self.projection.reset()  # nothing of this batch was committed
                    self._committed = position
                    raise
                position = self._committed = last
                if progress is not None and head is not None:
                    progress(position, head)
                if head is None and len(notifications) < limit:
                    break  # that was the last of them
            return position

    def rebuild(self, progress: Progress | None = None) -> int:
        """Drop the views and apply every event again."""
        with self._lock:
            self.view.clear(self.name)
            self.projection.reset()
            self._committed = 0
        return self.catch_up(progress)

    def wait(self, position: int, timeout: float = 5.0) -> bool:
        """Until the views include `position`: in the background runner's time if it runs,
        else by catching up now. False if that takes longer than `timeout`."""
        if self.view.position(self.name) >= position:
            return True
        if not self.running:
            return self.catch_up() >= position
        self.notify()
        deadline = time.monotonic() + timeout
        pause = 0.002
        while self.view.position(self.name) < position:
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        return True

    # --- following in the background ------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def notify(self) -> None:
        """New events were saved (in this process): wake the background runner."""
        self._wake.set()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        if self.wake_source is not None:
            self.wake_source(self.notify, self._stop)
        self._thread = threading.Thread(target=self._follow, name="cogov-views", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self.leadership is not None:
            self.leadership.release()

    def leads(self) -> bool:
        """Whether this runner keeps the views (it does unless another process leads)."""
        return self.leadership is None or self.leadership.lead()

    def run_forever(self, *, stop: threading.Event | None = None) -> None:
        """Follow the store in this thread until `stop` is set (for `cogov projections run`):
        woken by the store's notifications where it has them, else by polling."""
        stop = stop or self._stop
        if self.wake_source is not None:
            self.wake_source(self.notify, stop)
        try:
            while not stop.is_set():
                began = time.monotonic()
                if self.leads():
                    self._advance(None, leading=True)
                self._pause(stop)
                self._paced(stop, began)
        finally:
            if self.leadership is not None:
                self.leadership.release()

    def _pause(self, stop: threading.Event) -> None:
        """Until woken, the poll interval passes, or `stop` is set (checked often)."""
        deadline = time.monotonic() + self.poll_interval
        while not stop.is_set() and not self._wake.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._wake.wait(min(remaining, 0.25))
        self._wake.clear()

    def _paced(self, stop: threading.Event, began: float) -> None:
        """After a wake-up, let `pace` pass since the last batch began: under a steady
        stream a batch then takes the events of a few milliseconds, not one (a batch's
        transaction and writes cost several times an event's work), while a quiet store's
        first event is applied at once."""
        wait = began + self.pace - time.monotonic()
        if wait > 0:
            stop.wait(wait)

    def _follow(self) -> None:
        while not self._stop.is_set():
            began = time.monotonic()
            try:
                if self.leads():
                    self._advance(None, leading=True)
            except Exception:  # keep following; queries report a stale view by timing out
                log.exception("the views runner failed; retrying")
                time.sleep(self.poll_interval)
            self._pause(self._stop)
            self._paced(self._stop, began)
