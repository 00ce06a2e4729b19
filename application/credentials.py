"""Bearer-token credentials: random tokens, shown once, kept only as SHA-256 hashes.

Issuing and revoking are recorded as Project events (TokenIssued, TokenRevoked); this store
holds what authentication needs to look a token up quickly; the events decide if it is live.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Literal

import attrs

from cogov.application.beside import Delete, Put, Write
from cogov.application.keyvalue import KeyValues

TOKENS = "token"  # sha256(token) -> credential
HOLDERS = "token_holder"  # "project:holder" -> sha256 of the holder's live token
PREFIX = "cgv_"

Kind = Literal["admin", "member", "auditor"]


@attrs.frozen
class Principal:
    """Who a request acts as. Only interfaces authenticate; everything else takes ids."""

    kind: Kind
    subject: str  # member id, auditor id, or the instance admin
    project_id: str | None = None
    token_id: str | None = None
    expires_at: datetime | None = None


def new_token() -> tuple[str, str]:
    """A fresh secret token and its public id."""
    return PREFIX + secrets.token_urlsafe(32), secrets.token_hex(8)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Credentials:
    def __init__(self, records: KeyValues) -> None:
        self.records = records

    def writes(self, token: str, principal: Principal) -> list[Write]:
        """Keep a new token's hash and forget the holder's previous one, in the transaction
        that records its issue: no fault can revoke a token without its successor."""
        digest = token_hash(token)
        holder_key = f"{principal.project_id}:{principal.subject}"
        previous = self.records.get(HOLDERS, holder_key)
        writes: list[Write] = [
            Put(
                TOKENS,
                digest,
                {
                    "kind": principal.kind,
                    "subject": principal.subject,
                    "project_id": principal.project_id,
                    "token_id": principal.token_id,
                    "expires_at": (
                        principal.expires_at.isoformat() if principal.expires_at else None
                    ),
                },
            ),
            Put(HOLDERS, holder_key, {"hash": digest}),
        ]
        if previous is not None and previous["hash"] != digest:
            writes.append(Delete(TOKENS, previous["hash"]))
        return writes

    def principal(self, token: str, now: datetime) -> Principal | None:
        """The holder of a live token, or None (unknown, revoked or expired)."""
        if not token.startswith(PREFIX) or len(token) > 200:
            return None
        value = self.records.get(TOKENS, token_hash(token))
        if value is None:
            return None
        expires = datetime.fromisoformat(value["expires_at"]) if value["expires_at"] else None
        if expires is not None and expires <= now:
            return None
        return Principal(
            kind=value["kind"],
            subject=value["subject"],
            project_id=value["project_id"],
            token_id=value["token_id"],
            expires_at=expires,
        )
