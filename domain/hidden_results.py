"""Results hidden until close: what one reader may see of the stances on one proposal.

Under the charter option `results_hidden_until_close` (the charter frozen on the proposal at
tabling decides), while the proposal is open every reader sees only the stances they gave
or cast themselves, and how many electors have responded: early responses cannot sway later
ones. Nobody sees more while it is open, not the proposer, an auditor or the instance
admin. Once the proposal closes (with any outcome) or is withdrawn, everyone sees
everything, exactly as without the option.

Pure: the application asks these functions about a proposal's frozen charter, its outcome
and one reader, and applies the answer to whatever it shows (the whole proposal, a decision
row, an event of the audit trail).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from cogov.domain.charter import Charter
from cogov.domain.language import Outcome

# The marker shown instead of what is hidden, in an event's data and elsewhere.
HIDDEN = "hidden_until_close"
# The type an audit trail shows for an event that is a stance (a response, or the
# withdrawal of an objection, which says its author had objected) while it is hidden: the
# real type would itself reveal an objection.
HIDDEN_TYPE = "HiddenUntilClose"
# Events whose data are a member's stance: hidden whole from everyone but its author.
STANCE_EVENTS = frozenset({"ResponseGiven", "ObjectionWithdrawn"})
# Events that name whose consents an amendment voided: only the reader's own name stays.
VOIDING_EVENTS = frozenset({"ProposalAmended"})


def results_hidden(charter: Charter, outcome: str) -> bool:
    """Whether a proposal's stances are hidden now: its frozen charter hides them, and it
    is still open."""
    return charter.results_hidden_until_close and outcome == Outcome.OPEN


@attrs.frozen
class Sight:
    """What one reader may see of one proposal now.

    `hidden`: the proposal's results are hidden now (`results_hidden`). `reader`: the member
    reading, or None for someone who is not a member of the project (an auditor, the
    instance admin), who gives no stance and so sees none while they are hidden.
    """

    hidden: bool
    reader: str | None = None

    @classmethod
    def of(cls, charter: Charter, outcome: str, reader: str | None) -> Sight:
        return cls(results_hidden(charter, outcome), reader)

    def sees(self, *people: str | None) -> bool:
        """Whether the reader may see a stance given by or for `people` (the member whose
        stance it is, and the proxy who cast it, if any)."""
        return not self.hidden or (self.reader is not None and self.reader in people)


# A reader of a proposal whose results are not hidden (now, or ever).
EVERYTHING = Sight(hidden=False)


@attrs.frozen
class SeenEvent:
    """An event as a reader may see it: its type, actor and data, perhaps redacted."""

    type: str
    actor: str | None
    data: dict[str, Any]

    @property
    def redacted(self) -> bool:
        return bool(self.data.get(HIDDEN))


def seen_event(sight: Sight, type: str, actor: str | None, data: Mapping[str, Any]) -> SeenEvent:
    """An event of a proposal as the reader may see it: a stance (a response, an objection's
    withdrawal) of someone else becomes a `HiddenUntilClose` event with no actor and only
    the marker as data; an amendment names only the reader among the consents it voided,
    with the marker beside. Everything else, and everything once the results show, is
    unchanged."""
    if sight.hidden and type in STANCE_EVENTS and not sight.sees(data.get("member_id"), actor):
        return SeenEvent(HIDDEN_TYPE, None, {HIDDEN: True})
    if sight.hidden and type in VOIDING_EVENTS:
        voided = [m for m in data.get("voided_consents") or () if sight.sees(m)]
        return SeenEvent(type, actor, {**data, "voided_consents": voided, HIDDEN: True})
    return SeenEvent(type, actor, dict(data))
