"""The review API's authentication settings, read once from the environment at start-up."""

from __future__ import annotations

import logging
import os
import ssl
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from streams.broker.local import afterguard_home
from streams.config import ConfigError
from streams.review.auth.client_address import ProxySettingError, TrustedProxies

log = logging.getLogger(__name__)


class AuthSettingsError(ConfigError):
    """A setting that cannot work (the message names it)."""


class ConsoleLogin(BaseModel):
    """The console's OIDC authorization-code sign-in (a confidential client, with PKCE)."""

    model_config = ConfigDict(frozen=True)

    client_id: str
    client_secret_file: Path
    authorize_url: str
    token_url: str
    scopes: str = "openid profile"

    def client_secret(self) -> str:
        try:
            return self.client_secret_file.read_text().strip()
        except OSError as exc:
            raise AuthSettingsError(f"AFTERGUARD_REVIEW_OIDC_CLIENT_SECRET_FILE: "
                                    f"{self.client_secret_file}: {exc.strerror}") from None


def _endpoint(name: str, url: str) -> str:
    """https, or http to this machine only (a local identity provider in tests)."""
    host = url.split("//", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
    if url.startswith("https://") or (url.startswith("http://")
                                      and host in ("127.0.0.1", "localhost", "[::1]")):
        return url
    raise AuthSettingsError(f"{name}: {url!r} is not an https:// URL")


class ReviewAuthSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    console_port: int | None = None  # the review console's own port; None: no console
    tokens_file: Path
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks: str | None = None  # a file, or an https:// URL
    oidc_id_claim: str = "sub"
    oidc_groups_claim: str = "groups"
    console_login: ConsoleLogin | None = None  # the console's "Sign in with ..." button
    allowed_hosts: tuple[str, ...]  # Host header values served (lower case, with port)
    allowed_origins: tuple[str, ...]  # Origins allowed to POST (scheme://host:port)
    tls_cert_file: Path | None = None
    tls_key_file: Path | None = None
    # whose forwarding header names the client failed sign-ins count against
    trusted_proxies: TrustedProxies = TrustedProxies()

    @property
    def oidc_enabled(self) -> bool:
        return self.oidc_issuer is not None

    @property
    def scheme(self) -> str:
        return "https" if self.tls_cert_file else "http"

    def ssl_context(self) -> ssl.SSLContext | None:
        if self.tls_cert_file is None:
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        try:
            context.load_cert_chain(self.tls_cert_file, self.tls_key_file)
        except (OSError, ssl.SSLError) as exc:
            raise AuthSettingsError(
                f"AFTERGUARD_REVIEW_TLS_CERT_FILE/AFTERGUARD_REVIEW_TLS_KEY_FILE: "
                f"{self.tls_cert_file} with {self.tls_key_file} cannot be loaded: {exc}") from None
        return context


def default_tokens_file() -> Path:
    return afterguard_home() / "review" / "tokens.json"


def tokens_file_from(environ: Mapping[str, str]) -> Path:
    value = environ.get("AFTERGUARD_REVIEW_TOKENS_FILE")
    return Path(value) if value else default_tokens_file()


def _listed(environ: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(v.strip().lower().rstrip("/") for v in environ.get(name, "").split(",")
                 if v.strip())


def console_port_from(environ: Mapping[str, str], api_port: int) -> int | None:
    """The console's port (AFTERGUARD_REVIEW_CONSOLE_PORT, default the API's + 1; `off`: none)."""
    value = environ.get("AFTERGUARD_REVIEW_CONSOLE_PORT", "").strip().lower()
    if value in ("off", "0", "none"):
        return None
    if not value:
        return api_port + 1
    if not value.isdigit() or not 0 < int(value) < 65536 or int(value) == api_port:
        raise AuthSettingsError(f"AFTERGUARD_REVIEW_CONSOLE_PORT: {value!r} is not a free port "
                                "number other than the API's, nor 'off'")
    return int(value)


def load_auth_settings(host: str, port: int,
                       environ: Mapping[str, str] | None = None) -> ReviewAuthSettings:
    """`port`: the API's; the console's port (when on) is served with the same settings."""
    env = os.environ if environ is None else environ
    console = console_port_from(env, port)
    ports = [port] if console is None else [port, console]
    oidc = {k: env.get(f"AFTERGUARD_REVIEW_OIDC_{k.upper()}") or None
            for k in ("issuer", "audience", "jwks")}
    if any(oidc.values()) and not all(oidc.values()):
        missing = [f"AFTERGUARD_REVIEW_OIDC_{k.upper()}" for k, v in oidc.items() if not v]
        raise AuthSettingsError("OIDC needs issuer, audience and JWKS; missing: "
                                + ", ".join(missing))
    cert, key = env.get("AFTERGUARD_REVIEW_TLS_CERT_FILE"), env.get("AFTERGUARD_REVIEW_TLS_KEY_FILE")
    if bool(cert) != bool(key):
        raise AuthSettingsError("TLS needs both AFTERGUARD_REVIEW_TLS_CERT_FILE and "
                                "AFTERGUARD_REVIEW_TLS_KEY_FILE")
    if host in ("0.0.0.0", "::", "[::]") and not env.get("AFTERGUARD_REVIEW_ALLOWED_HOSTS"):
        log.warning("AFTERGUARD_REVIEW_HOST=%s serves every interface, but only requests to "
                    "127.0.0.1/localhost are answered until AFTERGUARD_REVIEW_ALLOWED_HOSTS "
                    "names the host names reviewers use (host:port, comma-separated)", host)
    hosts = _listed(env, "AFTERGUARD_REVIEW_ALLOWED_HOSTS") or tuple(dict.fromkeys(
        f"{h}:{p}" for p in ports for h in (host.lower(), "127.0.0.1", "localhost", "[::1]")))
    scheme = "https" if cert else "http"
    origins = _listed(env, "AFTERGUARD_REVIEW_ALLOWED_ORIGINS") or tuple(
        f"{scheme}://{h}" for h in hosts)
    login = None
    if env.get("AFTERGUARD_REVIEW_OIDC_CLIENT_ID"):
        needed = ("CLIENT_SECRET_FILE", "AUTHORIZE_URL", "TOKEN_URL")
        missing = [f"AFTERGUARD_REVIEW_OIDC_{n}" for n in needed
                   if not env.get(f"AFTERGUARD_REVIEW_OIDC_{n}")]
        if missing or not oidc["issuer"]:
            raise AuthSettingsError("the console's OIDC sign-in needs the issuer settings and "
                                    + ", ".join(missing or ["AFTERGUARD_REVIEW_OIDC_ISSUER"]))
        login = ConsoleLogin(
            client_id=env["AFTERGUARD_REVIEW_OIDC_CLIENT_ID"],
            client_secret_file=Path(env["AFTERGUARD_REVIEW_OIDC_CLIENT_SECRET_FILE"]),
            authorize_url=_endpoint("AFTERGUARD_REVIEW_OIDC_AUTHORIZE_URL",
                                    env["AFTERGUARD_REVIEW_OIDC_AUTHORIZE_URL"]),
            token_url=_endpoint("AFTERGUARD_REVIEW_OIDC_TOKEN_URL",
                                env["AFTERGUARD_REVIEW_OIDC_TOKEN_URL"]),
            scopes=env.get("AFTERGUARD_REVIEW_OIDC_SCOPES") or "openid profile")
    try:
        proxies = TrustedProxies.parse(env.get("AFTERGUARD_REVIEW_TRUSTED_PROXIES", ""),
                                       env.get("AFTERGUARD_REVIEW_PROXY_HEADER", ""))
    except ProxySettingError as exc:
        raise AuthSettingsError(str(exc)) from None
    return ReviewAuthSettings(
        trusted_proxies=proxies,
        console_port=console, console_login=login, tokens_file=tokens_file_from(env), oidc_issuer=oidc["issuer"],
        oidc_audience=oidc["audience"], oidc_jwks=oidc["jwks"],
        oidc_id_claim=env.get("AFTERGUARD_REVIEW_OIDC_ID_CLAIM") or "sub",
        oidc_groups_claim=env.get("AFTERGUARD_REVIEW_OIDC_GROUPS_CLAIM") or "groups",
        allowed_hosts=hosts, allowed_origins=origins,
        tls_cert_file=Path(cert) if cert else None, tls_key_file=Path(key) if key else None)
