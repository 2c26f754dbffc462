"""Decisions are values: the enum, a recorded redaction, and the safety decision record."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class Decision(str, enum.Enum):
    ALLOW = "ALLOW"
    REDACT = "REDACT"
    QUARANTINE = "QUARANTINE"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    @staticmethod
    def most_severe(decisions: list[Decision]) -> Decision:
        return max(decisions, key=lambda d: d.severity, default=Decision.ALLOW)


_SEVERITY = {Decision.ALLOW: 0, Decision.REDACT: 1, Decision.QUARANTINE: 2}


class Redaction(BaseModel):
    """One change made to the output: where, what kind of value, why, and how."""

    model_config = ConfigDict(frozen=True)

    path: str
    entity: str
    reason: str
    action: str
    rule_id: str


class SafetyDecision(BaseModel):
    """What Afterguard decided for one action result (released and quarantine topics)."""

    model_config = ConfigDict(frozen=True)

    job_id: str
    agent_id: str
    action: str
    tenant: str | None = None
    trace_id: str | None = None
    decision: Decision
    output: Any
    redactions: tuple[Redaction, ...] = ()
    rule_ids: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    policy_snapshot: str
    job_hash: str
    decided_at: datetime
