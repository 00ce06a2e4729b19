"""Retrying a command that lost an optimistic-concurrency race."""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

MAX_ATTEMPTS = 60


class LostRace(Exception):
    """Saving the events failed (another writer took the version, or the store was busy), so
    nothing was recorded and the whole command may safely run again."""


def retrying(command: Callable[P, R]) -> Callable[P, R]:
    """Re-run a command whose save lost a race for an aggregate version. Only a failed save
    is retried: an error after the events were recorded is never a reason to record again."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        delay = 0.002
        for attempt in range(MAX_ATTEMPTS):
            try:
                return command(*args, **kwargs)
            except LostRace as lost:
                if attempt == MAX_ATTEMPTS - 1:
                    raise lost.__cause__ or lost from None
                time.sleep(random.uniform(0, delay))
                delay = min(delay * 2, 0.1)
        raise AssertionError("unreachable")  # pragma: no cover

    return run
