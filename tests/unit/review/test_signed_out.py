"""Sign-ins ended by signing out (streams/review/auth/signed_out.py): an OIDC token is refused
until its own expiry, memory is bounded, and an API token is not ended this way."""

from __future__ import annotations

import asyncio
from pathlib import Path

from streams.review.auth import AuthFailure, Principal
from streams.review.auth.authenticator import Authenticator
from streams.review.auth.settings import load_auth_settings
from streams.review.auth.signed_out import SignedOut


def test_an_ended_token_is_refused_until_it_expires_and_memory_is_bounded() -> None:
    ended = SignedOut(max_kept=3)
    ended.end("token-a", expires_at=1000.0, now=10.0)
    assert ended.ended("token-a", now=999.0) and not ended.ended("token-b", now=999.0)
    assert not ended.ended("token-a", now=1000.0), "expired: refused for that reason anyway"
    for n in range(10):
        ended.end(f"token-{n}", expires_at=2000.0 + n, now=20.0)
    assert len(ended.until) == 3 and ended.ended("token-9", now=30.0)
    ended.end("token-z", expires_at=5000.0, now=2500.0)  # the expired ones are dropped
    assert set(ended.until.values()) == {5000.0}


def test_signing_out_with_an_api_token_leaves_it_valid(tmp_path: Path) -> None:
    auth = Authenticator(load_auth_settings("127.0.0.1", 6067, {
        "AFTERGUARD_REVIEW_TOKENS_FILE": str(tmp_path / "tokens.json")}))
    token, _ = auth.tokens.create("ann", ["ops-review"])
    headers = {"Authorization": f"Bearer {token}"}
    who = asyncio.run(auth.authenticate(headers, "10.0.0.1"))
    assert isinstance(who, Principal) and not asyncio.run(auth.end_sign_in(headers, who))
    again = asyncio.run(auth.authenticate(headers, "10.0.0.1"))
    assert not isinstance(again, AuthFailure), "revoke an API token with the CLI instead"


def test_sign_outs_recovered_into_the_store_are_refused_and_expire() -> None:
    """In the service the store is a faust table a restart recovers from its changelog: the
    entries come back without having been ended by this process."""
    first = SignedOut(max_kept=3)
    first.end("token-a", expires_at=1000.0, now=10.0)
    first.end("token-b", expires_at=3000.0, now=10.0)
    recovered = SignedOut(max_kept=3, store=dict(first.until))
    assert recovered.ended("token-a", now=20.0) and recovered.ended("token-b", now=20.0)
    recovered.end("token-c", expires_at=4000.0, now=2000.0)  # token-a has expired meanwhile
    assert set(recovered.until.values()) == {3000.0, 4000.0}
    for n in range(5):
        recovered.end(f"token-{n}", expires_at=5000.0 + n, now=2000.0)
    assert len(recovered.until) == 3 and not recovered.ended("token-b", now=2000.0), \
        "the one expiring first is dropped first, recovered or not"
