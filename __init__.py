"""cogov: event-sourced decision governance for co-produced research.

Installed, this repository is the `cogov` package: `cogov.domain`, `cogov.application`,
`cogov.infrastructure` and `cogov.interfaces`, so a host with packages of its own named
`domain` or `application` can embed it. A host needs only these two names.
"""

from cogov.application import Governance
from cogov.infrastructure import open_governance

__all__ = ["Governance", "open_governance"]
