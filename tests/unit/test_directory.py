"""How a member is shown: one rule, whether the entry is made or read as stored."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cogov.application.directory import (
    ERASED_NAME,
    DirectoryEntry,
    MemberDirectory,
    ShownAs,
)
from cogov.application.keyvalue import InMemoryKeyValues

entries = st.builds(
    DirectoryEntry,
    display_name=st.text(min_size=1, max_size=20).filter(lambda t: t.strip() != ""),
    pen_name=st.none() | st.text(max_size=10),
    shown_as=st.sampled_from(list(ShownAs)),
    erased=st.booleans(),
)


@given(st.lists(entries, max_size=5))
def test_names_read_as_stored_are_the_names_entries_show(listed: list[DirectoryEntry]) -> None:
    ids = [f"m{i}" for i in range(len(listed))]
    directory = MemberDirectory(InMemoryKeyValues())
    for m, entry in zip(ids, listed, strict=True):
        directory.put(m, entry)  # kept as plain values, as every store keeps them
    assert directory.names([*ids, "system"]) == {
        **{m: e.shown_name for m, e in zip(ids, listed, strict=True)},
        "system": None,
    }


def test_each_way_of_being_shown() -> None:
    full = DirectoryEntry("Ada King Lovelace", pen_name="Countess")
    assert full.shown_name == "Ada King Lovelace"
    assert DirectoryEntry(full.display_name, shown_as=ShownAs.INITIALS).shown_name == "A. K. L."
    assert (
        DirectoryEntry(full.display_name, "Countess", shown_as=ShownAs.PEN_NAME).shown_name
        == "Countess"
    )
    assert DirectoryEntry(full.display_name, None, ShownAs.PEN_NAME).shown_name == full.display_name
    assert DirectoryEntry("", erased=True).shown_name == ERASED_NAME
