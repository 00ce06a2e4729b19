"""The governance views on each store: eventsourcing tracking recorders with cogov's tables."""
