"""The verifiable log on every store: leaves are the trail's events in canonical JSON, the
checkpoints are signed C2SP notes, every proof verifies against a root recomputed here, a
rebuilt or altered log is never signed, and `verify` names the first altered position."""

from __future__ import annotations

import base64
import sqlite3
from typing import Any

import attrs
import psycopg
import pytest
import rfc8785

from cogov.application import Governance, merkle, notes
from cogov.application.records import plain
from cogov.application.verifiable_log import LogDiverged, LogIncomplete
from cogov.infrastructure import open_governance
from tests.support import Clock


def busy(gov: Governance, proposals: int = 3) -> str:
    """A project with a few proposals, responses and a closing: a couple of dozen events."""
    founded = gov.found_project(
        title="Moving on", founder_name="Rosa", founder_perspectives=["researcher"]
    )
    rosa = founded.founder_id
    pam = gov.admit_member(
        founded.project_id, display_name="Pam", perspectives=["public"], actor=rosa
    ).member_id
    for i in range(proposals):
        tabled = gov.table_proposal(
            founded.project_id, title=f"P{i}", text="x", area="methods", actor=rosa
        )
        gov.respond(tabled.proposal_id, stance="consent", reason="fine", actor=pam)
        gov.respond(tabled.proposal_id, stance="consent", actor=rosa)
        gov.close_proposal(tabled.proposal_id, actor=rosa)
    return str(founded.project_id)


def recomputed_leaves(gov: Governance) -> list[bytes]:
    """Leaf hashes computed here, from the trail, with the canonical JSON library itself."""
    return [
        merkle.leaf_hash(rfc8785.dumps(plain(attrs.asdict(e)))) for e in gov.events_after(0, 1000)
    ]


def opened(gov: Governance, note: str) -> notes.Checkpoint:
    verifier = notes.parse_verifier_key(gov.verifiable_log.verifier_key())
    return notes.parse_checkpoint(notes.open_note(note, verifier))


def test_checkpoints_and_proofs_verify_against_an_independent_recomputation(
    governance: Governance,
) -> None:
    busy(governance)
    leaves = recomputed_leaves(governance)
    first = opened(governance, governance.checkpoint())
    assert (first.size, first.root) == (len(leaves), merkle.root_of(leaves))
    for index, leaf in enumerate(leaves):
        position = governance.events_after(0, 1000)[index].position
        proof = governance.verifiable_log.inclusion(position)
        assert proof.leaf_index == index
        assert merkle.leaf_hash(base64.b64decode(proof.leaf)) == leaf
        path = [base64.b64decode(h) for h in proof.proof]
        assert merkle.verify_inclusion(leaf, index, len(leaves), path, first.root)

    busy(governance, proposals=1)
    second = opened(governance, governance.checkpoint())
    consistency = governance.verifiable_log.consistency(first.size, second.size)
    path = [base64.b64decode(h) for h in consistency.proof]
    assert merkle.verify_consistency(first.size, second.size, first.root, second.root, path)
    forged = bytes(32)
    assert not merkle.verify_consistency(first.size, second.size, forged, second.root, path)
    older = governance.verifiable_log.inclusion(
        governance.events_after(0, 1)[0].position, first.size
    )
    older_path = [base64.b64decode(h) for h in older.proof]
    assert merkle.verify_inclusion(leaves[0], 0, first.size, older_path, first.root)
    assert governance.verify_log().ok


def test_the_checkpoint_is_a_c2sp_signed_note(governance: Governance) -> None:
    busy(governance, proposals=1)
    note = governance.checkpoint()
    key = governance.verifiable_log.verifier_key()
    name, key_id, _ = key.split("+", 2)  # the key's base64 may hold a '+' too
    body, _, signature = note.partition("\n\n")
    origin, size, root = body.split("\n")
    assert origin == name == governance.verifiable_log.origin
    assert int(size) == len(governance.events_after(0, 1000))  # every event, one leaf each
    assert len(base64.b64decode(root)) == 32
    assert signature.startswith(f"\u2014 {name} ") and signature.endswith("\n")
    assert base64.b64decode(signature.split(" ")[2])[:4].hex() == key_id


def test_a_log_that_no_longer_extends_the_last_checkpoint_is_never_signed(
    shared_store_url: str, clock: Clock, tmp_path: Any
) -> None:
    key = tmp_path / "signing.key"
    gov = open_governance(shared_store_url, clock=clock, signing_key=key)
    try:
        busy(gov)
        gov.checkpoint()
        alter(shared_store_url, position=1)
        gov.rebuild_views()  # the views now hold a log built from the altered events
        with pytest.raises(LogDiverged):
            gov.checkpoint()
    finally:
        gov.close()


