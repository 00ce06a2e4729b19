"""Deadlines and expiries: ahead of now, with a zone, within a horizon."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cogov.domain.errors import InvalidInput
from cogov.domain.language import MAX_HORIZON_DAYS


def check_deadline(moment: datetime, now: datetime, what: str) -> None:
    """A time ahead of `now`, with a zone, within the horizon (and representable in UTC)."""
    if moment.tzinfo is None:
        raise InvalidInput(f"{what} must include a time zone")
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise InvalidInput(f"{what} is out of range") from None
    if moment <= now:
        raise InvalidInput(f"{what} must be in the future")
    if moment - now > timedelta(days=MAX_HORIZON_DAYS):
        raise InvalidInput(f"{what} must be within {MAX_HORIZON_DAYS // 366} years")
