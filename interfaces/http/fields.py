"""The field types request bodies share, so each limit and rule is stated once."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from cogov.domain.text import MAX_NAME, MAX_REASON, MAX_TEXT


def canonical_id(value: str) -> str:
    """Ids are case-insensitive: the canonical form is lower case."""
    return value.strip().lower()


Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
Reason = Annotated[str, Field(max_length=MAX_REASON)]
MemberId = Annotated[str, Field(min_length=1, max_length=MAX_NAME), AfterValidator(canonical_id)]
Flag = Annotated[bool, Field(strict=True)]  # a JSON boolean, never a string or a number


def iso_text(value: object) -> object:
    """Times and dates come as ISO 8601 text only: pydantic would read a bare number as
    seconds since 1970, which no user means."""
    if not isinstance(value, str):
        raise ValueError("give it as ISO 8601 text, such as 2026-03-01 or 2026-03-01T12:00:00Z")
    return value


def iso_date_text(value: object) -> object:
    """A date is YYYY-MM-DD: not a number, nor a time that happens to fall at midnight."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("give the date as YYYY-MM-DD, such as 2026-03-01")
    return value


Instant = Annotated[datetime, BeforeValidator(iso_text)]
Day = Annotated[date, BeforeValidator(iso_date_text)]


def zoned_time(text: object) -> datetime:
    """An ISO 8601 time with its zone. Never a bare number: pydantic would read `0.5` as
    seconds since 1970, which no user means."""
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        raise ValueError("an ISO 8601 time with a zone, such as 2026-03-01T12:00:00Z") from None
    if moment.tzinfo is None:
        raise ValueError("the time needs a zone, such as Z or +01:00")
    return moment


# a time in a query: ISO 8601 text with its zone
Moment = Annotated[
    datetime, BeforeValidator(zoned_time), WithJsonSchema({"type": "string", "format": "date-time"})
]
# the moment a read answers for, as a query parameter (absent: now)
AsOf = Annotated[Moment | None, Query(description="ISO 8601 time with zone")]
