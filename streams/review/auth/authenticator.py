"""Every request to the review API passes here first: the Host it was sent to, the Origin of
a browser's state-changing request, the JSON content type of a POST (the CSRF defences), and
the credential in `Authorization: Bearer ...` (an API token or an OIDC JWT), with failed
sign-ins limited per client address and account (sign_in_limits.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping

from streams.review.auth.oidc import OidcVerifier
from streams.review.auth.principal import AuthFailure, Principal
from streams.review.auth.settings import ReviewAuthSettings
from streams.review.auth.sign_in_limits import SignInLimiter
from streams.review.auth.signed_out import SignedOut
from streams.review.auth.tokens import PREFIX, TokenStore

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class Authenticator:
    def __init__(self, settings: ReviewAuthSettings,
                 limiter: SignInLimiter | None = None) -> None:
        self.settings = settings
        self.tokens = TokenStore(settings.tokens_file)
        self.limiter = limiter or SignInLimiter(time.monotonic)
        self.signed_out = SignedOut()  # OIDC tokens whose sign-in the reviewer ended
        # The console's sign-in gets ID tokens, whose audience is its client id.
        audiences = [settings.oidc_audience or ""] + (
            [settings.console_login.client_id] if settings.console_login else [])
        self.oidc = (OidcVerifier(issuer=settings.oidc_issuer or "", audience=audiences,
                                  jwks=settings.oidc_jwks or "",
                                  id_claim=settings.oidc_id_claim,
                                  groups_claim=settings.oidc_groups_claim)
                     if settings.oidc_enabled else None)

    def check_request(self, method: str, headers: Mapping[str, str]) -> AuthFailure | None:
        """Host allow list (DNS rebinding), then for POSTs: the Origin allow list and a JSON
        content type (a cross-site form or `text/plain` fetch cannot send one without a
        preflight, which this API never grants)."""
        host = (headers.get("Host") or "").lower()
        if host not in self.settings.allowed_hosts:
            return AuthFailure(403, "this host name is not served (AFTERGUARD_REVIEW_ALLOWED_"
                                    "HOSTS)")
        if method.upper() in SAFE_METHODS:
            return None
        origin = headers.get("Origin")
        if origin is not None and origin.lower().rstrip("/") not in self.settings.allowed_origins:
            return AuthFailure(403, "cross-origin request refused (AFTERGUARD_REVIEW_ALLOWED_"
                                    "ORIGINS)")
        if headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
            return AuthFailure(403, "cross-site request refused")
        media = (headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        if media != "application/json":
            return AuthFailure(415, "send the request body as Content-Type: application/json")
        return None

    async def authenticate(self, headers: Mapping[str, str],
                           peer: str | None = None) -> Principal | AuthFailure:
        """The credential's reviewer; `peer`: the TCP peer's address. Failed sign-ins are
        limited against the client's address (the peer's, or the one a trusted proxy forwards:
        client_address.py) and against the account a token names (sign_in_limits.py)."""
        scheme, _, credential = (headers.get("Authorization") or "").partition(" ")
        credential = credential.strip()
        if scheme.lower() != "bearer" or not credential:
            return AuthFailure(401, "sign in: send Authorization: Bearer <API token or OIDC "
                                    "token>")
        client = self.settings.trusted_proxies.client_of(peer, headers)
        account = self.tokens.account_of(credential) if credential.startswith(PREFIX) else None
        locked = self.limiter.refusal(client, account)
        if locked is not None:
            return locked
        who = await self._verify(credential)
        if isinstance(who, Principal) and self.signed_out.ended(credential, time.time()):
            who = AuthFailure(401, "this sign-in was ended (signed out): sign in again")
        if isinstance(who, Principal):
            self.limiter.succeeded(account)
        elif who.status == 401:
            self.limiter.failed(client, account)
        return who

    async def end_sign_in(self, headers: Mapping[str, str], who: Principal) -> bool:
        """Sign out: the request's OIDC token is refused from now until it expires, also
        after a restart (True, once that is written). An API token is the reviewer's standing
        credential: revoke it instead (False)."""
        if who.via != "oidc" or who.expires_at is None:
            return False
        credential = (headers.get("Authorization") or "").partition(" ")[2].strip()
        self.signed_out.end(credential, who.expires_at, time.time())
        await self.signed_out.written()
        return True

    async def _verify(self, credential: str) -> Principal | AuthFailure:
        if credential.startswith(PREFIX):
            return self.tokens.verify(credential)
        if self.oidc is None:
            return AuthFailure(401, "the credential is not an API token, and no OIDC issuer is "
                                    "configured")
        if self.oidc.fetches_keys:
            return await asyncio.to_thread(self.oidc.verify, credential)
        return self.oidc.verify(credential)
