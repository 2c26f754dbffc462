"""The console's OIDC sign-in (streams/review/console/oidc_login.py) against a local identity
provider: a sign-in in progress lives in its sealed cookie, so no number of sign-ins started by
someone else refuses a reviewer's, and a cookie not sealed by this server signs no one in."""

from __future__ import annotations

import asyncio
import http.client
import urllib.parse
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from streams.review.auth.authenticator import Authenticator
from streams.review.auth.settings import load_auth_settings
from streams.review.console.oidc_login import COOKIE, OidcLogin, PageRenderer
from tests.oidc_provider import CLIENT_SECRET, LocalProvider, running
from tests.reviewer_credentials import MintingIssuer

HOST = "127.0.0.1:6068"
TEMPLATE = '<meta name="afterguard-signed-in" content="">'


def login_for(provider: LocalProvider, tmp_path: Path) -> OidcLogin:
    secret = tmp_path / "client-secret"
    secret.write_text(CLIENT_SECRET)
    settings = load_auth_settings("127.0.0.1", 6067, {
        "AFTERGUARD_REVIEW_TOKENS_FILE": str(tmp_path / "tokens.json"),
        **provider.env(str(secret))})
    assert settings.console_login is not None
    return OidcLogin(settings.console_login, Authenticator(settings),
                     PageRenderer(TEMPLATE, {}, True))


async def start(login: OidcLogin, request: web.Request | None = None) -> tuple[int, str, str]:
    """A sign-in started: its status, the provider URL it sends the browser to, its cookie."""
    try:
        answer: web.StreamResponse = await login.start(
            request or make_mocked_request("GET", "/console/login", headers={"Host": HOST}))
    except web.HTTPFound as found:  # aiohttp may raise it as well as return it
        answer = found
    cookie = answer.cookies[COOKIE].value if COOKIE in answer.cookies else ""
    return answer.status, answer.headers.get("Location", ""), cookie


async def callback(login: OidcLogin, query: dict[str, str], cookie: str) -> web.Response:
    return await login.callback(make_mocked_request(
        "GET", "/console/callback?" + urllib.parse.urlencode(query),
        headers={"Host": HOST, "Cookie": f"{COOKIE}={cookie}"}))


def authorize(provider: LocalProvider, location: str) -> dict[str, str]:
    """What the provider redirects the browser back with (code and state)."""
    connection = http.client.HTTPConnection("127.0.0.1", provider.port, timeout=10)
    try:
        connection.request("GET", location.removeprefix(provider.url))
        back = connection.getresponse().getheader("Location") or ""
    finally:
        connection.close()
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back).query))


def test_sign_ins_started_by_someone_else_never_refuse_a_reviewers(tmp_path: Path) -> None:
    """Before: each `/console/login` (no credential needed) took a slot of a table of
    10,000 for 10 minutes, and once it was full every sign-in was refused (503)."""
    provider = LocalProvider(MintingIssuer.create(tmp_path))
    with running(provider):
        login = login_for(provider, tmp_path)

        async def flood_then_sign_in() -> tuple[list[int], web.Response]:
            request = make_mocked_request("GET", "/console/login", headers={"Host": HOST})
            flood = [(await start(login, request))[0] for _ in range(10_001)]
            status, location, cookie = await start(login)
            assert status == 302, status
            back = await asyncio.to_thread(authorize, provider, location)
            return flood, await callback(login, back, cookie)

        flood, signed_in = asyncio.run(flood_then_sign_in())
    assert set(flood) == {302}
    assert signed_in.status == 200 and signed_in.text is not None
    assert 'name="afterguard-signed-in" content="ey' in signed_in.text, "the ID token"


def test_a_cookie_not_sealed_here_or_for_another_state_signs_no_one_in(tmp_path: Path) -> None:
    provider = LocalProvider(MintingIssuer.create(tmp_path))
    with running(provider):
        login, other = login_for(provider, tmp_path), login_for(provider, tmp_path)

        async def tries() -> list[str]:
            _, location, cookie = await start(login)
            _, _, cookie_of_another = await start(login)
            _, _, foreign = await start(other)  # another server's (or an earlier run's) key
            state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))["state"]
            body, _, mac = cookie.partition(".")
            query = {"code": "stolen", "state": state}
            answers = [await callback(login, query, c) for c in (
                cookie_of_another, foreign, body[:-2] + "xx." + mac, "", "é.ü")]
            answers.append(await callback(login, {"code": "stolen", "state": "é"}, cookie))
            return [a.text or "" for a in answers]

        texts = asyncio.run(tries())
    assert all("this sign-in was not started here" in t for t in texts), texts
    assert provider.token_requests == 0, "refused before the token endpoint"
