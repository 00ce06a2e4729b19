"""RFC 8785 (JCS) canonical JSON, fast for the values events hold.

The `rfc8785` package is the reference, but in pure Python it cost half the time of
recording an event. For JSON whose integers JavaScript represents exactly, whose floats are
not whole numbers and lie between 1e-4 and 1e16 (where both write the shortest round trip
in fixed notation), and whose keys are in the Basic Multilingual Plane, the standard
library's sorted, compact encoder already writes exactly the JCS bytes (same escapes, same
key order), so it is used there; anything else goes to `rfc8785`. A property test holds
the two to each other.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

import rfc8785

from cogov.application.records import utc_iso

_SAFE_INT = 2**53  # JCS writes numbers as JavaScript does; beyond this they are not exact
_encode = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
).encode


def canonical_json(value: Any) -> bytes:
    return encode_checked(*plain_checked(value))


def _text(value: str) -> bool:
    """No lone surrogates (not encodable as UTF-8; the reference refuses them)."""
    return value.isascii() or not any("\ud800" <= c <= "\udfff" for c in value)


def _key(key: str) -> bool:
    """Keys sort by UTF-16 code units in JCS and by code points here: the same order
    unless a key holds a character beyond the Basic Multilingual Plane."""
    return _text(key) and all(c <= "\uffff" for c in key)


def plain_checked(value: Any) -> tuple[Any, bool]:
    """The JSON-ready copy of an event's value (as records.plain makes it: UUIDs and times
    as text, enums as their values) and whether the standard encoder writes it canonically,
    in one walk: the log renders every event this way."""
    kind = type(value)
    if kind is str:
        return value, value.isascii() or _text(value)
    if kind is int:
        return value, -_SAFE_INT < value < _SAFE_INT
    if value is None or kind is bool:
        return value, True
    if kind is float:
        return value, not value.is_integer() and 1e-4 <= abs(value) < 1e16
    if isinstance(value, dict):
        copy: dict[str, Any] = {}
        safe = True
        for key, item in value.items():
            name = str(key)
            copy[name], item_safe = plain_checked(item)
            safe = safe and item_safe and (name.isascii() or _key(name))
        return copy, safe
    if isinstance(value, list | tuple):
        items = []
        safe = True
        for item in value:
            converted, item_safe = plain_checked(item)
            items.append(converted)
            safe = safe and item_safe
        return items, safe
    if isinstance(value, UUID):
        return str(value), True
    if isinstance(value, datetime):
        return utc_iso(value), True
    if isinstance(value, Enum):
        return plain_checked(value.value)
    return value, False


def encode_checked(value: Any, safe: bool) -> bytes:
    """Canonical JSON of a value plain_checked made."""
    return _encode(value).encode("utf-8") if safe else bytes(rfc8785.dumps(value))
