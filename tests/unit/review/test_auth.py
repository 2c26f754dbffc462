"""Reviewer credentials without a service: normalised ids, API tokens stored hashed, OIDC
tokens checked (signature, issuer, audience, expiry, algorithm), and the CSRF/Host checks."""

from __future__ import annotations

import json
import time
from pathlib import Path

import jwt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from streams.audit.evidence import IDENTITY
from streams.review.auth import AuthFailure, Principal, normalise
from streams.review.auth.authenticator import Authenticator
from streams.review.auth.oidc import OidcVerifier
from streams.review.auth.principal import valid_id
from streams.review.auth.settings import load_auth_settings
from streams.review.auth.tokens import TokenError, TokenStore
from tests.reviewer_credentials import AUDIENCE, ISSUER, MintingIssuer, stranger_key


@pytest.mark.parametrize("spelling", ["ann", "ANN", "Ann ", "ａｎｎ", "\uff21nn"])
def test_spellings_of_one_id_are_one_reviewer(spelling: str) -> None:
    assert normalise(spelling) == "ann"


def test_membership_needs_the_group_and_the_policy_list() -> None:
    ann = Principal.of("Ann", ["Security-Team"], "oidc")
    assert ann.in_group("security-team") and not ann.in_group("ops-review")
    assert ann.in_group("security-team", ["ANN", "bob"])
    assert not ann.in_group("security-team", ["bob"])


def test_api_tokens_are_stored_hashed_and_revocable(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "tokens.json")
    token, stored = store.create("Ann", ["security-team", "ops-review"])
    assert token not in (tmp_path / "tokens.json").read_text()
    assert store.verify(token) == Principal("ann", frozenset({"security-team", "ops-review"}),
                                            "api-token")
    assert isinstance(store.verify(token[:-1] + ("A" if token[-1] != "A" else "B")),
                      AuthFailure)
    assert isinstance(store.verify("agr_" + stored.token_id + ".guess"), AuthFailure)
    store.revoke(stored.token_id)
    assert isinstance(refused := store.verify(token), AuthFailure) and refused.status == 401
    with pytest.raises(TokenError):
        store.create("ann\x00", ["ops-review"])
    with pytest.raises(TokenError):
        store.create("ann", [])


SPACED_IDS = ["ann smith", "ann\tsmith", "ann\u00a0smith", "ann\u3000smith", "ann\u2028x",
              "a\u200bb", "\u3000"]


@pytest.mark.parametrize("reviewer", SPACED_IDS)
def test_an_id_the_audit_trail_cannot_carry_gets_no_token(tmp_path: Path, reviewer: str) -> None:
    with pytest.raises(TokenError, match="no spaces or control characters"):
        TokenStore(tmp_path / "tokens.json").create(reviewer, ["ops-review"])


def test_a_token_made_before_the_id_rule_no_longer_signs_in(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "tokens.json")
    token, _ = store.create("ann", ["ops-review"])
    text = (tmp_path / "tokens.json").read_text().replace('"ann"', '"ann smith"')
    (tmp_path / "tokens.json").write_text(text)
    refused = store.verify(token)
    assert isinstance(refused, AuthFailure) and refused.status == 401
    assert "ask for a new token" in refused.message


@given(st.text(min_size=1, max_size=40))
def test_every_id_that_signs_in_passes_the_evidence_contract(reviewer: str) -> None:
    accepted = valid_id(reviewer)
    if accepted is not None:
        assert IDENTITY.match(accepted), repr(accepted)


def test_a_broken_token_file_refuses_everyone(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "tokens.json")
    token, _ = store.create("ann", ["ops-review"])
    (tmp_path / "tokens.json").write_text("{not json")
    assert isinstance(refused := store.verify(token), AuthFailure) and refused.status == 503
    # Anyone can send a made-up token: the answer names no path of the server's.
    assert str(tmp_path) not in refused.message and "tokens.json" not in refused.message


@pytest.fixture
def issuer(tmp_path: Path) -> MintingIssuer:
    return MintingIssuer.create(tmp_path)


def verifier(issuer: MintingIssuer) -> OidcVerifier:
    return OidcVerifier(issuer=ISSUER, audience=AUDIENCE, jwks=str(issuer.jwks_file))


def test_oidc_tokens_give_the_subject_and_groups(issuer: MintingIssuer) -> None:
    got = verifier(issuer).verify(issuer.mint("Ann", ["security-team"]))
    assert got == Principal("ann", frozenset({"security-team"}), "oidc")
    spaced = verifier(issuer).verify(issuer.mint("bob", "ops-review review-leads"))
    assert isinstance(spaced, Principal) and spaced.groups == {"ops-review", "review-leads"}


