"""Failed sign-ins are limited per client address and per account, with a growing lock-out.

A presented credential that fails (401) counts against the client's address and, when it
names a known account (an API token's id: the part before the secret), against that account.
`per_address` failures within `window_s` lock the address out, `per_account` the account:
every sign-in from the address, or to the account, is answered 429 for `base_lock_s`, doubled
at each further lock-out up to `max_lock_s`. A good sign-in clears its account's count. Each
lock-out is logged (address, account, count, duration), never the credential.

An absent credential does not count (a page loaded before signing in). The address is the
TCP peer's, or behind a trusted reverse proxy the client's it forwards (client_address.py).
Memory is bounded: at most `max_tracked` addresses and accounts each, the oldest forgotten.
Pure apart from its log; the clock is passed in.
"""

from __future__ import annotations

import logging
import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from streams.review.auth.principal import AuthFailure

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignInLimits:
    per_address: int = 20
    per_account: int = 10
    window_s: float = 300.0
    base_lock_s: float = 30.0
    max_lock_s: float = 900.0
    max_tracked: int = 10_000


@dataclass
class _Failures:
    count: int
    window_start: float
    locks: int = 0
    locked_until: float = 0.0


class _Tally:
    def __init__(self, threshold: int, limits: SignInLimits) -> None:
        self.threshold, self.limits = threshold, limits
        self.by_key: OrderedDict[str, _Failures] = OrderedDict()

    def locked_for(self, key: str, now: float) -> float:
        found = self.by_key.get(key)
        return found.locked_until - now if found is not None and found.locked_until > now else 0.0

    def failed(self, key: str, now: float) -> float | None:
        """Count a failure; the lock-out's length when this one locks the key."""
        found = self.by_key.pop(key, None)
        if found is None or now - found.window_start > self.limits.window_s:
            # a key quiet for longer than the longest lock-out starts its backoff again
            quiet = found is None or now - found.locked_until > self.limits.max_lock_s
            found = _Failures(0, now, 0 if quiet or found is None else found.locks,
                              found.locked_until if found else 0.0)
        found.count += 1
        self.by_key[key] = found  # the most recent last: the oldest is forgotten first
        while len(self.by_key) > self.limits.max_tracked:
            self.by_key.popitem(last=False)
        if found.count < self.threshold:
            return None
        lock_s = min(self.limits.base_lock_s * 2.0 ** found.locks, self.limits.max_lock_s)
        found.locks += 1
        found.count, found.window_start = 0, now
        found.locked_until = now + lock_s
        return lock_s

    def forget(self, key: str) -> None:
        self.by_key.pop(key, None)


class SignInLimiter:
    def __init__(self, clock: Callable[[], float],
                 limits: SignInLimits | None = None) -> None:
        self.clock, self.limits = clock, limits or SignInLimits()
        self.addresses = _Tally(self.limits.per_address, self.limits)
        self.accounts = _Tally(self.limits.per_account, self.limits)

    def refusal(self, address: str, account: str | None) -> AuthFailure | None:
        """429 while the address or the account is locked out, else None."""
        now = self.clock()
        wait = max(self.addresses.locked_for(address, now),
                   self.accounts.locked_for(account, now) if account is not None else 0.0)
        if wait <= 0:
            return None
        seconds = math.ceil(wait)
        return AuthFailure(429, f"too many failed sign-ins: try again in {seconds} s",
                           retry_after_s=seconds)

    def failed(self, address: str, account: str | None) -> None:
        now = self.clock()
        locked = self.addresses.failed(address, now)
        if locked is not None:
            log.warning("sign-in locked out for client address %s for %.0f s after %d failed "
                        "sign-ins", address, locked, self.limits.per_address)
        if account is not None:
            locked = self.accounts.failed(account, now)
            if locked is not None:
                log.warning("sign-in locked out for account %s for %.0f s after %d failed "
                            "sign-ins (the last from %s)", account, locked,
                            self.limits.per_account, address)

    def succeeded(self, account: str | None) -> None:
        if account is not None:
            self.accounts.forget(account)
