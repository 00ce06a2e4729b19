"""A throwaway store for one benchmark run: memory, an SQLite file in a temporary folder,
or a PostgreSQL schema of its own, dropped afterwards."""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Iterator

import psycopg

POSTGRES = os.environ.get("COGOV_TEST_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")


@contextlib.contextmanager
def store_url(store: str) -> Iterator[str]:
    if store == "memory":
        yield "memory://"
    elif store == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
    elif store == "postgres":
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield f"{POSTGRES}?schema={schema}"
        finally:
            with psycopg.connect(POSTGRES, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    else:
        raise ValueError(f"unknown store {store!r}: memory, sqlite or postgres")
