"""COGOV_DATABASE_URL maps onto eventsourcing's persistence settings."""

from __future__ import annotations

import pytest

from cogov.infrastructure import ConfigurationError, database_url, persistence_env


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
