"""Ed25519 keys of Afterguard's services: one signing key per service, and the trusted
public keys (several per service during a rotation) every consumer verifies with.

A signing key file holds the 32-byte private seed in hex (`afterguard keys generate`) or a
PEM private key (`openssl genpkey -algorithm ed25519`). The trusted keys file has one line
per public key: `<service> <public key, base64 or hex>`; `#` starts a comment. Key ids are
derived from the public key with HKDF (policies.key_id), so anyone can recompute them.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from nacl.bindings import crypto_sign, crypto_sign_seed_keypair

from policies.key_id import derive_key_id
from streams.signing.key_files import WeakKey, key_material, read_key_file, write_new_key_file

log = logging.getLogger(__name__)

# The services that sign records; `operator` signs what people send with the CLI
# (autonomy sign-offs), `audit` signs audit checkpoints.
SERVICES = ("worker", "review", "autonomy", "operator", "audit")


class KeyFileError(ValueError):
    """A key or trusted keys file that cannot be used; the message names the file."""


def public_key_id(public: bytes) -> str:
    return derive_key_id(public, "ed25519-public")


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _seed(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


class SigningKey:
    """A service's private key. Its repr and str show the service and key id only."""

    def __init__(self, service: str, private: Ed25519PrivateKey) -> None:
        self.service = service
        self._private = private
        self.public = _raw_public(private.public_key())
        self.key_id = public_key_id(self.public)
        # libsodium signs in about two thirds of OpenSSL's time through `cryptography` (21 µs
        # against 33 µs per record here). Ed25519 signatures are deterministic (RFC 8032), so
        # both write the same bytes: tests/unit/signing/test_keys.py compares them.
        public, self._sodium = crypto_sign_seed_keypair(_seed(private))
        if public != self.public:
            raise KeyFileError("libsodium derives another public key from this seed")

    @classmethod
    def generate(cls, service: str) -> SigningKey:
        return cls(service, Ed25519PrivateKey.generate())

    @classmethod
    def from_text(cls, service: str, text: str, where: str) -> SigningKey:
        if text.lstrip().startswith("-----BEGIN"):
            try:
                loaded = serialization.load_pem_private_key(text.encode(), password=None)
            except (ValueError, TypeError):
                raise KeyFileError(f"{where}: not a PEM private key without a password") from None
            if not isinstance(loaded, Ed25519PrivateKey):
                raise KeyFileError(f"{where}: not an Ed25519 key")
            seed = _seed(loaded)
        else:
            seed = key_material(text, where)
            if len(seed) != 32:
                raise KeyFileError(f"{where}: an Ed25519 seed is 32 bytes (64 hex characters)")
        key_material(seed.hex(), where)  # a PEM key is held to the same rule
        return cls(service, Ed25519PrivateKey.from_private_bytes(seed))

    @classmethod
    def load(cls, service: str, path: Path) -> SigningKey:
        where = f"signing key {path}"
        return cls.from_text(service, read_key_file(path, where), where)

    def seed_hex(self) -> str:
        """The private seed, for writing a new key file (never logged)."""
        return _seed(self._private).hex()

    def sign(self, message: bytes) -> bytes:
        return crypto_sign(message, self._sodium)[:64]  # the signature, then the message

    def trust_line(self) -> str:
        """This key's line in a trusted keys file."""
        return f"{self.service} {base64.b64encode(self.public).decode()}"

    def __repr__(self) -> str:
        return f"SigningKey(service={self.service!r}, key_id={self.key_id!r})"

    __str__ = __repr__


@dataclass(frozen=True)
class TrustedKey:
    service: str
    key_id: str
    public: Ed25519PublicKey

    def verifies(self, signature: bytes, message: bytes) -> bool:
        try:
            self.public.verify(signature, message)
        except InvalidSignature:
            return False
        return True


class TrustedKeys:
    """Public keys by key id, each bound to the service it belongs to."""

    def __init__(self, keys: Iterable[TrustedKey]) -> None:
        self._by_id = {k.key_id: k for k in keys}

    def get(self, key_id: str) -> TrustedKey | None:
        return self._by_id.get(key_id)

    def key_ids(self, service: str) -> list[str]:
        return sorted(k.key_id for k in self._by_id.values() if k.service == service)

    @classmethod
    def of(cls, *keys: SigningKey) -> TrustedKeys:
        return cls(TrustedKey(k.service, k.key_id, Ed25519PublicKey.from_public_bytes(k.public))
                   for k in keys)

    @classmethod
    def parse(cls, text: str, where: str) -> TrustedKeys:
        keys = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 2 or parts[0] not in SERVICES:
                raise KeyFileError(f"{where} line {number}: expected '<service> <public key>' "
                                f"with a service among {', '.join(SERVICES)}")
            raw = _public_bytes(parts[1])
            if raw is None:
                raise KeyFileError(f"{where} line {number}: not a 32-byte Ed25519 public key "
                                "(base64 or hex)")
            keys.append(TrustedKey(parts[0], public_key_id(raw),
                                   Ed25519PublicKey.from_public_bytes(raw)))
        if not keys:
            raise KeyFileError(f"{where}: no trusted keys")
        return cls(keys)

    @classmethod
    def load(cls, path: Path) -> TrustedKeys:
        try:
            text = path.read_text()
        except OSError as exc:
            raise KeyFileError(f"trusted keys file {path}: {exc.strerror}") from None
        return cls.parse(text, f"trusted keys file {path}")


def _public_bytes(text: str) -> bytes | None:
    for decode in (bytes.fromhex, base64.b64decode):
        try:
            raw = decode(text)
        except (ValueError, binascii.Error):
            continue
        if len(raw) == 32:
            return raw
    return None


class LocalKeyring:
    """Every service's key in one folder of this machine, made on first use: for a single
    machine (the demo, the tests, a trial). Each process trusts every key of the folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def signing_key(self, service: str) -> SigningKey:
        path = self.folder / f"{service}.key"
        if not path.exists():
            write_new_key_file(path, SigningKey.generate(service).seed_hex())
        return SigningKey.load(service, path)

    def trusted(self) -> TrustedKeys:
        return TrustedKeys.of(*(self.signing_key(s) for s in SERVICES))


__all__ = ["SERVICES", "KeyFileError", "LocalKeyring", "SigningKey", "TrustedKey", "TrustedKeys",
           "WeakKey", "public_key_id"]
