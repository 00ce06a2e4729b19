"""Names are read from the directory at once, on every store: each id's shown name, None
for an id the directory never held, the mark of an erased member, and as many ids as a
long page names (more than one query's worth on SQLite)."""

from __future__ import annotations

from cogov.application import Governance


def test_names_are_read_at_once_for_any_number_of_ids(governance: Governance) -> None:
    founded = governance.found_project(
        title="Names", founder_name="Rosa Díaz", founder_perspectives=["researcher"]
    )
    pid, rosa = str(founded.project_id), founded.founder_id
    pat = governance.admit_member(
        pid, display_name="Pat", perspectives=["public"], actor=rosa
    ).member_id
    gone = governance.admit_member(
        pid, display_name="Gone", perspectives=["public"], actor=rosa
    ).member_id
    governance.erase_member(pid, gone, actor=gone)
    strangers = [f"never-held-{i}" for i in range(1200)]
    names = governance.names([pat, rosa, *strangers, pat, gone])
    assert list(names)[:2] == [pat, rosa]  # in the order asked, each once
    assert names[rosa] == "Rosa Díaz" and names[pat] == "Pat"
    assert names[gone] == governance.display_name(gone) != "Gone"
    assert all(names[s] is None for s in strangers)
    assert len(names) == 3 + len(strangers)
    assert governance.names([]) == {}
