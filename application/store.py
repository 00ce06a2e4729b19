"""Whether the store can be reached now, so a request can be told at once when it cannot,
rather than waiting on a store that is down."""

from __future__ import annotations

from typing import Protocol

from cogov.domain import GovernanceError


class StoreUnavailable(GovernanceError):
    """The store cannot be reached now; nothing was recorded. Try again shortly."""

    code = "store_unavailable"


class StoreStatus(Protocol):
    # Whether the store's reads wait on no server (a file or memory of this machine): a
    # short read then takes less time than handing it to another thread.
    local: bool

    def available(self) -> bool:
        """False from a failure seen until the store answers again."""
        ...

    def failed(self) -> None:
        """A call to the store failed as if it were unreachable: check it."""
        ...

    def close(self) -> None: ...


class AlwaysAvailable:
    """For stores in this process (memory) or in a local file (SQLite)."""

    local = True

    def available(self) -> bool:
        return True

    def failed(self) -> None:
        pass

    def close(self) -> None:
        pass