@pytest.mark.parametrize("reviewer", SPACED_IDS)
def test_an_oidc_subject_the_audit_trail_cannot_carry_is_refused(
        issuer: MintingIssuer, reviewer: str) -> None:
    got = verifier(issuer).verify(issuer.mint(reviewer, ["ops-review"]))
    assert isinstance(got, AuthFailure) and got.status == 401
    assert "'sub' claim is not a reviewer id" in got.message and "no spaces" in got.message


def forged_hs256(issuer: MintingIssuer, now: int) -> str:
    """The algorithm-confusion forgery: an HMAC over the token keyed with the public key."""
    import base64
    import hashlib
    import hmac

    from cryptography.hazmat.primitives import serialization

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    key = issuer.key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    signing = (b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": issuer.kid}).encode()) + "."
               + b64(json.dumps({"iss": ISSUER, "aud": AUDIENCE, "sub": "ann",
                                 "exp": now + 60}).encode()))
    return signing + "." + b64(hmac.new(key, signing.encode(), hashlib.sha256).digest())


def test_oidc_tokens_that_fail_a_check_are_refused(issuer: MintingIssuer) -> None:
    now = int(time.time())
    cases = {
        "HS256 keyed with the public key": forged_hs256(issuer, now),
        "another key": issuer.mint("ann", ["g"], key=stranger_key()),
        "expired": issuer.mint("ann", ["g"], ttl_s=-120),
        "audience": issuer.mint("ann", ["g"], aud="other"),
        "issuer": issuer.mint("ann", ["g"], iss="https://evil.test"),
        "no sub": jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "exp": now + 60}, issuer.key,
                             algorithm="RS256", headers={"kid": issuer.kid}),
        "none alg": jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "sub": "ann", "exp": now + 60},
                               None, algorithm="none"),
        "unknown kid": jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "sub": "ann",
                                   "exp": now + 60}, issuer.key, algorithm="RS256",
                                  headers={"kid": "other"}),
        "garbage": "not.a.jwt",
    }
    for what, token in cases.items():
        got = verifier(issuer).verify(token)
        assert isinstance(got, AuthFailure) and got.status == 401, what


def test_request_checks_refuse_cross_site_posts_and_foreign_hosts(tmp_path: Path) -> None:
    auth = Authenticator(load_auth_settings("127.0.0.1", 6067, {
        "AFTERGUARD_REVIEW_TOKENS_FILE": str(tmp_path / "t.json")}))
    host = {"Host": "127.0.0.1:6067"}
    json_post = {**host, "Content-Type": "application/json; charset=utf-8"}
    assert auth.check_request("POST", json_post) is None
    assert auth.check_request("POST", {**json_post, "Origin": "http://127.0.0.1:6067"}) is None
    refused = {
        "text/plain": {**host, "Content-Type": "text/plain"},
        "form": {**host, "Content-Type": "application/x-www-form-urlencoded"},
        "foreign origin": {**json_post, "Origin": "https://evil.example"},
        "null origin": {**json_post, "Origin": "null"},
        "cross-site fetch": {**json_post, "Sec-Fetch-Site": "cross-site"},
        "rebound host": {"Host": "evil.example:6067", "Content-Type": "application/json"},
    }
    for what, headers in refused.items():
        assert auth.check_request("POST", headers) is not None, what
    assert auth.check_request("GET", {"Host": "evil.example"}) is not None
    assert auth.check_request("GET", {"Host": "localhost:6067"}) is None



def test_made_up_key_ids_do_not_make_the_service_refetch_the_jwks(
        issuer: MintingIssuer) -> None:
    """With a JWKS URL, a token naming an unknown key id may refresh the key set once per
    cooldown, not once per request (the network call is replaced by a counter here)."""
    url_verifier = OidcVerifier(issuer=ISSUER, audience=AUDIENCE,
                                jwks="https://idp.afterguard.test/jwks")
    fetches = []
    keys = json.loads(issuer.jwks_file.read_text())

    def fetch() -> object:
        fetches.append(1)
        return keys

    assert url_verifier._url_client is not None
    url_verifier._url_client.fetch_data = fetch  # type: ignore[method-assign]
    assert isinstance(url_verifier.verify(issuer.mint("ann", ["g"])), Principal)
    now, stranger = int(time.time()), stranger_key()
    for n in range(20):
        forged = jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "sub": "ann", "exp": now + 60},
                            stranger, algorithm="RS256", headers={"kid": f"made-up-{n}"})
        assert isinstance(url_verifier.verify(forged), AuthFailure)
    assert len(fetches) <= 2, fetches
