"""The `review` section: queue SLOs, timeouts by risk and fatigue controls (behaviour: issue 7)."""

from __future__ import annotations

import enum
from datetime import timedelta
from typing import Any

from pydantic import Field, field_validator, model_validator

from policies.base import Probability, Strict
from policies.sections.duration import Duration


class TimeoutAction(str, enum.Enum):
    AUTO_REJECT = "auto-reject"
    ESCALATE = "escalate"
    AUTO_APPROVE = "auto-approve"


class Timeout(Strict):
    after: Duration
    action: TimeoutAction

    @field_validator("action", mode="before")
    @classmethod
    def _hyphens(cls, value: Any) -> Any:
        return value.replace("_", "-") if isinstance(value, str) else value


class Timeouts(Strict):
    high: Timeout = Timeout(after=timedelta(hours=8), action=TimeoutAction.AUTO_REJECT)
    medium: Timeout = Timeout(after=timedelta(hours=24), action=TimeoutAction.ESCALATE)
    low: Timeout = Timeout(after=timedelta(hours=72), action=TimeoutAction.AUTO_APPROVE)

    @model_validator(mode="after")
    def _high_risk_never_auto_approves(self) -> Timeouts:
        if self.high.action is TimeoutAction.AUTO_APPROVE:
            raise ValueError("a high-risk item that times out must not be auto-approved "
                             "(fail closed: use auto-reject or escalate)")
        return self


class RiskLevels(Strict):
    """Which risk tags make an item high or medium risk; anything else is low."""

    high: tuple[str, ...] = ()
    medium: tuple[str, ...] = ()


class TargetWait(Strict):
    median: Duration
    p95: Duration

    @model_validator(mode="after")
    def _ordered(self) -> TargetWait:
        if self.p95 < self.median:
            raise ValueError("the p95 wait target cannot be shorter than the median target")
        return self


class Fatigue(Strict):
    cooldown_after_approvals: int = Field(default=25, ge=1)
    cooldown: Duration = timedelta(minutes=10)
    second_review_rate: Probability = 0.05


class ReviewPolicy(Strict):
    target_wait: TargetWait
    max_open_per_reviewer: int = Field(default=40, ge=1, le=10_000)
    escalate_after: Duration
    claim_expiry: Duration = timedelta(minutes=30)
    risk_levels: RiskLevels = RiskLevels()
    timeouts: Timeouts = Timeouts()
    fatigue: Fatigue = Fatigue()
    # A reviewer's release is rescanned by the policy first (modified outputs, approved
    # quarantined outputs, results withheld after a scan timeout) within this budget.
    rescan_timeout_ms: int = Field(default=30_000, gt=0, le=600_000)
    # Whether a reviewer may release a held output unredacted (verdict `release_raw`).
    release_raw: bool = False

    @model_validator(mode="after")
    def _escalation_before_timeouts(self) -> ReviewPolicy:
        if self.escalate_after < self.target_wait.median:
            raise ValueError("escalate_after is shorter than the median wait target: most items "
                             "would escalate")
        overlap = set(self.risk_levels.high) & set(self.risk_levels.medium)
        if overlap:
            raise ValueError(f"risk tag {min(overlap)!r} is both high and medium risk")
        return self
