"""Sign-ins a reviewer ended: an OIDC token signed out of the console is refused until it
expires, so a copy of it (left in a shared browser, a proxy's log) no longer signs anyone in.

Only a token's SHA-256 is kept, with the time its own `exp` ends it; expired entries are
dropped, and at most MAX_KEPT are kept (the ones that expire first are dropped first: a
flood of sign-outs needs as many valid tokens, each one the signed-in reviewer's own). An
API token is not ended this way: it is the reviewer's standing credential (the CLI's too),
revoked with `afterguard review token revoke`.

`store` keeps them: a dict in tests, in the service a one-partition faust table with a
changelog (`review-signed-out`), so a restart recovers them with the queue state; `written`
waits until what was stored is on the broker (the sign-out is answered only then)."""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Awaitable, Callable, MutableMapping

MAX_KEPT = 100_000


def _digest(credential: str) -> str:
    return hashlib.sha256(credential.encode("utf-8", "replace")).hexdigest()


async def _kept_in_memory() -> None:
    return None


class SignedOut:
    def __init__(self, max_kept: int = MAX_KEPT,
                 store: MutableMapping[str, float] | None = None,
                 written: Callable[[], Awaitable[None]] = _kept_in_memory) -> None:
        self.max_kept = max_kept
        self.until: MutableMapping[str, float] = {} if store is None else store
        self.written = written
        # a heap of (expiry, digest) over `until`, rebuilt when entries came in without it
        # (recovered from the changelog): every entry is in it while their sizes agree
        self._expiring: list[tuple[float, str]] = []

    def end(self, credential: str, expires_at: float, now: float) -> None:
        self._forget_expired(now)
        digest = _digest(credential)
        if digest in self.until or expires_at <= now:
            return
        self.until[digest] = expires_at
        heapq.heappush(self._expiring, (expires_at, digest))
        while len(self.until) > self.max_kept:
            _, dropped = heapq.heappop(self._expiring)
            self.until.pop(dropped, None)

    def ended(self, credential: str, now: float) -> bool:
        until = self.until.get(_digest(credential))
        return until is not None and float(until) > now

    def _forget_expired(self, now: float) -> None:
        if len(self._expiring) != len(self.until):
            self._expiring = [(float(until), digest) for digest, until in self.until.items()]
            heapq.heapify(self._expiring)
        while self._expiring and self._expiring[0][0] <= now:
            _, digest = heapq.heappop(self._expiring)
            self.until.pop(digest, None)
