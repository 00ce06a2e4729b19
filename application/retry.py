"""Retrying a command that lost an optimistic-concurrency race, or that was refused on state
this process had cached and another process has since changed."""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from cogov.application.aggregates import Aggregates, LostRace
from cogov.domain import GovernanceError
from cogov.domain.clock import Clock, ticking

P = ParamSpec("P")
R = TypeVar("R")

RETRY_FOR_SECONDS = 30.0  # many members responding at once may each lose many races


class HasAggregates(Protocol):
    @property
    def aggregates(self) -> Aggregates: ...

    clock: Clock


S = TypeVar("S", bound=HasAggregates)


def retrying(command: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Re-run a command whose save lost a race for an aggregate version. Only a failed save
    is retried: an error after the events were recorded is never a reason to record again.

    A command refused by the domain is run once more on freshly loaded state if it used
    cached aggregates: the refusal may rest on what another process has since changed.
    """

    @functools.wraps(command)
    def run(app: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        # every attempt saves under the command's one id, its events stamped by the app's clock
        with app.aggregates.command(), ticking(app.clock):
            return attempts(app, *args, **kwargs)

    def attempts(app: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        delay = 0.002
        deadline = time.monotonic() + RETRY_FOR_SECONDS
        refreshed = False
        while True:
            with app.aggregates.attempt():
                try:
                    return command(app, *args, **kwargs)
                except LostRace as lost:
                    if time.monotonic() > deadline:
                        raise lost.__cause__ or lost from None
                except GovernanceError:
                    if refreshed or not app.aggregates.forget_used():
                        raise
                    refreshed = True
                    continue
            # lost a race: wait a little, outside the attempt (its turn is given up)
            time.sleep(random.uniform(0, delay))
            delay = min(delay * 2, 0.05)

    return run
