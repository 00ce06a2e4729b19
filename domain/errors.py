"""Domain errors: each names the rule that was broken, so interfaces can say why."""

from __future__ import annotations


class GovernanceError(Exception):
    """Base of every refusal by the domain. Nothing is recorded when one is raised."""

    code = "governance_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidInput(GovernanceError):
    """A command's arguments are malformed (empty title, unknown stance, bad charter)."""

    code = "invalid_input"


class NotFound(GovernanceError):
    """A project, proposal, member or role that does not exist."""

    code = "not_found"


class NotAMember(GovernanceError):
    """The actor is not an active member of the project."""

    code = "not_a_member"


class NotAnElector(GovernanceError):
    """The member was not in the proposal's electorate when it was tabled."""

    code = "not_an_elector"


class NotAuthorised(GovernanceError):
    """A power shift or act without sufficient authority under the charter."""

    code = "not_authorised"


class ProposalNotOpen(GovernanceError):
    """The proposal has closed or been withdrawn."""

    code = "proposal_not_open"


class NotDue(GovernanceError):
    """A proposal cannot be closed yet."""

    code = "not_due"


class Conflict(GovernanceError):
    """The command conflicts with the current state (duplicate role, already a holder...)."""

    code = "conflict"


class HiddenUntilClose(GovernanceError):
    """What was asked for would show a stance that the proposal's charter hides until the
    proposal closes (results_hidden_until_close)."""

    code = "hidden_until_close"
