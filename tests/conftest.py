"""Shared fixtures: the same tests run on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from hypothesis import HealthCheck, settings

from cogov.application import Governance
from cogov.infrastructure import open_governance
from tests.support import IN_CI, POSTGRES_URL, Clock, postgres_available

settings.register_profile(
    "cogov", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile("cogov")

STORES = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


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


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shared_store_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """A store that several processes can open: an SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/cogov.db"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def governance(database_url: str, clock: Clock) -> Iterator[Governance]:
    app = open_governance(database_url, clock=clock)
    yield app
    app.close()
