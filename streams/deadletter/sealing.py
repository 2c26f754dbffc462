"""Dead letters keep the original bytes sealed: AES-256-GCM under the dead-letter key.

A dead letter's bytes may hold the very values the gate exists to stop, so they are never
written in the clear. With a key, the record's key and value are each encrypted (a fresh 96-bit
nonce each, the letter's source topic/partition/offset and the part's name as associated data,
so a ciphertext cannot be moved to another letter) and the letter names the key by its id.
Without a key nothing readable is kept: the letter says how many bytes there were, and why; the
bytes stay only on the input topic (for its retention).
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel, ConfigDict

ALGORITHM = "AES-256-GCM"
_NONCE_BYTES = 12


class SealedBytes(BaseModel):
    """One sealed part of a dead letter (its key or its value)."""

    model_config = ConfigDict(frozen=True)

    alg: str = ALGORITHM
    key_id: str
    nonce_b64: str
    ciphertext_b64: str


class SealError(ValueError):
    """A sealed part cannot be opened: another key, or the letter was altered."""


@dataclass(frozen=True)
class DeadLetterKey:
    """The secret that seals dead letters; only `key_id` appears in records."""

    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.secret) != 32:
            raise ValueError("a dead-letter key is 32 bytes (64 hex characters)")

    @property
    def key_id(self) -> str:
        digest = hashlib.sha256(b"afterguard dead-letter key id\x00" + self.secret).hexdigest()
        return "dlk-" + digest[:16]

    @classmethod
    def from_hex(cls, text: str) -> DeadLetterKey:
        try:
            return cls(bytes.fromhex(text.strip()))
        except ValueError:
            raise ValueError("a dead-letter key is 64 hex characters (32 bytes); make one with "
                             "`openssl rand -hex 32`") from None

    @classmethod
    def generate(cls) -> DeadLetterKey:
        return cls(os.urandom(32))

    def seal(self, data: bytes, context: str) -> SealedBytes:
        nonce = os.urandom(_NONCE_BYTES)
        ciphertext = AESGCM(self.secret).encrypt(nonce, data, context.encode())
        return SealedBytes(key_id=self.key_id, nonce_b64=_b64(nonce),
                           ciphertext_b64=_b64(ciphertext))

    def open(self, sealed: SealedBytes, context: str) -> bytes:
        if sealed.alg != ALGORITHM:
            raise SealError(f"sealed with {sealed.alg}, not {ALGORITHM}")
        if sealed.key_id != self.key_id:
            raise SealError(f"sealed with key {sealed.key_id}; this key is {self.key_id}")
        try:
            return AESGCM(self.secret).decrypt(base64.b64decode(sealed.nonce_b64),
                                               base64.b64decode(sealed.ciphertext_b64),
                                               context.encode())
        except (InvalidTag, ValueError):
            raise SealError("the sealed bytes do not open: the letter was altered or moved "
                            "from another source") from None


def context(part: str, topic: str, partition: int, offset: int) -> str:
    """The associated data binding a sealed part to its letter's source."""
    return f"afterguard dead letter|{part}|{topic}|{partition}|{offset}"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
