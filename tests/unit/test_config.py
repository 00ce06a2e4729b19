"""COGOV_DATABASE_URL maps onto eventsourcing's persistence settings."""

from __future__ import annotations

import time

import pytest

from cogov.infrastructure import (
    ConfigurationError,
    database_url,
    open_governance,
    persistence_env,
)
from cogov.infrastructure.config import log_origin
from cogov.interfaces.cli import main
from tests.support import POSTGRES_URL, postgres_available


def test_default_is_the_embedded_sqlite_file() -> None:
    assert database_url({}) == "sqlite:///./cogov.db"
    env = persistence_env(database_url({}))
    assert env["PERSISTENCE_MODULE"] == "cogov.infrastructure.stores.sqlite:Factory"
    assert env["SQLITE_DBNAME"] == "./cogov.db"


def test_postgres_url_parts_and_schema() -> None:
    env = persistence_env("postgresql://ann:s%40cret@db.example:6543/gov?schema=cogov")
    assert env["POSTGRES_HOST"] == "db.example"
    assert env["POSTGRES_PORT"] == "6543"
    assert env["POSTGRES_USER"] == "ann"
    assert env["POSTGRES_PASSWORD"] == "s@cret"
    assert env["POSTGRES_DBNAME"] == "gov"
    assert env["POSTGRES_SCHEMA"] == "cogov"


def test_database_functions_stay_off() -> None:
    """They lose events under concurrent writers in eventsourcing 9.5.6 (docs/design.md)."""
    assert (
        persistence_env("postgresql://root@localhost/test")["POSTGRES_ENABLE_DB_FUNCTIONS"] == "no"
    )


@pytest.mark.parametrize(
    "url", ["mysql://x/y", "sqlite:///", "postgresql:///nodb", "postgresql://h/db?pool=3"]
)
def test_unusable_urls_are_refused_with_a_reason(url: str) -> None:
    with pytest.raises(ConfigurationError, match="COGOV_DATABASE_URL"):
        persistence_env(url)


def test_settings_from_the_environment() -> None:
    from cogov.infrastructure.config import Settings

    settings = Settings.from_env({})
    assert settings.max_body_bytes == 64 * 1024
    assert settings.admin_token is None
    assert Settings.from_env({"COGOV_MAX_BODY_BYTES": "2048"}).max_body_bytes == 2048
    with pytest.raises(ConfigurationError, match="COGOV_ADMIN_TOKEN"):
        Settings.from_env({"COGOV_ADMIN_TOKEN": "short"})
    with pytest.raises(ConfigurationError, match="COGOV_MAX_BODY_BYTES"):
        Settings.from_env({"COGOV_MAX_BODY_BYTES": "lots"})


def test_a_missing_postgres_database_is_named_at_once() -> None:
    problem = postgres_available()
    if problem:
        pytest.skip(problem)
    url = POSTGRES_URL.rsplit("/", 1)[0] + "/cogov_no_such_database"
    started = time.monotonic()
    with pytest.raises(ConfigurationError, match="createdb"):
        open_governance(url)
    assert time.monotonic() - started < 5


def test_a_missing_postgres_schema_is_named_at_once() -> None:
    problem = postgres_available()
    if problem:
        pytest.skip(problem)
    with pytest.raises(ConfigurationError, match="CREATE SCHEMA"):
        open_governance(f"{POSTGRES_URL}?schema=cogov_no_such_schema")


def test_memory_with_several_workers_is_refused() -> None:
    assert main(["serve", "--database-url", "memory://", "--workers", "2"]) == 2


@pytest.mark.parametrize("origin", ["cogov local", "cogov+local", "tab\there"])
def test_a_log_origin_that_cannot_name_a_key_is_refused_at_once(origin: str) -> None:
    with pytest.raises(ConfigurationError, match="COGOV_LOG_ORIGIN"):
        log_origin({"COGOV_LOG_ORIGIN": origin})
    assert log_origin({"COGOV_LOG_ORIGIN": "ethics.example.org/cogov"}) == (
        "ethics.example.org/cogov"
    )
    assert log_origin({}) is None
