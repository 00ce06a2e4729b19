"""The baselines cogov's HTTP figures are read against: the same framework and server doing
the least a request can do.

- `POST /save`: a bare eventsourcing save of one event (a new aggregate's creation), the
  floor of any recorded command;
- `GET /constant`: constant JSON, the floor of any read.

Both are plain `def` endpoints (run in the thread pool) like cogov's, served the way
`cogov serve` serves cogov. The store comes from eventsourcing's own environment
variables, set by bench/http_load.py:
Run:  PERSISTENCE_MODULE=eventsourcing.sqlite SQLITE_DBNAME=/tmp/b.db \\
      .venv/bin/python -m bench.baseline_app PORT WORKERS
"""

from __future__ import annotations

import sys
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from fastapi import FastAPI

from cogov.interfaces.cli.serving import serve

# about the size of a small read model answer
CONSTANT: dict[str, Any] = {
    "as_of": "2026-01-01T00:00:00+00:00",
    "shares": [
        {"perspective": p, "share": "1/3", "members": 3}
        for p in ("researcher", "practitioner", "public")
    ],
}


class Saved(Aggregate):
    """An aggregate whose save is one event and nothing else."""


app = FastAPI(title="cogov bench baselines")
store: Application[Any] = Application()


@app.post("/save", status_code=201)
def save() -> dict[str, str]:
    saved = Saved()
    store.save(saved)
    return {"id": str(saved.id)}


@app.get("/constant")
def constant() -> dict[str, Any]:
    return CONSTANT


if __name__ == "__main__":
    port, workers = (int(a) for a in sys.argv[1:3])
    serve(
        app="bench.baseline_app:app",
        factory=False,
        host="127.0.0.1",
        port=port,
        workers=workers,
        log_level="warning",
    )
