"""A minimal OIDC provider for the console's sign-in test, on this machine: its authorize
endpoint signs in a fixed user at once and redirects back with a code; its token endpoint
checks the client secret, the redirect URI and the PKCE verifier, and returns an ID token
minted by a `MintingIssuer` (audience = client id, the nonce of the sign-in)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiohttp import web

from tests.review_service import free_port
from tests.reviewer_credentials import MintingIssuer

CLIENT_ID, CLIENT_SECRET = "afterguard-console", "console-secret-for-tests-only-0123456789"


@dataclass
class LocalProvider:
    issuer: MintingIssuer
    user: tuple[str, list[str]] = ("ida", ["ops-review"])
    port: int = field(default_factory=free_port)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    token_requests: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self, secret_file: str) -> dict[str, str]:
        return {**self.issuer.env(), "AFTERGUARD_REVIEW_OIDC_CLIENT_ID": CLIENT_ID,
                "AFTERGUARD_REVIEW_OIDC_CLIENT_SECRET_FILE": secret_file,
                "AFTERGUARD_REVIEW_OIDC_AUTHORIZE_URL": self.url + "/authorize",
                "AFTERGUARD_REVIEW_OIDC_TOKEN_URL": self.url + "/token"}

    async def authorize(self, request: web.Request) -> web.Response:
        q = request.query
        if q.get("client_id") != CLIENT_ID or q.get("code_challenge_method") != "S256":
            return web.Response(status=400, text="bad authorization request")
        code = secrets.token_urlsafe(16)
        self.codes[code] = {k: q[k] for k in ("redirect_uri", "nonce", "code_challenge")}
        back = q["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code,
                                                                  "state": q["state"]})
        raise web.HTTPFound(back)

    async def token(self, request: web.Request) -> web.Response:
        self.token_requests += 1
        form = await request.post()
        grant = self.codes.pop(str(form.get("code")), None)  # a code works once
        verifier = str(form.get("code_verifier", ""))
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if (grant is None or form.get("client_id") != CLIENT_ID
                or form.get("client_secret") != CLIENT_SECRET
                or form.get("redirect_uri") != grant["redirect_uri"]
                or challenge != grant["code_challenge"]):
            return web.json_response({"error": "invalid_grant"}, status=400)
        sub, groups = self.user
        token = self.issuer.mint(sub, groups, aud=CLIENT_ID, nonce=grant["nonce"])
        return web.json_response({"id_token": token, "access_token": "opaque",
                                  "token_type": "Bearer"})


@contextmanager
def running(provider: LocalProvider) -> Iterator[LocalProvider]:
    loop = asyncio.new_event_loop()
    app = web.Application()
    app.router.add_get("/authorize", provider.authorize)
    app.router.add_post("/token", provider.token)
    runner = web.AppRunner(app)
    started = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", provider.port).start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started.wait(10)
    try:
        yield provider
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
