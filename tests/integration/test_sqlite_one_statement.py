"""A read of one statement on SQLite fails as eventsourcing's reads do."""

from __future__ import annotations

from pathlib import Path

import pytest
from eventsourcing.persistence import OperationalError
from eventsourcing.sqlite import SQLiteDatastore

from cogov.infrastructure.views.sqlite import one_statement


def test_its_errors_are_eventsourcings(tmp_path: Path) -> None:
    """The HTTP layer answers 503 for eventsourcing's OperationalError, not for sqlite3's."""
    datastore = SQLiteDatastore(str(tmp_path / "store.db"))
    with one_statement(datastore) as c:
        c.execute("SELECT 1")
        assert c.fetchone()[0] == 1
    with pytest.raises(OperationalError, match="no such table"), one_statement(datastore) as c:
        c.execute("SELECT * FROM nowhere")
    datastore.close()
