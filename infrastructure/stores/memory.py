"""In-memory store, for fast tests and throwaway runs."""

from __future__ import annotations

from eventsourcing.popo import POPOFactory

from application.directory import InMemoryMemberDirectory


class Factory(POPOFactory):
    def member_directory(self) -> InMemoryMemberDirectory:
        return InMemoryMemberDirectory()
