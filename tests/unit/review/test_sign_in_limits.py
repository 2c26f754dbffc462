"""Failed sign-ins are limited per client address and per account, with a growing lock-out
(streams/review/auth/sign_in_limits.py), on a clock the test moves."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from streams.review.auth import AuthFailure, Principal
from streams.review.auth.authenticator import Authenticator
from streams.review.auth.settings import load_auth_settings
from streams.review.auth.sign_in_limits import SignInLimiter, SignInLimits


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_address_is_locked_out_after_its_failures_and_the_lock_out_doubles() -> None:
    clock = Clock()
    limiter = SignInLimiter(clock, SignInLimits(per_address=3, base_lock_s=30, max_lock_s=100))
    for _ in range(2):
        limiter.failed("10.0.0.1", None)
    assert limiter.refusal("10.0.0.1", None) is None
    limiter.failed("10.0.0.1", None)
    locked = limiter.refusal("10.0.0.1", None)
    assert locked is not None and (locked.status, locked.retry_after_s) == (429, 30)
    assert limiter.refusal("10.0.0.2", None) is None, "another address is not locked out"
    clock.now += 31
    assert limiter.refusal("10.0.0.1", None) is None
    for _ in range(3):
        limiter.failed("10.0.0.1", None)
    assert limiter.refusal("10.0.0.1", None).retry_after_s == 60  # type: ignore[union-attr]
    clock.now += 61
    for _ in range(3):
        limiter.failed("10.0.0.1", None)
    assert limiter.refusal("10.0.0.1", None).retry_after_s == 100, "capped"  # type: ignore[union-attr]


def test_an_account_is_locked_from_every_address_and_a_good_sign_in_clears_it() -> None:
    clock = Clock()
    limiter = SignInLimiter(clock, SignInLimits(per_address=100, per_account=2))
    limiter.failed("10.0.0.1", "ann (token a1)")
    limiter.succeeded("ann (token a1)")
    limiter.failed("10.0.0.2", "ann (token a1)")
    assert limiter.refusal("10.0.0.3", "ann (token a1)") is None, "the success cleared it"
    limiter.failed("10.0.0.3", "ann (token a1)")
    assert limiter.refusal("10.0.0.9", "ann (token a1)") is not None
    assert limiter.refusal("10.0.0.9", "bob (token b2)") is None


def test_failures_outside_the_window_do_not_add_up() -> None:
    clock = Clock()
    limiter = SignInLimiter(clock, SignInLimits(per_address=3, window_s=60))
    for _ in range(10):
        limiter.failed("10.0.0.1", None)
        clock.now += 40  # two in any 60 s
        assert limiter.refusal("10.0.0.1", None) is None


def test_memory_is_bounded_by_the_addresses_it_tracks() -> None:
    limiter = SignInLimiter(Clock(), SignInLimits(max_tracked=50))
    for n in range(10_000):
        limiter.failed(f"10.0.{n // 256}.{n % 256}", f"x{n}")
    assert len(limiter.addresses.by_key) == 50 and len(limiter.accounts.by_key) == 50


def test_wrong_secrets_for_a_real_token_lock_its_account_and_the_log_names_no_secret(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    auth = Authenticator(load_auth_settings("127.0.0.1", 6067, {
        "AFTERGUARD_REVIEW_TOKENS_FILE": str(tmp_path / "tokens.json")}),
        SignInLimiter(Clock(), SignInLimits(per_address=50, per_account=3)))
    ann, stored = auth.tokens.create("ann", ["ops-review"])
    bob, _ = auth.tokens.create("bob", ["ops-review"])
    guesses = [f"agr_{stored.token_id}.guess{n}secret" for n in range(3)]

    def sign_in(token: str) -> Principal | AuthFailure:
        return asyncio.run(auth.authenticate({"Authorization": f"Bearer {token}"}, "10.1.1.1"))

    with caplog.at_level(logging.WARNING):
        assert [getattr(sign_in(g), "status", None) for g in guesses] == [401] * 3
    locked = sign_in(ann)
    assert isinstance(locked, AuthFailure) and locked.status == 429, "ann's account is locked"
    assert isinstance(sign_in(bob), Principal), "bob, from the same address, is not"
    assert f"ann (token {stored.token_id})" in caplog.text
    assert not any(secret in caplog.text for secret in [*guesses, ann, "guess"])
    assert isinstance(sign_in(""), AuthFailure)  # no credential: not counted
