"""A reviewer's verdict on a review item (the `afterguard.review.verdicts` topic)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from policies.decision import Decision, SourceRef


class VerdictKind(str, enum.Enum):
    APPROVE = "approve"
    REJECT = "reject"
    MODIFY = "modify"
    # Release the held output as the agent wrote it, unredacted: only where the policy's review
    # section allows it (`release_raw: true`), and audited as such.
    RELEASE_RAW = "release_raw"

    @property
    def releases(self) -> bool:
        return self is not VerdictKind.REJECT


Severity = Literal["none", "policy_violation", "safety_incident"]


class Verdict(BaseModel):
    """What a person (or a timeout rule, `automatic`) decided about one review item.

    An error, for error rates and autonomy, is a rejection or a modification; `severity` lets
    the reviewer flag a policy violation or a safety incident, which demotes at once.
    """

    model_config = ConfigDict(frozen=True)

    verdict_id: str
    item_id: str
    job_id: str
    agent_id: str
    action: str
    verdict: VerdictKind
    approver_id: str = Field(min_length=1)
    comment: str | None = None
    modified_output: Any = None
    severity: Severity = "none"
    automatic: bool = False
    second_review_of: str | None = None
    reviewer_group: str
    decision: Decision
    rule_ids: tuple[str, ...] = ()
    policy_snapshot: str
    job_hash: str
    enqueued_at: datetime
    claimed_at: datetime | None = None
    decided_at: datetime
    # The result the verdict is about: a held result is released only by a verdict naming
    # its source and its job_hash.
    source: SourceRef | None = None
    # Set when this approval was sampled for a second review (the id of that review's entry):
    # it is then not final, and nothing is released until the second review approves.
    second_review_id: str | None = None

    @property
    def is_error(self) -> bool:
        return self.verdict not in (VerdictKind.APPROVE, VerdictKind.RELEASE_RAW)
