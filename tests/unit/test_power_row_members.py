"""The members a stored power row shows, found without decoding the row, are exactly the
members decoding it finds, whatever the ids and names hold."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from cogov.application.views import MemberPower, PowerRow
from cogov.infrastructure.views.rows import dump

texts = st.text(max_size=12)
names = st.lists(st.sampled_from(["public", "researcher", "member_id", "roles"]), max_size=3)
members = st.builds(
    MemberPower,
    member_id=texts,
    perspectives=names,
    voting_power=st.none() | st.floats(0, 1),
    authority=st.none() | st.floats(0, 1),
    influence=st.none() | st.floats(0, 1),
    roles=names,
    areas=names,
)
rows = st.builds(
    PowerRow,
    project_id=texts,
    position=st.integers(1, 10**9),
    version=st.integers(1, 10**6),
    as_of=texts,
    as_of_us=st.integers(0, 10**16),
    stage=texts,
    shift=texts,
    perspectives=st.dictionaries(
        texts, st.dictionaries(st.sampled_from(["share", "member_id"]), st.none() | st.floats(0, 1))
    ),
    members=st.lists(members, max_size=6),
    hhi=st.dictionaries(texts, st.none() | st.floats(0, 1)),
    gini=st.dictionaries(texts, st.none() | st.floats(0, 1)),
    not_computed=st.dictionaries(st.sampled_from(["voting_power", "influence"]), texts),
)


@given(rows)
def test_the_members_are_found_as_decoding_finds_them(row: PowerRow) -> None:
    shown = [m.member_id for m in row.members]
    assert PowerRow.members_in(dump(row)) == shown
    # whatever the spacing of the encoder that wrote it
    assert PowerRow.members_in(json.dumps(row.to_dict(), indent=1)) == shown


def test_an_id_with_quotes_and_backslashes() -> None:
    odd = MemberPower('a"b\\c', ("public",), None, None, None, (), ())
    row = PowerRow("p", 1, 1, "t", 0, "s", "shift", {}, (odd,), {}, {})
    assert PowerRow.members_in(dump(row)) == ['a"b\\c']
