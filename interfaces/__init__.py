"""Edges that people and programs touch: the CLI (and, later, HTTP and the dashboard)."""
