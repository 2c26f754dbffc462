"""The keyed deterministic draw: HMAC-SHA256(key, job_id ‖ policy snapshot) read as [0, 1).

Anyone who can mint job ids cannot steer a result out of the sample without the key; an auditor
given the key recomputes every draw.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

_SCALE = float(1 << 64)


@dataclass(frozen=True)
class SamplingKey:
    """The secret behind the draws; only `key_id` appears in records."""

    key_id: str
    secret: bytes

    def __post_init__(self) -> None:
        if len(self.secret) < 16:
            raise ValueError(f"sampling key {self.key_id!r} is shorter than 16 bytes")


def draw(key: SamplingKey, job_id: str, policy_snapshot: str) -> float:
    """A number in [0, 1), uniform over job ids, fixed for a given key and policy snapshot."""
    message = job_id.encode() + b"\x00" + policy_snapshot.encode()
    digest = hmac.new(key.secret, message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / _SCALE
