"""Retrying a command that lost an optimistic-concurrency race, or that was refused on state
this process had cached and another process has since changed."""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from cogov.domain import GovernanceError

P = ParamSpec("P")
R = TypeVar("R")

RETRY_FOR_SECONDS = 30.0  # many members responding at once may each lose many races


class LostRace(Exception):
    """Saving the events failed (another writer took the version, or the store was busy), so
    nothing was recorded and the whole command may safely run again."""


def retrying(command: Callable[P, R]) -> Callable[P, R]:
    """Re-run a command whose save lost a race for an aggregate version. Only a failed save
    is retried: an error after the events were recorded is never a reason to record again.

    A command refused by the domain is run once more on freshly loaded state if it used
    cached aggregates (the application's `fresh_retry()` says whether it did): the refusal
    may rest on what another process has since changed.
    """

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        app: Any = args[0] if args else None
        delay = 0.002
        deadline = time.monotonic() + RETRY_FOR_SECONDS
        refreshed = False
        while True:
            try:
                return command(*args, **kwargs)
            except LostRace as lost:
                if time.monotonic() > deadline:
                    raise lost.__cause__ or lost from None
                time.sleep(random.uniform(0, delay))
                delay = min(delay * 2, 0.05)
            except GovernanceError:
                fresh_retry = getattr(app, "fresh_retry", None)
                if refreshed or fresh_retry is None or not fresh_retry():
                    raise
                refreshed = True
            finally:
                end = getattr(app, "end_attempt", None)
                if end is not None:
                    end()

    return run
