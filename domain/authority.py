"""Why a power shift was allowed. Every power-shift event carries one."""

from __future__ import annotations

from typing import Any

import attrs

FOUNDING = "founding"
PROPOSAL = "proposal"
ROLE = "role"
DELEGATION = "delegation"
OWN = "own"  # a member acting on their own membership or role (leaving, relinquishing)


@attrs.frozen
class Authority:
    kind: str
    ref: str | None = None

    @classmethod
    def founding(cls) -> Authority:
        return cls(FOUNDING)

    @classmethod
    def proposal(cls, proposal_id: object) -> Authority:
        return cls(PROPOSAL, str(proposal_id))

    @classmethod
    def role(cls, name: str) -> Authority:
        return cls(ROLE, name)

    @classmethod
    def delegation(cls, area: str) -> Authority:
        return cls(DELEGATION, area)

    @classmethod
    def own(cls) -> Authority:
        return cls(OWN)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "ref": self.ref}
