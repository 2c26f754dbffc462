"""The authenticated reviewer, and how ids and group names are compared (normalised)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from streams.audit.evidence import IDENTITY

MAX_ID = 128
# Said wherever an id is refused: the rule is the audit trail's (`approver_id`), so every id
# that signs in can sign a verdict.
ID_RULE = ("one word of 1 to 128 characters: no spaces or control characters (the audit "
           "trail's approver_id format)")


def normalise(name: str) -> str:
    """The form ids and group names are compared in: NFKC, then case-folded, trimmed.
    `Ann`, `ANN` and `ａｎｎ` (full-width) are one reviewer."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold()).strip()


def valid_id(name: str) -> str | None:
    """The normalised id, or None when it breaks `ID_RULE`: empty, too long, or holding a
    space (any Unicode white space), a control or a format character. What it accepts the
    evidence contract accepts as an `approver_id`."""
    norm = normalise(name)
    if not norm or len(norm) > MAX_ID or not IDENTITY.match(norm):
        return None
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zs", "Zl", "Zp") for c in norm):
        return None
    return norm


@dataclass(frozen=True)
class Principal:
    """A reviewer whose credential was verified: the only source of `approver_id`."""

    reviewer_id: str  # normalised
    groups: frozenset[str]  # normalised group names the credential grants
    via: Literal["oidc", "api-token"]
    # an OIDC token's `exp` (epoch seconds): not part of who the reviewer is
    expires_at: float | None = field(default=None, compare=False)

    @classmethod
    def of(cls, reviewer_id: str, groups: Iterable[str], via: Literal["oidc", "api-token"],
           expires_at: float | None = None) -> Principal:
        return cls(normalise(reviewer_id), frozenset(normalise(g) for g in groups if g), via,
                   expires_at)

    def in_group(self, group: str, listed_reviewers: Iterable[str] = ()) -> bool:
        """Member of `group`: the credential grants it, and where the policy lists the group's
        reviewers, this reviewer is among them (both compared normalised)."""
        if normalise(group) not in self.groups:
            return False
        listed = {normalise(r) for r in listed_reviewers}
        return not listed or self.reviewer_id in listed


@dataclass(frozen=True)
class AuthFailure:
    """Why a request is refused before it reaches the queue: 401 (no or bad credential),
    403 (not allowed), 415 (not JSON), 429 (too many failed sign-ins). The message names no secret."""

    status: int
    message: str
    retry_after_s: int | None = None  # 429: when to try again (Retry-After)
