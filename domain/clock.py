"""The time events are stamped with: the clock of the application recording them.

The real UTC clock by default; a simulated year in the demo; a hand-moved clock in tests.
So an event's `recorded_at`, a proposal's `closes_at` and "power as of" a date all speak of
the same time.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


_current: contextvars.ContextVar[Clock] = contextvars.ContextVar("cogov_clock", default=utc_now)


def now() -> datetime:
    return _current.get()()


@contextmanager
def ticking(clock: Clock) -> Iterator[None]:
    """Events triggered inside are stamped by `clock`."""
    token = _current.set(clock)
    try:
        yield
    finally:
        _current.reset(token)
