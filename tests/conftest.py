"""Shared fixtures: the same tests run on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from hypothesis import HealthCheck, settings

from application import Governance
from infrastructure import open_governance

settings.register_profile(
    "cogov", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile("cogov")

POSTGRES_URL = os.environ.get("COGOV_TEST_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
STORES = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

_postgres_problem: list[str | None] = []


def postgres_available() -> str | None:
    """None when the test server answers, else why not (checked once per run)."""
    if not _postgres_problem:
        try:
            with psycopg.connect(POSTGRES_URL, connect_timeout=3) as conn:
                conn.execute("SELECT 1")
            _postgres_problem.append(None)
        except psycopg.Error as e:
            _postgres_problem.append(f"PostgreSQL at {POSTGRES_URL} unreachable: {e}")
    return _postgres_problem[0]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL for a fresh schema of its own, dropped afterwards."""
    problem = postgres_available()
    if problem:
        if IN_CI:
            pytest.fail(f"{problem} (CI=true: PostgreSQL tests must run)")
        pytest.skip(problem)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{sep}schema={schema}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=STORES)
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    if request.param == "memory":
        return "memory://"
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/cogov.db"
    url: str = request.getfixturevalue("postgres_url")
    return url


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def governance(database_url: str, clock: Clock) -> Iterator[Governance]:
    app = open_governance(database_url, clock=clock)
    yield app
    app.close()
