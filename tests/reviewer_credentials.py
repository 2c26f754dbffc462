"""Credentials minted locally for the review API's tests: an OIDC issuer's signing key with its
JWKS file (and a stranger's key), tokens signed by either, and a self-signed TLS certificate."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

ISSUER = "https://idp.afterguard.test/realms/review"
AUDIENCE = "afterguard-review"


@dataclass
class MintingIssuer:
    key: rsa.RSAPrivateKey
    jwks_file: Path
    kid: str = "test-key-1"

    @classmethod
    def create(cls, folder: Path) -> MintingIssuer:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
        path = folder / "jwks.json"
        path.write_text(json.dumps({"keys": [{**jwk, "kid": cls.kid, "alg": "RS256",
                                              "use": "sig"}]}))
        return cls(key, path)

    def env(self) -> dict[str, str]:
        return {"AFTERGUARD_REVIEW_OIDC_ISSUER": ISSUER,
                "AFTERGUARD_REVIEW_OIDC_AUDIENCE": AUDIENCE,
                "AFTERGUARD_REVIEW_OIDC_JWKS": str(self.jwks_file)}

    def mint(self, sub: str, groups: list[str] | str, *, key: rsa.RSAPrivateKey | None = None,
             ttl_s: int = 600, **claims: Any) -> str:
        now = int(time.time())
        body = {"iss": ISSUER, "aud": AUDIENCE, "sub": sub, "groups": groups, "iat": now,
                "exp": now + ttl_s, **claims}
        return jwt.encode(body, key or self.key, algorithm="RS256", headers={"kid": self.kid})


def stranger_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def self_signed_tls(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost (its own CA) and its key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "review-tls.crt", folder / "review-tls.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file