def alter(url: str, *, position: int, how: str = "bytes") -> None:
    """Change the stored event at `position` behind cogov's back: its bytes (the project's
    title), its place in the order (swapped with the next event), or its existence."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url[len("sqlite:///") :]) as db:
            retitle = (
                "UPDATE stored_events SET state = CAST(REPLACE(CAST(state AS TEXT),"
                " 'Moving on', 'Moving off') AS BLOB) WHERE rowid = ?"
            )
            change(db.execute, "stored_events", "rowid = ?", retitle, position, how)
        return
    base, _, schema = url.partition("?schema=")
    with psycopg.connect(base, autocommit=True) as db:
        db.execute(f'SET search_path TO "{schema}"')
        retitle = (
            "UPDATE governance_events SET state = convert_to(replace(convert_from(state, "
            "'UTF8'), 'Moving on', 'Moving off'), 'UTF8') WHERE notification_id = %s"
        )
        change(db.execute, "governance_events", "notification_id = %s", retitle, position, how)


def change(execute: Any, table: str, at: str, retitle: str, position: int, how: str) -> None:
    """`at` selects an event by its position (SQLite keeps it as the rowid)."""
    if how == "bytes":
        execute(retitle, (position,))
    elif how == "delete":
        execute(f"DELETE FROM {table} WHERE {at}", (position,))
    elif how == "order":
        move = f"UPDATE {table} SET {at} WHERE {at}"
        execute(move, (-1, position))
        execute(move, (position, position + 1))
        execute(move, (position + 1, -1))


@pytest.mark.parametrize("how", ["bytes", "delete", "order"])
def test_verify_names_the_first_altered_position(
    shared_store_url: str, clock: Clock, tmp_path: Any, how: str
) -> None:
    key = tmp_path / "signing.key"
    gov = open_governance(shared_store_url, clock=clock, signing_key=key)
    try:
        busy(gov)
        kept = gov.checkpoint()
        verifier = gov.verifiable_log.verifier_key()
        assert gov.verify_log(checkpoint=kept, key=verifier).ok  # untouched, it verifies
        target = gov.events_after(5, 1)[0].position
    finally:
        gov.close()
    if how == "bytes":
        target = 1  # the founding event names the title
    alter(shared_store_url, position=target, how=how)
    gov = open_governance(shared_store_url, clock=clock, signing_key=key)
    try:
        verdict = gov.verify_log(checkpoint=kept, key=verifier)
    finally:
        gov.close()
    assert not verdict.ok
    assert verdict.first_difference == target
    assert any("checkpoint" in p for p in verdict.problems)  # the kept checkpoint proves it


def test_every_size_from_1_to_64_proves_against_a_recomputed_root(clock: Clock) -> None:
    gov = open_governance("memory://", clock=clock)
    try:
        founded = gov.found_project(
            title="Growing", founder_name="Rosa", founder_perspectives=["researcher"]
        )
        while gov.max_position() < 64:
            gov.define_role(
                founded.project_id, name=f"Role {gov.max_position()}", actor=founded.founder_id
            )
            gov.catch_up()
            leaves = recomputed_leaves(gov)
            size = len(leaves)
            assert gov.verifiable_log.root(size) == merkle.root_of(leaves)
            for index, leaf in enumerate(leaves):
                proof = gov.inclusion_proof(index + 1)
                path = [base64.b64decode(h) for h in proof.proof]
                assert merkle.verify_inclusion(leaf, index, size, path, merkle.root_of(leaves))
            for old in range(size + 1):
                consistency = gov.consistency_proof(old, size)
                path = [base64.b64decode(h) for h in consistency.proof]
                old_root = merkle.root_of(leaves[:old])
                assert merkle.verify_consistency(old, size, old_root, merkle.root_of(leaves), path)
    finally:
        gov.close()


def test_erasing_a_member_keeps_the_log_verifying(governance: Governance) -> None:
    founded = governance.found_project(
        title="Moving on", founder_name="Rosa Lind", founder_perspectives=["researcher"]
    )
    pam = governance.admit_member(
        founded.project_id,
        display_name="Pam Ode",
        perspectives=["public"],
        actor=founded.founder_id,
    ).member_id
    kept = governance.checkpoint()
    key = governance.verifiable_log.verifier_key()
    governance.erase_member(founded.project_id, pam, actor=pam)
    verdict = governance.verify_log(checkpoint=kept, key=key)
    assert verdict.ok, verdict.problems
    lines = b"".join(
        base64.b64decode(governance.inclusion_proof(e.position).leaf)
        for e in governance.events_after(0, 1000)
    )
    assert b"Pam" not in lines and b"Rosa" not in lines  # no name in any leaf


def test_a_store_recorded_before_the_log_is_not_signed_until_rebuilt(
    tmp_path: Any, clock: Clock
) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    gov = open_governance(url, clock=clock, signing_key=tmp_path / "k.key")
    busy(gov, proposals=1)
    gov.catch_up()
    gov.close()
    with sqlite3.connect(tmp_path / "old.db") as db:  # as a store from before the log
        db.execute("DELETE FROM cogov_log_leaves")
        db.execute("DELETE FROM cogov_log_nodes")
    gov = open_governance(url, clock=clock, signing_key=tmp_path / "k.key")  # upgraded
    try:
        busy(gov, proposals=1)  # the log now begins part-way through the store
        with pytest.raises(LogIncomplete, match="projections rebuild"):
            gov.checkpoint()
        gov.rebuild_views()
        signed = opened(gov, gov.checkpoint())
        assert signed.root == merkle.root_of(recomputed_leaves(gov))
    finally:
        gov.close()


def test_a_tree_already_signed_gets_the_same_note(governance: Governance) -> None:
    busy(governance, proposals=1)
    first = governance.checkpoint()
    assert governance.checkpoint() == first
    busy(governance, proposals=1)
    assert opened(governance, governance.checkpoint()).size > opened(governance, first).size
