"""The keyed deterministic draw: HMAC-SHA256(key, job_id ‖ job_hash ‖ policy snapshot) read as
[0, 1).

Anyone who can mint job ids cannot steer a result out of the sample without the key; the draw
covers the content (`job_hash`, the sha256 of the canonical input) as well as the id, so reusing
a `job_id` whose draw fell outside the sample does not carry that draw over to other content; an
auditor given the key recomputes every draw from the audit record (`job_id`, `job_hash`,
`policy_snapshot`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from policies.keyed_hash import KeyedSha256

_SCALE = float(1 << 64)


@dataclass(frozen=True)
class SamplingKey:
    """The secret behind the draws; only `key_id` appears in records."""

    key_id: str
    secret: bytes = field(repr=False)  # never in a repr, a log line or an error message
    # HMAC-SHA256 keyed once (keying costs more than the message here)
    keyed: KeyedSha256 = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.secret) < 16:
            raise ValueError(f"sampling key {self.key_id!r} is shorter than 16 bytes")
        object.__setattr__(self, "keyed", KeyedSha256(self.secret))


def draw(key: SamplingKey, job_id: str, job_hash: str, policy_snapshot: str) -> float:
    """A number in [0, 1), uniform over results, fixed for a given key, result and policy
    snapshot. The parts are joined with NUL, which none of them can contain."""
    # UTF-8 of the joined text is the join of the parts' UTF-8
    digest = key.keyed.digest(f"{job_id}\x00{job_hash}\x00{policy_snapshot}".encode())
    return int.from_bytes(digest[:8], "big") / _SCALE
