"""OIDC bearer tokens (JWTs): signature checked against the issuer's JWKS (a file, or an
https URL fetched and cached by PyJWT), then issuer, audience, expiry and not-before. The
reviewer id and groups come from configurable claims. Symmetric and `none` algorithms are
never accepted: a token signed with the public key as an HMAC secret is refused."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jwt

from streams.config import ConfigError
from streams.review.auth.principal import ID_RULE, AuthFailure, Principal, valid_id

ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
              "EdDSA")


class OidcConfigError(ConfigError):
    """The JWKS cannot be read (names the setting)."""


class OidcVerifier:
    def __init__(self, *, issuer: str, audience: str | list[str], jwks: str,
                 id_claim: str = "sub",
                 groups_claim: str = "groups", algorithms: Sequence[str] = ASYMMETRIC,
                 leeway_s: float = 30.0) -> None:
        self.issuer, self.audience = issuer, audience
        self.id_claim, self.groups_claim = id_claim, groups_claim
        self.algorithms = [a for a in algorithms if a in ASYMMETRIC]
        self.leeway_s = leeway_s
        self._url_client: jwt.PyJWKClient | None = None
        self._file_keys: jwt.PyJWKSet | None = None
        if jwks.startswith("https://"):
            # An unknown key id refetches the JWKS at most once per cooldown: tokens with
            # made-up key ids cannot make the service hammer the identity provider.
            self._url_client = jwt.PyJWKClient(jwks, cache_keys=True, lifespan=300, timeout=10,
                                               cooldown_duration=30)
        elif jwks.startswith("http://"):
            raise OidcConfigError("AFTERGUARD_REVIEW_OIDC_JWKS: an http:// URL can be spoofed; "
                                  "use https:// or a file")
        else:
            try:
                self._file_keys = jwt.PyJWKSet.from_dict(json.loads(Path(jwks).read_text()))
            except (OSError, ValueError, jwt.PyJWKSetError) as exc:
                raise OidcConfigError(f"AFTERGUARD_REVIEW_OIDC_JWKS: {jwks} is not a readable "
                                      f"JWKS file ({type(exc).__name__})") from None

    @property
    def fetches_keys(self) -> bool:
        """True when verifying may fetch the JWKS over the network (run it off the loop)."""
        return self._url_client is not None

    def verify(self, token: str, nonce: str | None = None) -> Principal | AuthFailure:
        """The principal the token names; with `nonce`, an ID token of this sign-in only."""
        try:
            key = self._signing_key(token)
            claims: dict[str, Any] = jwt.decode(
                token, key, algorithms=self.algorithms, audience=self.audience,
                issuer=self.issuer, leeway=self.leeway_s,
                options={"require": ["exp", "iss", "aud", self.id_claim]})
        except jwt.ExpiredSignatureError:
            return AuthFailure(401, "the bearer token has expired")
        except jwt.InvalidAudienceError:
            return AuthFailure(401, "the bearer token is for another audience")
        except jwt.InvalidIssuerError:
            return AuthFailure(401, "the bearer token is from another issuer")
        except jwt.PyJWKClientConnectionError:
            return AuthFailure(503, "the identity provider's keys cannot be fetched")
        except (jwt.PyJWTError, KeyError, ValueError):
            return AuthFailure(401, "the bearer token is not valid (signature, key or claims)")
        if nonce is not None and claims.get("nonce") != nonce:
            return AuthFailure(401, "the ID token is not from this sign-in (nonce)")
        reviewer = claims.get(self.id_claim)
        reviewer_id = valid_id(reviewer) if isinstance(reviewer, str) else None
        if reviewer_id is None:
            return AuthFailure(401, f"the bearer token's {self.id_claim!r} claim is not a "
                                    f"reviewer id: a reviewer id is {ID_RULE} (set "
                                    "AFTERGUARD_REVIEW_OIDC_ID_CLAIM to a claim that is)")
        return Principal.of(reviewer_id, _groups(claims.get(self.groups_claim)), "oidc",
                            float(claims["exp"]))

    def _signing_key(self, token: str) -> Any:
        if self._url_client is not None:
            return self._url_client.get_signing_key_from_jwt(token).key
        assert self._file_keys is not None
        kid = jwt.get_unverified_header(token).get("kid")
        keys = self._file_keys.keys
        if kid is None and len(keys) == 1:
            return keys[0].key
        return self._file_keys[str(kid)].key  # KeyError when the kid is unknown


def _groups(value: Any) -> list[str]:
    """Groups as a list of names, or one space-separated string (some providers do that)."""
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [g for g in value if isinstance(g, str)]
    return []
