"""Configuration: `COGOV_DATABASE_URL` mapped onto eventsourcing's persistence settings."""

from __future__ import annotations

import base64
import binascii
import functools
import os
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import attrs
import psycopg
from eventsourcing.cryptography import AESCipher

from cogov.application import Governance
from cogov.domain.clock import utc_now
from cogov.infrastructure.pdf import render_pdf
from cogov.infrastructure.signing import load_signing_key

DEFAULT_DATABASE_URL = "sqlite:///./cogov.db"
DEFAULT_MAX_BODY_BYTES = 64 * 1024
STORES = "cogov.infrastructure.stores"
SIGNING_KEY_FILE = "cogov-signing.key"


class ConfigurationError(ValueError):
    """The configuration cannot be used; the message says which setting and why."""


@attrs.frozen
class Settings:
    """Everything cogov reads from its environment (docs/design.md, section 9)."""

    database_url: str = DEFAULT_DATABASE_URL
    admin_token: str | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        raw = environ.get("COGOV_MAX_BODY_BYTES", "")
        try:
            max_body = int(raw) if raw else DEFAULT_MAX_BODY_BYTES
        except ValueError:
            raise ConfigurationError(
                f"COGOV_MAX_BODY_BYTES must be a number, not {raw!r}"
            ) from None
        token = environ.get("COGOV_ADMIN_TOKEN") or None
        if token is not None and len(token) < 16:
            raise ConfigurationError("COGOV_ADMIN_TOKEN must be at least 16 characters")
        if max_body < 1024:
            raise ConfigurationError("COGOV_MAX_BODY_BYTES must be at least 1024")
        return cls(database_url(environ), token, max_body)


def database_url(environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get("COGOV_DATABASE_URL") or DEFAULT_DATABASE_URL


# Commands reuse cached aggregates, fast-forwarded to the store's latest events (so other
# processes' writes are seen) and copied cheaply for each command.
CACHE = {"AGGREGATE_CACHE_MAXSIZE": "1000"}


def persistence_env(url: str, cipher_key: str | None = None) -> dict[str, str]:
    """eventsourcing settings for a cogov database URL and, if given, an encryption key."""
    return {**CACHE, **_store_env(url), **_cipher_env(cipher_key)}


CIPHER = "eventsourcing.cryptography:AESCipher"  # AES-GCM on the `cryptography` package


def _cipher_env(key: str | None) -> dict[str, str]:
    """Events and snapshots are stored encrypted with AES-GCM under this key."""
    if not key:
        return {}
    try:
        size = len(base64.b64decode(key, validate=True))
    except (binascii.Error, ValueError):
        size = 0
    if size not in AESCipher.KEY_SIZES:
        raise ConfigurationError(
            "COGOV_CIPHER_KEY must be 16, 24 or 32 bytes in base64; make one with "
            "`cogov cipher-key`"
        )
    return {"CIPHER_TOPIC": CIPHER, "CIPHER_KEY": key}


def _store_env(url: str) -> dict[str, str]:
    if url in ("memory://", "memory:"):
        return {"PERSISTENCE_MODULE": f"{STORES}.memory:Factory"}
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        if not path:
            raise ConfigurationError("COGOV_DATABASE_URL sqlite:/// needs a file path")
        return {
            "PERSISTENCE_MODULE": f"{STORES}.sqlite:Factory",
            "SQLITE_DBNAME": path,
            "SQLITE_LOCK_TIMEOUT": "30",
        }
    if url.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(url)
        dbname = parts.path.lstrip("/")
        if not parts.hostname or not dbname:
            raise ConfigurationError(
                "COGOV_DATABASE_URL must look like postgresql://user:pass@host:port/db"
            )
        query = parse_qs(parts.query)
        unknown = set(query) - {"schema"}
        if unknown:
            raise ConfigurationError(
                f"unknown COGOV_DATABASE_URL parameter(s): {', '.join(sorted(unknown))}"
            )
        return {
            "PERSISTENCE_MODULE": f"{STORES}.postgres:Factory",
            "POSTGRES_DBNAME": unquote(dbname),
            "POSTGRES_HOST": parts.hostname,
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or ""),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_SCHEMA": query.get("schema", [""])[0],
            # how long a request waits for a pooled connection: a store that is down is
            # reported (503) within this, not after eventsourcing's default of 5 s
            "POSTGRES_CONNECT_TIMEOUT": "1",
            # In eventsourcing 9.5.6 the database functions lose events under concurrent
            # writers (docs/design.md, section 10): keep them off whatever the environment says.
            "POSTGRES_ENABLE_DB_FUNCTIONS": "no",
        }
    raise ConfigurationError(
        f"unsupported COGOV_DATABASE_URL {url!r}: use memory://, sqlite:///path "
        "or postgresql://user:pass@host:port/db"
    )


