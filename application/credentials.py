"""Bearer-token credentials: random tokens, shown once, kept only as SHA-256 hashes.

Issuing and revoking are recorded as Project events (TokenIssued, TokenRevoked); this store
holds what authentication needs to look a token up quickly; the events decide if it is live.

A member renewing their own token may lose the answer (a connection dropped after the
commit) and then hold only the old token, which the renewal revoked. So a self-renewal
keeps the new token sealed under a key derived from the old one (which is never stored), and
marks the old token as superseded by that command: presented again with the same
Idempotency-Key, the old token can recover the new one, and do nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime
from typing import Literal

import attrs
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cogov.application.beside import Delete, Put, Write
from cogov.application.keyvalue import KeyValues, Record

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
    # set for a token superseded by this command: it may only ask for that command again
    replaying: str | None = None


def new_token() -> tuple[str, str]:
    """A fresh secret token and its public id."""
    return PREFIX + secrets.token_urlsafe(32), secrets.token_hex(8)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _sealing_key(old_token: str) -> bytes:
    return hashlib.sha256(b"cogov token seal\n" + old_token.encode()).digest()


def seal(new_token: str, old_token: str) -> str:
    """The new token, readable only by whoever holds the old one."""
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_sealing_key(old_token)).encrypt(nonce, new_token.encode(), None)
    return base64.b64encode(nonce + sealed).decode()


def unseal(sealed: str, old_token: str) -> str | None:
    try:
        raw = base64.b64decode(sealed)
        return AESGCM(_sealing_key(old_token)).decrypt(raw[:12], raw[12:], None).decode()
    except Exception:  # not sealed under this token
        return None


class Credentials:
    def __init__(self, records: KeyValues) -> None:
        self.records = records

    def writes(
        self, token: str, principal: Principal, *, superseded_by: str | None = None
    ) -> list[Write]:
        """Keep a new token's hash and forget the holder's previous one (or, for a
        self-renewal, mark it superseded by command `superseded_by`), in the transaction that
        records its issue: no fault can revoke a token without its successor."""
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
            old = self.records.get(TOKENS, previous["hash"])
            if superseded_by is not None and old is not None:
                writes.append(
                    Put(TOKENS, previous["hash"], {**old, "superseded_by": superseded_by})
                )
            else:
                writes.append(Delete(TOKENS, previous["hash"]))
        return writes

    def superseded(self, token: str) -> Principal | None:
        """The holder of a token a self-renewal superseded, allowed only to replay it."""
        value = self.records.get(TOKENS, token_hash(token)) if token.startswith(PREFIX) else None
        if value is None or "superseded_by" not in value:
            return None
        return attrs.evolve(_principal(value), replaying=value["superseded_by"])

    def principal(self, token: str, now: datetime) -> tuple[Principal | None, int | None]:
        """The holder of a live token, or None (unknown, revoked or expired); and, read with
        it, the version its project has reached in the store, where the store says."""
        if not token.startswith(PREFIX) or len(token) > 200:
            return None, None
        value, version = self.records.get_with_version(TOKENS, token_hash(token), "project_id")
        if value is None or "superseded_by" in value:
            return None, None
        principal = _principal(value)
        if principal.expires_at is not None and principal.expires_at <= now:
            return None, None
        return principal, version


def _principal(value: Record) -> Principal:
    expires = datetime.fromisoformat(value["expires_at"]) if value["expires_at"] else None
    return Principal(
        kind=value["kind"],
        subject=value["subject"],
        project_id=value["project_id"],
        token_id=value["token_id"],
        expires_at=expires,
    )
