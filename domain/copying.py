"""Cheap copies of aggregate state, for the application's aggregate cache."""

from __future__ import annotations

from typing import Any


class CopiesContainers:
    """Deep-copies by copying each top-level dict and list of the state.

    Valid because aggregate state keeps only immutable values (text, numbers, frozen attrs
    value objects, tuples) inside its containers, and events replace or add entries rather
    than changing those values in place. A generic deepcopy of a proposal cost more than
    recording its response.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        clone = object.__new__(type(self))
        for name, value in self.__dict__.items():
            if isinstance(value, dict):
                clone.__dict__[name] = dict(value)
            elif isinstance(value, list):
                clone.__dict__[name] = list(value)
            else:
                clone.__dict__[name] = value
        return clone
