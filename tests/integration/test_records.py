"""Records read together come back as they were put, on every store, whatever their keys
and values hold: quotes, backslashes, control characters, text in any script, nesting."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cogov.application import Governance

# what every store keeps as text: no NUL (PostgreSQL refuses it), no lone surrogate
TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
RECORDS = st.dictionaries(TEXT, st.dictionaries(TEXT, VALUES, max_size=3), max_size=6)
_namespaces = itertools.count()


@given(RECORDS, st.lists(TEXT, max_size=3))
def test_records_read_together_are_the_records_put(
    governance: Governance, records: dict[str, dict[str, Any]], absent: list[str]
) -> None:
    store = governance.directory.records
    namespace = f"test-{next(_namespaces)}"  # each example apart from the others
    for key, value in records.items():
        store.put(namespace, key, value)
    asked = [*records, *(a for a in absent if a not in records)]
    assert store.get_many(namespace, asked) == records
    assert store.get_many(namespace, absent) == {k: records[k] for k in absent if k in records}
