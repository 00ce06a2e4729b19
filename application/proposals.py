"""The whole proposal, as its electors and auditors read it: folded from its own events, so
that every response ever given, every amendment and every comment is shown with its time.

The aggregate keeps only what its rules need (the current stances); the history lives in
the events, and this fold is the one place that reads it back. `seen_by` gives the record as
one reader may see it while the proposal's results are hidden until it closes
(domain/hidden_results.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs

from cogov.application.records import utc_iso
from cogov.domain import Proposal
from cogov.domain.hidden_results import Sight, results_hidden


@attrs.frozen
class ResponseRecord:
    """An elector's current stance."""

    member_id: str
    stance: str
    reason: str | None
    cast_by: str | None  # the proxy who cast it, if not the member
    at: str


@attrs.frozen
class HistoryEntry:
    """One change of an elector's stance, in the order recorded."""

    at: str
    member_id: str
    act: str  # `response`, `objection_withdrawn` or `consent_voided` (by an amendment)
    stance: str | None  # the stance from then on (None once a consent is voided)
    reason: str | None
    cast_by: str | None


@attrs.frozen
class AmendmentRecord:
    at: str
    text: str
    voided_consents: tuple[str, ...]


@attrs.frozen
class CommentRecord:
    at: str
    author: str
    text: str


@attrs.frozen
class ProposalRecord:
    id: str
    project_id: str
    proposer: str
    title: str
    text: str
    area: str
    key: bool
    stage: str
    actions: tuple[dict[str, Any], ...]
    tabled_at: str
    closes_at: str
    due: bool  # open, and `closes_at` has passed: any member (or the server) may close it
    closed_at: str | None
    electorate: dict[str, tuple[str, ...]]
    charter: dict[str, Any]
    proxies: dict[str, str]  # member -> the fellow elector they appointed
    responses: tuple[ResponseRecord, ...]
    history: tuple[HistoryEntry, ...]
    amendments: tuple[AmendmentRecord, ...]
    comments: tuple[CommentRecord, ...]
    outcome: str
    quorum_met: bool
    tally: dict[str, dict[str, int]]
    withdrawn_objections: int
    version: int
    names: dict[str, str | None]  # every member id above -> the name they are shown by
    response_count: int = 0  # electors with a stance now (what quorum counts)
    # open, and its charter hides the results until it closes: `seen_by` then keeps only
    # the reader's own stances
    hidden_until_close: bool = False

    def member_ids(self) -> set[str]:
        ids = {self.proposer, *self.electorate, *self.proxies.values()}
        ids |= {r.cast_by for r in self.responses if r.cast_by}
        ids |= {c.author for c in self.comments}
        for action in self.actions:
            ids |= {action["member_id"]} if isinstance(action.get("member_id"), str) else set()
            ids |= {m for m in action.get("member_ids", ()) if isinstance(m, str)}
        return ids


def whole_proposal(events: Iterable[Proposal.Event], *, now: datetime) -> ProposalRecord:
    """Replay a proposal's events, keeping what each one said and when."""
    proposal: Any = None
    answered: dict[str, str] = {}  # member -> when their current stance was given
    history: list[HistoryEntry] = []
    amendments: list[AmendmentRecord] = []
    comments: list[CommentRecord] = []
    tabled_at = closed_at = ""
    for event in events:
        at = utc_iso(event.timestamp)
        match event:
            case Proposal.ProposalTabled():
                tabled_at = at
            case Proposal.ResponseGiven(member_id=m, stance=s, reason=r, cast_by=by):
                answered[m] = at
                history.append(HistoryEntry(at, m, "response", s, r, by))
            case Proposal.ObjectionWithdrawn(member_id=m):
                # the stand-aside that follows it is a response of its own
                history.append(HistoryEntry(at, m, "objection_withdrawn", None, None, None))
            case Proposal.ProposalAmended(text=text, voided_consents=voided):
                amendments.append(AmendmentRecord(at, text, tuple(voided)))
                for m in voided:
                    history.append(HistoryEntry(at, m, "consent_voided", None, None, None))
            case Proposal.CommentPosted(text=text, actor=author):
                comments.append(CommentRecord(at, author, text))
            case Proposal.ProposalClosed() | Proposal.ProposalWithdrawn():
                closed_at = at
        proposal = event.mutate(proposal)
    if not isinstance(proposal, Proposal):
        raise ValueError("a proposal's events begin with its tabling")
    p = proposal
    record = ProposalRecord(
        id=str(p.id),
        project_id=str(p.project_id),
        proposer=p.proposer,
        title=p.title,
        text=p.text,
        area=p.area,
        key=p.key,
        stage=p.stage,
        actions=tuple(p.actions),
        tabled_at=tabled_at,
        closes_at=utc_iso(p.closes_at),
        due=p.is_open and now >= p.closes_at,
        closed_at=closed_at or None,
        electorate={m: tuple(v) for m, v in p.electorate.items()},
        charter=p.charter.to_dict(),
        proxies=dict(p.proxies),
        responses=tuple(
            ResponseRecord(m, s, p.reasons.get(m), p.cast_by.get(m), answered[m])
            for m, s in sorted(p.responses.items())
        ),
        history=tuple(history),
        amendments=tuple(amendments),
        comments=tuple(comments),
        outcome=p.outcome,
        quorum_met=p.quorum_met(),
        tally={k: t.to_dict() for k, t in p.tally_by_perspective().items()},
        withdrawn_objections=p.withdrawn_objections,
        version=p.version,
        names={},
        response_count=len(p.responses),
        hidden_until_close=results_hidden(p.charter, p.outcome),
    )
    return record


def seen_by(record: ProposalRecord, reader: str | None) -> ProposalRecord:
    """The proposal as `reader` (a member's id; None for an auditor or the admin) may see
    it. While its results are hidden, only the stances the reader gave or cast stay (their
    current response, their own changes of stance, their own voided consents); the tally
    is empty and the withdrawn objections 0; the response count, the quorum, the text,
    amendments and comments stay. Otherwise the record is unchanged."""
    sight = Sight(record.hidden_until_close, reader)
    if not sight.hidden:
        return record
    return attrs.evolve(
        record,
        responses=tuple(r for r in record.responses if sight.sees(r.member_id, r.cast_by)),
        history=tuple(h for h in record.history if sight.sees(h.member_id, h.cast_by)),
        amendments=tuple(
            attrs.evolve(a, voided_consents=tuple(m for m in a.voided_consents if sight.sees(m)))
            for a in record.amendments
        ),
        tally={},
        withdrawn_objections=0,
    )