def signing_key_path(url: str, environ: Mapping[str, str]) -> Path | None:
    """Where the key that signs the log's checkpoints is kept: COGOV_SIGNING_KEY, else beside
    an SQLite database, else `cogov-signing.key` here; none for a memory store, whose log
    lives no longer than the process (it signs with a key of the same lifetime)."""
    if environ.get("COGOV_SIGNING_KEY"):
        return Path(environ["COGOV_SIGNING_KEY"])
    if url in ("memory://", "memory:"):
        return None
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///") :]).parent / SIGNING_KEY_FILE
    return Path(SIGNING_KEY_FILE)


def log_origin(environ: Mapping[str, str]) -> str | None:
    """COGOV_LOG_ORIGIN, checked now: it names the log's key in every signed checkpoint,
    and a signed-note key name has no spaces and no '+'."""
    origin = environ.get("COGOV_LOG_ORIGIN") or None
    if origin is not None and (not origin.isprintable() or any(c in origin for c in " +")):
        raise ConfigurationError(
            f"COGOV_LOG_ORIGIN {origin!r} cannot name a log: use printable text without "
            "spaces or '+', such as ethics.example.org/cogov"
        )
    return origin


def open_governance(
    url: str | None = None,
    *,
    clock: Callable[[], datetime] = utc_now,
    cipher_key: str | None = None,
    signing_key: Path | None = None,
) -> Governance:
    """The Governance application on the store that `url` (or COGOV_DATABASE_URL) names,
    its events encrypted under `cipher_key` (or COGOV_CIPHER_KEY) if one is given, its
    checkpoints signed with the key at `signing_key` (or as `signing_key_path` says)."""
    key = cipher_key if cipher_key is not None else os.environ.get("COGOV_CIPHER_KEY")
    url = url or database_url()
    env = persistence_env(url, key)
    if env["PERSISTENCE_MODULE"].endswith(".postgres:Factory"):
        check_postgres(env)
    path = signing_key or signing_key_path(url, os.environ)
    gov = Governance(
        env=env,
        clock=clock,
        signing_key=None if path is None else functools.cache(lambda: load_signing_key(path)),
        log_origin=log_origin(os.environ),
        render_pdf=render_pdf,
    )
    try:
        check_readable(gov)
    except BaseException:
        gov.close()
        raise
    return gov


def check_readable(gov: Governance) -> None:
    """Refuse at once a key that cannot read the store's events (or a missing one)."""
    first = gov.recorder.select_notifications(start=1, limit=1)
    if not first:
        return
    try:
        gov.mapper.to_domain_event(first[0])
    except Exception:
        raise ConfigurationError(
            "the store's events cannot be read with this COGOV_CIPHER_KEY: the key is wrong, "
            "or the store was written with a key and none is set, or without one and one is"
        ) from None


def check_postgres(env: Mapping[str, str]) -> None:
    """Say at once, and how to fix it, when the database or schema is missing or the server
    cannot be reached (eventsourcing would retry for half a minute, then show a traceback)."""
    db, host, port = env["POSTGRES_DBNAME"], env["POSTGRES_HOST"], env["POSTGRES_PORT"]
    schema = env.get("POSTGRES_SCHEMA", "")
    try:
        with psycopg.connect(
            dbname=db,
            host=host,
            port=port,
            user=env["POSTGRES_USER"] or None,
            password=env["POSTGRES_PASSWORD"] or None,
            connect_timeout=3,
        ) as conn:
            found = conn.execute(
                "SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema or "public",)
            ).fetchone()
    except psycopg.OperationalError as e:
        reason = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
        if f'database "{db}" does not exist' in str(e):
            raise ConfigurationError(
                f"PostgreSQL database {db!r} does not exist on {host}:{port}; create it "
                f"with: createdb -h {host} -p {port} {db}"
            ) from None
        raise ConfigurationError(f"cannot reach PostgreSQL at {host}:{port}: {reason}") from None
    if schema and found is None:
        raise ConfigurationError(
            f"schema {schema!r} does not exist in PostgreSQL database {db!r}; create it with: "
            f'CREATE SCHEMA "{schema}";'
        )
