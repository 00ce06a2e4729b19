"""The reads behind GET power and a page of decisions are single statements, sent as they
are: no transaction is opened around them (eventsourcing opens one per read, three calls
into the store for one question; under load each call waits for the GIL again)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

from cogov.infrastructure import open_governance
from tests.support import Clock


def test_power_and_a_page_of_decisions_are_read_without_a_transaction(
    shared_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    gov = open_governance(shared_store_url, clock=Clock())
    founded = gov.found_project(
        title="Reads", founder_name="Ana", founder_perspectives=["researcher"], with_token=True
    )
    assert founded.token is not None
    pid = founded.project_id
    gov.table_proposal(pid, title="T", text="x", area="methods", actor=founded.founder_id)
    gov.follow()  # as when serving: reads do not wait for the views
    gov.read_models.wait_for(gov.max_position())
    assert gov.authenticate(founded.token) is not None  # the project is now in memory
    here = threading.get_ident()
    opened: list[str] = []
    for datastore in (SQLiteDatastore, PostgresDatastore):
        original = datastore.transaction

        def counting(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            if threading.get_ident() == here:  # not the views' runner
                opened.append(type(self).__name__)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(datastore, "transaction", counting)
    try:
        assert gov.authenticate(founded.token) is not None
        body = gov.power_body_as_of(pid)
        shown, _ = gov.shown_power(pid)
        stored, more, page_names = gov.shown_decisions(pid)
        names = gov.names([founded.founder_id, *(m for s in stored for m in s.named or ())])
    finally:
        monkeypatch.undo()
        gov.close()
    assert (
        str(pid) in body
        and shown == body
        and len(stored) == 1
        and more is False
        and page_names == {founded.founder_id: "Ana"}
        and names[founded.founder_id] == "Ana"
    )
    assert opened == []
