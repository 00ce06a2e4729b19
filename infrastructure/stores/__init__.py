"""Persistence modules: eventsourcing's factories, extended with cogov's own tables.

Each module here is named by `PERSISTENCE_MODULE`, as eventsourcing expects, and its
factory also makes the member directory that lives beside the events.
"""
