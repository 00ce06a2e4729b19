"""Adapters: stores, configuration."""

from cogov.infrastructure.config import (
    ConfigurationError,
    database_url,
    open_governance,
    persistence_env,
)

__all__ = ["ConfigurationError", "database_url", "open_governance", "persistence_env"]
