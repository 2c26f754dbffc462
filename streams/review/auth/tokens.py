"""Per-reviewer API tokens for small teams, stored hashed in one JSON file.

A token reads `agr_<token id>.<secret>`: the id finds the stored entry, the secret (32 random
bytes) is kept only as its SHA-256 (a fast hash is enough for a 256-bit random secret; there
is nothing to guess). `afterguard review token create` prints the token once. The file is
replaced atomically and written 0600; the service rereads it when it changes, so a revoked
token stops working at the next request without a restart."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import logging
import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from streams.review.auth.principal import ID_RULE, AuthFailure, Principal, normalise, valid_id

log = logging.getLogger(__name__)
PREFIX = "agr_"


class TokenError(ValueError):
    """A token file that cannot be read or a request that cannot be carried out."""


class StoredToken(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    token_id: str
    reviewer: str  # normalised
    groups: tuple[str, ...]  # normalised
    sha256: str  # of the whole token
    created_at: datetime
    revoked_at: datetime | None = None


class TokenFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tokens: list[StoredToken] = []


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class _Cached:
    stamp: tuple[int, int, int]
    by_id: dict[str, StoredToken]


class TokenStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: _Cached | None = None

    # -- the service's side: verify a presented token -------------------------------------
    def verify(self, presented: str) -> Principal | AuthFailure:
        refused = AuthFailure(401, "the API token is not valid (unknown, revoked or mistyped)")
        if not presented.startswith(PREFIX) or "." not in presented:
            return refused
        token_id = presented[len(PREFIX):].split(".", 1)[0]
        try:
            stored = self._current().get(token_id)
        except TokenError as exc:  # the caller is not signed in: the path is for the log
            log.error("reviewer tokens cannot be read: %s", exc)
            return AuthFailure(503, "reviewer tokens cannot be read on the server; its log "
                                    "says why")
        # Compare digests in constant time even when the id is unknown.
        expected = stored.sha256 if stored else "0" * 64
        if not hmac.compare_digest(expected, _digest(presented)) or stored is None:
            return refused
        if stored.revoked_at is not None:
            return refused
        if valid_id(stored.reviewer) != stored.reviewer:  # a token made before the rule
            return AuthFailure(401, f"this API token names a reviewer id verdicts cannot carry "
                                    f"(a reviewer id is {ID_RULE}); ask for a new token")
        return Principal(stored.reviewer, frozenset(stored.groups), "api-token")

    def account_of(self, presented: str) -> str | None:
        """The account a presented API token claims, when its token id is a known one:
        `reviewer (token id)`, for counting failed sign-ins (never the secret)."""
        token_id = presented[len(PREFIX):].split(".", 1)[0]
        try:
            stored = self._current().get(token_id)
        except TokenError:
            return None
        return f"{stored.reviewer} (token {stored.token_id})" if stored is not None else None

    def _current(self) -> dict[str, StoredToken]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return {}
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        if self._cache is None or self._cache.stamp != stamp:
            self._cache = _Cached(stamp, {t.token_id: t for t in self.load().tokens})
        return self._cache.by_id

    # -- the operator's side: create, list, revoke ----------------------------------------
    def load(self) -> TokenFile:
        try:
            text = self.path.read_text()
        except FileNotFoundError:
            return TokenFile()
        except OSError as exc:
            raise TokenError(f"{self.path}: {exc.strerror}") from None
        try:
            return TokenFile.model_validate(json.loads(text))
        except (ValueError, ValidationError):
            raise TokenError(f"{self.path} is not a reviewer token file") from None

    def create(self, reviewer: str, groups: list[str], now: datetime | None = None
               ) -> tuple[str, StoredToken]:
        """A new token for `reviewer` in `groups`: (the token, shown once; what is stored)."""
        reviewer_id = valid_id(reviewer)
        if reviewer_id is None:
            raise TokenError(f"reviewer id {reviewer!r} is refused: a reviewer id is {ID_RULE}")
        group_names = tuple(sorted({normalise(g) for g in groups if normalise(g)}))
        if not group_names:
            raise TokenError("give at least one group")
        token_id = secrets.token_hex(6)
        token = f"{PREFIX}{token_id}.{secrets.token_urlsafe(32)}"
        stored = StoredToken(token_id=token_id, reviewer=reviewer_id, groups=group_names,
                             sha256=_digest(token), created_at=now or datetime.now(UTC))
        with self._locked():
            current = self.load()
            self._write(TokenFile(tokens=[*current.tokens, stored]))
        return token, stored

    def revoke(self, token_id: str, now: datetime | None = None) -> StoredToken:
        with self._locked():
            current = self.load()
            found = [t for t in current.tokens if t.token_id == token_id]
            if not found:
                raise TokenError(f"no token {token_id!r} in {self.path}")
            revoked = found[0].model_copy(update={"revoked_at": now or datetime.now(UTC)})
            self._write(TokenFile(tokens=[revoked if t.token_id == token_id else t
                                          for t in current.tokens]))
        return revoked

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time (two `token create` at once must not lose one)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def _write(self, content: TokenFile) -> None:
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".tokens-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(content.model_dump_json(indent=1))
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def describe(token: StoredToken) -> dict[str, Any]:
    """What `token list` shows: never the digest."""
    return {"token_id": token.token_id, "reviewer": token.reviewer, "groups": list(token.groups),
            "created_at": token.created_at.isoformat(),
            "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None}
