"""The console's "Sign in with your identity provider": the OIDC authorization-code flow with
PKCE (S256), a state bound to the browser by a short-lived cookie, and a nonce. The console
server exchanges the code for tokens (as a confidential client), verifies the ID token with
the API's own verifier (signature, issuer, audience = client id, expiry, nonce), and hands it
to the page, which then uses it as its bearer token like any other credential.

A sign-in in progress is kept in its cookie, not on the server: state, PKCE verifier, nonce,
redirect URI and expiry, authenticated with HMAC-SHA256 under a key made at start (a restart
ends the sign-ins in progress). The server kept them in a table of at most 10,000 before, and
anyone who could reach the port filled it with `/console/login` requests: every reviewer's
sign-in was then refused (503) for 10 minutes."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import html
import json
import secrets
import time
import urllib.parse
from dataclasses import dataclass

import aiohttp
from aiohttp import web

from streams.review.auth.authenticator import Authenticator
from streams.review.auth.principal import Principal
from streams.review.auth.settings import ConsoleLogin

COOKIE = "afterguard_login_state"
PENDING_S = 600


@dataclass(frozen=True)
class Pending:
    state: str
    verifier: str  # PKCE code verifier
    nonce: str
    redirect_uri: str
    expires: float  # time.monotonic() of this process


class PendingSeal:
    """A sign-in in progress as a cookie value: its fields, then their HMAC-SHA256."""

    def __init__(self) -> None:
        self.key = secrets.token_bytes(32)

    def _mac(self, body: bytes) -> bytes:
        digest = hmac.new(self.key, body, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=")

    def seal(self, pending: Pending) -> str:
        body = base64.urlsafe_b64encode(json.dumps(
            [pending.state, pending.verifier, pending.nonce, pending.redirect_uri,
             pending.expires]).encode()).rstrip(b"=")
        return (body + b"." + self._mac(body)).decode()

    def open(self, cookie: str, now: float) -> Pending | None:
        """The pending sign-in the cookie holds, if this server sealed it and it is current."""
        body, _, mac = cookie.encode("utf-8", "replace").partition(b".")
        if len(cookie) > 4096 or not hmac.compare_digest(self._mac(body), mac):
            return None
        try:
            fields = json.loads(base64.urlsafe_b64decode(body + b"=" * (-len(body) % 4)))
            pending = Pending(*fields)
        except (ValueError, TypeError):
            return None
        return pending if pending.expires >= now else None


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class OidcLogin:
    def __init__(self, login: ConsoleLogin, auth: Authenticator,
                 signed_in_page: PageRenderer) -> None:
        self.login, self.auth, self.page = login, auth, signed_in_page
        self.seal = PendingSeal()

    def _redirect_uri(self, request: web.Request) -> str:
        return f"{self.auth.settings.scheme}://{request.host}/console/callback"

    async def start(self, request: web.Request) -> web.Response:
        failure = self.auth.check_request(request.method, request.headers)
        if failure is not None:
            return web.Response(status=failure.status, text=failure.message)
        state, verifier, nonce = (secrets.token_urlsafe(32) for _ in range(3))
        pending = Pending(state, verifier, nonce, self._redirect_uri(request),
                          time.monotonic() + PENDING_S)
        query = urllib.parse.urlencode({
            "response_type": "code", "client_id": self.login.client_id,
            "redirect_uri": pending.redirect_uri, "scope": self.login.scopes, "state": state,
            "nonce": nonce, "code_challenge": _challenge(verifier),
            "code_challenge_method": "S256"})
        separator = "&" if "?" in self.login.authorize_url else "?"
        response = web.HTTPFound(self.login.authorize_url + separator + query)
        response.set_cookie(COOKIE, self.seal.seal(pending), max_age=PENDING_S, httponly=True,
                            samesite="Lax",
                            path="/console/callback",
                            secure=self.auth.settings.scheme == "https")
        return response

    async def callback(self, request: web.Request) -> web.Response:
        failure = self.auth.check_request(request.method, request.headers)
        if failure is not None:
            return web.Response(status=failure.status, text=failure.message)
        state = request.query.get("state", "").encode("utf-8", "replace")
        pending = self.seal.open(request.cookies.get(COOKIE, ""), time.monotonic())
        if pending is None or not state or not secrets.compare_digest(pending.state.encode(),
                                                                      state):
            return self._refused("this sign-in was not started here, or it expired")
        if "error" in request.query or "code" not in request.query:
            return self._refused("the identity provider did not sign you in")
        id_token = await self._exchange(request.query["code"], pending)
        if id_token is None:
            return self._refused("the identity provider did not give an ID token")
        verify = self.auth.oidc.verify if self.auth.oidc else None
        if verify is None:
            return self._refused("no OIDC issuer is configured")
        who = await asyncio.to_thread(verify, id_token, pending.nonce)
        if not isinstance(who, Principal):
            return self._refused(who.message)
        response = self.page(id_token)
        response.del_cookie(COOKIE, path="/console/callback")
        return response

    async def _exchange(self, code: str, pending: Pending) -> str | None:
        form = {"grant_type": "authorization_code", "code": code,
                "redirect_uri": pending.redirect_uri, "client_id": self.login.client_id,
                "client_secret": self.login.client_secret(), "code_verifier": pending.verifier}
        try:
            async with (aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as session,
                        session.post(self.login.token_url, data=form,
                                     headers={"Accept": "application/json"}) as reply):
                if reply.status != 200:
                    return None
                body = await reply.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError, ValueError):
            return None
        token = body.get("id_token") if isinstance(body, dict) else None
        return token if isinstance(token, str) else None

    @staticmethod
    def _refused(why: str) -> web.Response:
        return web.Response(status=400, content_type="text/html", charset="utf-8",
                            text="<!doctype html><title>Sign-in refused</title><p>Sign-in "
                                 f"refused: {html.escape(why)}. <a href=\"/\">Back</a></p>")


class PageRenderer:
    """The console page, with the settings the page needs put in its meta tags."""

    def __init__(self, template: str, headers: dict[str, str], oidc_login: bool) -> None:
        self.template = template.replace(
            '<meta name="afterguard-oidc-login" content="">',
            f'<meta name="afterguard-oidc-login" content="{"yes" if oidc_login else ""}">')
        self.headers = headers

    def __call__(self, signed_in_token: str | None = None) -> web.Response:
        page = self.template
        if signed_in_token is not None:
            page = page.replace('<meta name="afterguard-signed-in" content="">',
                                '<meta name="afterguard-signed-in" content="'
                                + html.escape(signed_in_token, quote=True) + '">')
        return web.Response(text=page, content_type="text/html", charset="utf-8",
                            headers=self.headers)
