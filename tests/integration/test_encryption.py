"""Encryption at rest: with COGOV_CIPHER_KEY the stored events and snapshots hold no
plaintext, everything cogov reads from them still works, and a store refuses a wrong or a
missing key at once."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import psycopg
import pytest
from eventsourcing.cryptography import AESCipher

from cogov import open_governance
from cogov.application import Governance
from cogov.infrastructure import ConfigurationError
from cogov.interfaces.cli import main
from tests.support import POSTGRES_URL

TITLE = "Secret stroke rehabilitation study"


def raw_states(url: str) -> list[bytes]:
    """Every stored event's and snapshot's state, straight from the tables."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url[len("sqlite:///") :]) as lite:
            found = lite.execute(
                "SELECT state FROM stored_events UNION ALL SELECT state FROM stored_snapshots"
            )
            return [bytes(r[0]) for r in found]
    schema = url.rsplit("schema=", 1)[1]
    with psycopg.connect(POSTGRES_URL) as db:
        rows = db.execute(
            f'SELECT state FROM "{schema}".governance_events'
            f' UNION ALL SELECT state FROM "{schema}".governance_snapshots'
        ).fetchall()
        return [bytes(r[0]) for r in rows]


def record_a_project(gov: Governance) -> Any:
    founded = gov.found_project(
        title=TITLE, founder_name="Rosa", founder_perspectives=["researcher"]
    )
    for n in range(100):  # enough for the project to be snapshotted
        gov.admit_member(
            founded.project_id,
            display_name=f"Member {n}",
            perspectives=["public"],
            actor=founded.founder_id,
        )
    gov.table_proposal(
        founded.project_id,
        title="Meet on Tuesdays",
        text="We meet online every Tuesday.",
        area="operations",
        actor=founded.founder_id,
    )
    return founded.project_id


@pytest.fixture
def encrypted(shared_store_url: str) -> Iterator[tuple[str, str, Any]]:
    store = shared_store_url
    key = AESCipher.create_key(32)
    gov = open_governance(store, cipher_key=key)
    project_id = record_a_project(gov)
    gov.close()
    yield store, key, project_id


def test_stored_events_and_snapshots_hold_no_plaintext(
    encrypted: tuple[str, str, Any],
) -> None:
    store, _, _ = encrypted
    states = raw_states(store)
    assert len(states) > 102  # 102 events and at least one snapshot
    for plaintext in (TITLE.encode(), b"Tuesday", b"perspectives", b"public"):
        assert not [s for s in states if plaintext in s], plaintext


def test_an_unencrypted_store_would_show_them(shared_store_url: str) -> None:
    store = shared_store_url
    gov = open_governance(store)
    record_a_project(gov)
    gov.close()
    assert any(TITLE.encode() in s for s in raw_states(store))


def test_everything_reads_as_before_with_the_key(encrypted: tuple[str, str, Any]) -> None:
    store, key, project_id = encrypted
    gov = open_governance(store, cipher_key=key)
    try:
        assert gov.project(project_id).title == TITLE
        assert len(gov.project(project_id).members) == 101
        assert [d.title for d in gov.decisions(project_id)] == ["Meet on Tuesdays"]
        assert len(gov.power_as_of(project_id).members) == 101
        trail = gov.project_events(project_id, limit=1000)
        assert trail[0].data["title"] == TITLE
        assert gov.rebuild_views() == gov.max_position()
    finally:
        gov.close()


def test_a_wrong_or_missing_key_is_refused_at_once(encrypted: tuple[str, str, Any]) -> None:
    store, _, _ = encrypted
    with pytest.raises(ConfigurationError, match="COGOV_CIPHER_KEY"):
        open_governance(store, cipher_key=AESCipher.create_key(32))
    with pytest.raises(ConfigurationError, match="COGOV_CIPHER_KEY"):
        open_governance(store, cipher_key="")


@pytest.mark.parametrize("key", ["not base64!", "c2hvcnQ="])
def test_a_malformed_key_is_a_configuration_error(key: str) -> None:
    with pytest.raises(ConfigurationError, match="16, 24 or 32 bytes"):
        open_governance("memory://", cipher_key=key)


@pytest.fixture
def new_store(shared_store_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    store = shared_store_url
    if store.startswith("sqlite"):
        return f"sqlite:///{tmp_path}/rekeyed.db"
    url: str = request.getfixturevalue("postgres_url")  # a schema of its own...
    with psycopg.connect(POSTGRES_URL, autocommit=True) as db:  # ...and a second one
        schema = url.rsplit("schema=", 1)[1] + "_new"
        db.execute(f'CREATE SCHEMA "{schema}"')
    request.addfinalizer(lambda: _drop(schema))
    return f"{url.rsplit('schema=', 1)[0]}schema={schema}"


def _drop(schema: str) -> None:
    with psycopg.connect(POSTGRES_URL, autocommit=True) as db:
        db.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_rekeying_copies_everything_under_the_new_key(
    encrypted: tuple[str, str, Any], new_store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, old_key, project_id = encrypted
    before = open_governance(store, cipher_key=old_key)
    token = before.issue_token(
        project_id, before.project(project_id).members[0].member_id, actor="instance-admin"
    ).token
    trail = [attrs.asdict(e) for e in before.project_events(project_id, limit=1000)]
    decisions = [d.to_dict() for d in before.decisions(project_id)]
    before.close()
    new_key = AESCipher.create_key(32)
    monkeypatch.setenv("COGOV_CIPHER_KEY", old_key)
    monkeypatch.setenv("COGOV_NEW_CIPHER_KEY", new_key)

    assert main(["rekey", "--database-url", store, "--to", new_store]) == 0

    assert not [s for s in raw_states(new_store) if TITLE.encode() in s]
    with pytest.raises(ConfigurationError):
        open_governance(new_store, cipher_key=old_key)
    after = open_governance(new_store, cipher_key=new_key)
    try:
        moved = [attrs.asdict(e) for e in after.project_events(project_id, limit=1000)]
        assert [{k: v for k, v in e.items() if k != "position"} for e in moved] == [
            {k: v for k, v in e.items() if k != "position"} for e in trail
        ]
        assert [e["position"] for e in moved] == sorted(e["position"] for e in moved)
        assert [
            {k: v for k, v in d.to_dict().items() if k != "position"}
            for d in after.decisions(project_id)
        ] == [{k: v for k, v in d.items() if k != "position"} for d in decisions]
        assert after.authenticate(token) is not None
        assert after.project(project_id).members[0].display_name == "Rosa"
    finally:
        after.close()
