"""Queue state: one entry per review item (and per second review), one state per reviewer."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from sampling.record import ReviewItem
from sampling.verdict import VerdictKind

TIMEOUT_APPROVER = "afterguard-timeout"  # approver_id of verdicts a timeout rule gave
QUEUE_CLOCK = "afterguard-queue-clock"  # who escalated an item the queue's clock moved
SECOND_REVIEW_SUFFIX = "-2nd"


class Status(str, enum.Enum):
    OPEN = "open"
    CLAIMED = "claimed"
    DECIDED = "decided"


class Outcome(BaseModel):
    """The verdict that closed an entry (what a refused late verdict is told)."""

    model_config = ConfigDict(frozen=True)

    verdict_id: str
    verdict: VerdictKind
    approver_id: str
    automatic: bool
    decided_at: datetime


class EscalationNote(BaseModel):
    """Where an escalated item came from, who moved it and why (shown to its new group)."""

    model_config = ConfigDict(frozen=True)

    from_group: str
    # the verified reviewer who escalated it, or QUEUE_CLOCK (the escalation age, a timeout)
    by: str
    reason: Literal["age", "timeout", "reviewer"]
    why: str  # the reviewer's comment, or the rule that moved it
    at: datetime


class QueueEntry(BaseModel):
    """One item waiting for (or given) a verdict in one reviewer group."""

    model_config = ConfigDict(frozen=True)

    entry_id: str  # the item id, or item id + "-2nd" for a second review
    item: ReviewItem
    group: str
    status: Status = Status.OPEN
    enqueued_at: datetime
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    escalated: bool = False
    escalation: EscalationNote | None = None  # the last move (None for entries before it)
    # Who lost the claim, and why (expiry or reassignment), for a clear refusal message.
    lost_claim: tuple[str, str] | None = None
    second_review_of: str | None = None  # verdict id of the approval being checked
    first_reviewer: str | None = None  # who gave that approval: never the second reviewer
    outcome: Outcome | None = None

    @property
    def is_second_review(self) -> bool:
        return self.second_review_of is not None

    def escalated_by(self, reviewer: str) -> bool:
        """Whether `reviewer` moved it to its group: then another reviewer decides it, as a
        second review is never given by the first reviewer."""
        note = self.escalation
        return note is not None and note.reason == "reviewer" and note.by == reviewer

    def age_s(self, now: datetime) -> float:
        return (now - self.enqueued_at).total_seconds()


class ReviewerState(BaseModel):
    model_config = ConfigDict(frozen=True)

    reviewer_id: str
    last_seen: datetime
    approvals_in_a_row: int = 0
    cooldown_until: datetime | None = None


def to_json(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")
