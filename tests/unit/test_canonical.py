"""The fast canonical JSON writes exactly what the RFC 8785 reference writes."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from cogov.application.canonical import canonical_json
from cogov.application.records import EventRecord, plain
from cogov.application.trail import event_record
from cogov.application.verifiable_log import event_leaf, leaf_data
from cogov.infrastructure import open_governance
from tests.workload import generate

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=1000)
@given(values)
def test_the_same_bytes_as_the_reference(value: Any) -> None:
    try:
        expected = rfc8785.dumps(value)
    except Exception:  # the reference refuses it (a lone surrogate, a huge integer)
        try:
            canonical_json(value)
        except Exception:
            return
        raise AssertionError(f"accepted what the reference refuses: {value!r}") from None
    assert canonical_json(value) == expected


def test_the_cases_where_the_standard_encoder_differs_go_to_the_reference() -> None:
    for value in (
        {"quorum": 1.0},  # JCS writes 1, Python 1.0
        {"\U0001f600": 1, "\uff61": 2},  # UTF-16 order differs from code point order
        {"t": "\u001f\u007f\u2028"},
    ):
        assert canonical_json(value) == rfc8785.dumps(value)
    with pytest.raises(rfc8785.IntegerDomainError):  # refused, as the reference does
        canonical_json({"big": 2**53 + 1})


def test_a_leaf_is_the_reference_canonical_json_of_the_trails_event() -> None:

    record = EventRecord(
        position=7,
        type="CharterAmended",
        aggregate_id=__import__("uuid").UUID(int=5),
        version=3,
        recorded_at="2026-03-02T09:00:00.000000Z",
        actor="a",
        data={"changes": {"quorum": 1.0, "required_perspectives": ["public"]}, "n": 2},
    )
    assert leaf_data(record) == rfc8785.dumps(plain(attrs.asdict(record)))


def test_the_one_walk_leaf_is_the_trails_event_canonicalised() -> None:
    """What the projection and `audit verify` write, event by event, is the leaf data of
    the event as the trail shows it (charters with fractions, journals, erasure included)."""

    gov = open_governance("memory://")
    try:
        project = generate(gov, 400)
        founded = gov.found_project(
            title="Fractions \u00e9\u4e2d",
            founder_name="Ann",
            founder_perspectives=["researcher"],
            charter={"quorum": 0.75, "threshold": 2 / 3, "key_rule": "supermajority"},
        )
        gov.record_recognition(
            founded.project_id,
            member_id=founded.founder_id,
            kind="payment_claimed",
            amount_minor=2500,
            currency="GBP",
            actor=founded.founder_id,
        )
        gov.erase_member(founded.project_id, founded.founder_id, actor=founded.founder_id)
        assert project
        for n in gov.recorder.select_notifications(start=1, limit=10_000):
            event = gov.mapper.to_domain_event(n)
            assert event_leaf(int(n.id), event) == leaf_data(event_record(int(n.id), event))
    finally:
        gov.close()
