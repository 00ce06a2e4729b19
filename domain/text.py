"""Limits on what people write, defined once for the domain and the API's schemas.

Names (titles, role names, display names) stay short enough for a table cell; texts hold a
proposal, an amendment or a comment; reasons explain a stance or a withdrawal.
"""

from __future__ import annotations

from cogov.domain.errors import InvalidInput

MAX_NAME = 200
MAX_TEXT = 20_000
MAX_REASON = 5_000
MAX_RESPONSIBILITIES = 2_000


def check_unicode(value: str, what: str) -> str:
    """Text that can be stored: no lone surrogate halves (JSON can carry them as escapes,
    but they are not characters, and no event or record could hold them)."""
    if not value.isascii() and any("\ud800" <= c <= "\udfff" for c in value):
        raise InvalidInput(f"{what} holds a lone surrogate (\\ud800-\\udfff): not valid text")
    return value


def clean_name(value: object, what: str = "title") -> str:
    """A non-empty name of at most MAX_NAME characters, trimmed."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{what} must not be empty")
    if len(value.strip()) > MAX_NAME:
        raise InvalidInput(f"{what} must be at most {MAX_NAME} characters")
    return check_unicode(value.strip(), what)


def clean_text(value: object, what: str) -> str:
    """A non-empty text of at most MAX_TEXT characters, trimmed."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{what} must not be empty")
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"{what} must be at most {MAX_TEXT} characters")
    return check_unicode(value.strip(), what)


def clean_reason(value: object, what: str = "reason") -> str | None:
    """An optional reason: None when absent or blank, else trimmed text within MAX_REASON."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text")
    if len(value) > MAX_REASON:
        raise InvalidInput(f"{what} must be at most {MAX_REASON} characters")
    return check_unicode(value.strip(), what) or None
