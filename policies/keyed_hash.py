"""HMAC-SHA256 (RFC 2104) with its key's two pads hashed once: a message then costs two copies
of a hash state, two updates and two digests, all in C, where the `hmac` module builds Python
objects per message (sampling draws and hash tokens run once or more per result)."""

from __future__ import annotations

import hashlib

_BLOCK = 64  # SHA-256's block size
_INNER_PAD = bytes(x ^ 0x36 for x in range(256))
_OUTER_PAD = bytes(x ^ 0x5C for x in range(256))


class KeyedSha256:
    """`hmac.new(secret, message, hashlib.sha256)`, keyed once. Never shows its secret."""

    __slots__ = ("_inner", "_outer")

    def __init__(self, secret: bytes) -> None:
        if len(secret) > _BLOCK:
            secret = hashlib.sha256(secret).digest()
        secret = secret.ljust(_BLOCK, b"\0")
        self._inner = hashlib.sha256(secret.translate(_INNER_PAD))
        self._outer = hashlib.sha256(secret.translate(_OUTER_PAD))

    def __repr__(self) -> str:
        return "KeyedSha256(...)"

    def digest(self, message: bytes) -> bytes:
        return self._mac(message).digest()

    def hexdigest(self, message: bytes) -> str:
        return self._mac(message).hexdigest()

    def _mac(self, message: bytes) -> hashlib._Hash:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer
