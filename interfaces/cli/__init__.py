"""The `cogov` command."""

from cogov.interfaces.cli.main import main

__all__ = ["main"]
