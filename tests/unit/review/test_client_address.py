"""Which client address failed sign-ins count against (streams/review/auth/client_address.py):
the peer's, unless the peer is a trusted proxy; then the right-most hop it forwards that is not
itself a trusted proxy."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from multidict import CIMultiDict

from streams.review.auth import AuthFailure
from streams.review.auth.authenticator import Authenticator
from streams.review.auth.client_address import TrustedProxies
from streams.review.auth.settings import AuthSettingsError, load_auth_settings
from streams.review.auth.sign_in_limits import SignInLimiter, SignInLimits

PROXIES = TrustedProxies.parse("10.0.0.5, 10.9.0.0/16, fd00::/8")


def headers(*pairs: tuple[str, str]) -> CIMultiDict[str]:
    return CIMultiDict(pairs)


@pytest.mark.parametrize(("peer", "sent", "client"), [
    # from anyone but a trusted proxy the headers are the client's own words: ignored
    ("198.51.100.9", [("X-Forwarded-For", "203.0.113.7")], "198.51.100.9"),
    ("198.51.100.9", [("Forwarded", "for=203.0.113.7")], "198.51.100.9"),
    # from the proxy: the hop it appended
    ("10.0.0.5", [("X-Forwarded-For", "203.0.113.7")], "203.0.113.7"),
    # the client wrote its own header first: the proxy appended the real peer on the right
    ("10.0.0.5", [("X-Forwarded-For", "192.0.2.1, 203.0.113.7")], "203.0.113.7"),
    ("10.0.0.5", [("X-Forwarded-For", "192.0.2.1"), ("X-Forwarded-For", "203.0.113.7")],
     "203.0.113.7"),
    # two trusted proxies in a row: the first untrusted hop from the right
    ("10.0.0.5", [("X-Forwarded-For", "192.0.2.1, 203.0.113.7, 10.9.3.4")], "203.0.113.7"),
    # only trusted hops: the left-most of them
    ("10.0.0.5", [("X-Forwarded-For", "10.9.3.4")], "10.9.3.4"),
    # no header, an empty one, or a hop that is no address: the proxy's own
    ("10.0.0.5", [], "10.0.0.5"),
    ("10.0.0.5", [("X-Forwarded-For", "")], "10.0.0.5"),
    ("10.0.0.5", [("X-Forwarded-For", "203.0.113.7, unknown")], "10.0.0.5"),
    ("10.0.0.5", [("X-Forwarded-For", "ann\r\nforged log line")], "10.0.0.5"),
    # the header not configured is not read, even from the proxy
    ("10.0.0.5", [("Forwarded", "for=203.0.113.7")], "10.0.0.5"),
    # ports; IPv6 counted per /64; IPv4 mapped into IPv6
    ("10.0.0.5", [("X-Forwarded-For", "203.0.113.7:5511")], "203.0.113.7"),
    ("10.0.0.5", [("X-Forwarded-For", "2001:db8:1:2:aaaa::1")], "2001:db8:1:2::/64"),
    ("10.0.0.5", [("X-Forwarded-For", "[2001:db8:1:2::9]:443")], "2001:db8:1:2::/64"),
    ("::ffff:10.0.0.5", [("X-Forwarded-For", "203.0.113.7")], "203.0.113.7"),
    ("fd00::1", [("X-Forwarded-For", "203.0.113.7")], "203.0.113.7"),
    (None, [("X-Forwarded-For", "203.0.113.7")], "unknown"),
])
def test_the_client_is_the_right_most_hop_no_trusted_proxy_wrote(
        peer: str | None, sent: list[tuple[str, str]], client: str) -> None:
    assert PROXIES.client_of(peer, headers(*sent)) == client


def test_the_forwarded_header_when_configured() -> None:
    proxies = TrustedProxies.parse("10.0.0.5", "Forwarded")
    sent = headers(("Forwarded", 'for="[2001:db8::7]:80";proto=https, for=203.0.113.7;by=x'),
                   ("X-Forwarded-For", "192.0.2.1"))
    assert proxies.client_of("10.0.0.5", sent) == "203.0.113.7"
    assert proxies.client_of("10.0.0.5", headers(("Forwarded", "for=_hidden"))) == "10.0.0.5"
    assert proxies.client_of("10.0.0.6", sent) == "10.0.0.6"


@pytest.mark.parametrize(("name", "value"), [
    ("AFTERGUARD_REVIEW_TRUSTED_PROXIES", "10.0.0.5, proxy.internal"),
    ("AFTERGUARD_REVIEW_PROXY_HEADER", "X-Real-IP"),
])
def test_a_setting_that_cannot_work_stops_the_service_naming_it(
        tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(AuthSettingsError, match=name):
        load_auth_settings("127.0.0.1", 6067, {
            "AFTERGUARD_REVIEW_TOKENS_FILE": str(tmp_path / "t.json"), name: value})


def test_clients_behind_the_proxy_have_limits_of_their_own_and_cannot_escape_theirs(
        tmp_path: Path) -> None:
    auth = Authenticator(load_auth_settings("127.0.0.1", 6067, {
        "AFTERGUARD_REVIEW_TOKENS_FILE": str(tmp_path / "tokens.json"),
        "AFTERGUARD_REVIEW_TRUSTED_PROXIES": "10.0.0.5"}),
        SignInLimiter(lambda: 1000.0, SignInLimits(per_address=3)))
    good, _ = auth.tokens.create("ann", ["ops-review"])

    def status(token: str, peer: str, forwarded: str) -> int:
        got = asyncio.run(auth.authenticate(
            headers(("Authorization", f"Bearer {token}"), ("X-Forwarded-For", forwarded)),
            peer))
        return got.status if isinstance(got, AuthFailure) else 200

    assert [status(f"agr_{n:012x}.x", "10.0.0.5", f"192.0.2.{n}, 203.0.113.7")
            for n in range(3)] == [401] * 3
    assert status(good, "10.0.0.5", "198.51.100.1, 203.0.113.7") == 429, "spoofed left hop"
    assert status(good, "10.0.0.5", "203.0.113.8") == 200, "another client of the proxy"
    assert [status(f"agr_{n:012x}.x", "198.51.100.9", f"203.0.113.{n}")
            for n in range(3)] == [401] * 3
    assert status(good, "198.51.100.9", "203.0.113.50") == 429, "a direct client's own header"
