"""A token is checked in one read: its record and the version its project has reached in
the store come back together, so the project kept in memory is used as it is when it is
current, and brought up to date when it is not (another process changed it). The
project's events stay the authority on which tokens are live."""

from __future__ import annotations

from typing import Any

from cogov.application import Governance
from cogov.application.credentials import TOKENS, token_hash
from cogov.infrastructure import open_governance
from tests.support import Clock


def founded_with_token(gov: Governance) -> tuple[str, str, str]:
    founded = gov.found_project(
        title="Tokens", founder_name="Ana", founder_perspectives=["researcher"], with_token=True
    )
    assert founded.token is not None
    return str(founded.project_id), founded.founder_id, founded.token


def counting_reads(gov: Governance) -> list[Any]:
    """The project reads authentication makes from now on."""
    reads: list[Any] = []
    get = gov.repository.get

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(args)
        return get(*args, **kwargs)

    gov.repository.get = counted  # type: ignore[method-assign]
    return reads


def test_a_current_project_in_memory_is_not_read_again(shared_store_url: str) -> None:
    gov = open_governance(shared_store_url, clock=Clock())
    _, _, token = founded_with_token(gov)
    assert gov.authenticate(token) is not None  # brings the project into memory
    reads = counting_reads(gov)
    for _ in range(3):
        assert gov.authenticate(token) is not None
    assert reads == []
    gov.close()


def test_a_token_another_process_revoked_stops_working_here(shared_store_url: str) -> None:
    """This process holds the project from before the revocation; the store says it moved
    on, so the project is brought up to date before the token is judged, even where the
    token's record was left behind (as a store written before revocations removed it)."""
    here = open_governance(shared_store_url, clock=Clock())
    pid, founder, token = founded_with_token(here)
    issued = here.issue_token(pid, founder, actor=founder)
    assert here.authenticate(issued.token) is not None
    record = here.records.get(TOKENS, token_hash(issued.token))
    assert record is not None
    there = open_governance(shared_store_url, clock=Clock())
    there.revoke_tokens(pid, founder, actor=founder)
    there.close()
    here.records.put(TOKENS, token_hash(issued.token), record)  # left behind
    reads = counting_reads(here)
    assert here.authenticate(issued.token) is None
    assert len(reads) == 1  # brought up to date
    assert here.authenticate(token) is None  # the superseded first token too
    here.close()
