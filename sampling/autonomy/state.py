"""What the scorer keeps and publishes per (verified identity, action class).

The identity is who wrote the results, as a credential says (policies.claims.verified_identity):
`identity:<id>` where a `trust.identities` entry names the source topic, else `topic:<topic>`.
The agent ids the results claimed are kept beside it as labels (`agent_ids`), never as the key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sampling.autonomy.evidence import Bucket, Totals

Trigger = Literal["signoff", "policy_violation", "safety_incident", "error_rate", "manual"]


class PromotionOutlook(BaseModel):
    """Where the pair stands against the next level's criteria."""

    model_config = ConfigDict(frozen=True)

    to_level: int
    window_start: datetime
    reviews: int
    errors: int
    successful: int
    min_successful_actions: int
    error_rate_upper: float  # Clopper–Pearson upper bound at `confidence`
    max_error_rate: float
    confidence: float
    eligible: bool
    # More error-free reviews that would make it eligible (None: out of reach for now, e.g.
    # after many errors). Reviews leaving the window as time passes can raise it again.
    clean_reviews_needed: int | None


class DemotionWatch(BaseModel):
    """The current level's window against the demotion threshold."""

    model_config = ConfigDict(frozen=True)

    window_start: datetime
    reviews: int
    errors: int
    error_rate_lower: float  # Clopper–Pearson lower bound at `confidence`
    error_rate_above: float
    confidence: float


class Proposal(BaseModel):
    """The scorer's proposal to promote: effective only after a person signs it off."""

    model_config = ConfigDict(frozen=True)

    to_level: int
    proposed_at: datetime
    outlook: PromotionOutlook


class LevelChange(BaseModel):
    """One effective change of level (each is also an `autonomy_change` audit event)."""

    model_config = ConfigDict(frozen=True)

    change_id: str
    identity: str  # the verified identity (never a claimed agent id)
    action_class: str
    from_level: int
    to_level: int
    trigger: Trigger
    reason: str
    approver_id: str | None = None  # the person who signed off (promotions, manual changes)
    signoff_id: str | None = None
    at: datetime
    reviews: int  # the evidence the change rests on
    errors: int
    error_rate_bound: float | None = None  # upper bound (promotion) or lower bound (demotion)
    window_start: datetime | None = None


class SignOff(BaseModel):
    """A person's decision to set a pair's level (`afterguard autonomy approve`). Above the
    current level it needs the scorer's pending proposal for exactly that level; below it is a
    manual demotion, always allowed. `identity`: the verified identity the level is kept for."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["signoff"] = "signoff"
    signoff_id: str
    identity: str = Field(min_length=1)
    action_class: str
    level: int = Field(ge=0, le=3)
    reviewer: str = Field(min_length=1, pattern=r"^\S+$")
    comment: str | None = None
    requested_at: datetime


class SignOffResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    signoff_id: str
    reviewer: str
    level: int
    accepted: bool
    reason: str


AGENT_LABELS = 10  # claimed agent ids kept beside a pair, newest last


class AutonomyRecord(BaseModel):
    """One pair's record on the compacted `afterguard.autonomy` topic (key `identity`, a unit
    separator, `action_class`): the level, the evidence behind it, any pending proposal, the
    last change and sign-off, and the policy snapshot it was scored under. `identity` is the
    verified identity (`identity:<id>` or `topic:<topic>`); `agent_ids`, the last agent ids its
    evidence claimed, is a label for people and never decides anything."""

    model_config = ConfigDict(frozen=True)

    identity: str = Field(min_length=1)
    agent_ids: tuple[str, ...] = ()
    action_class: str
    level: int
    level_name: str
    level_since: datetime
    # Reviews before this instant never count (the last demotion: autonomy is earned again).
    evidence_since: datetime | None = None
    totals: Totals = Totals()
    promotion: PromotionOutlook | None = None  # None at the top level
    demotion: DemotionWatch | None = None  # None at level 0
    pending: Proposal | None = None
    last_change: LevelChange | None = None
    last_signoff: SignOffResult | None = None
    policy_snapshot: str
    updated_at: datetime


class AutonomyState(AutonomyRecord):
    """What the scorer keeps per pair: the record plus the hourly review counts behind it and
    the last verdict ids (a redelivered verdict is ignored)."""

    buckets: tuple[Bucket, ...] = ()
    recent_verdicts: tuple[str, ...] = ()
    # `decided_at` of the remembered ids, oldest first (a state from before this field has
    # fewer: the oldest ids' times are unknown), and the newest `decided_at` of an id no
    # longer remembered: a clean verdict not remembered and decided by then may be one
    # counted already and written again, so it counts for nothing (scorer.observe_verdict).
    recent_decided: tuple[datetime, ...] = ()
    forgotten_until: datetime | None = None

    def labelled(self, agent_id: str) -> AutonomyState:
        """This state with `agent_id` as the newest claimed agent id of its evidence."""
        if self.agent_ids and self.agent_ids[-1] == agent_id:
            return self
        kept = tuple(a for a in self.agent_ids if a != agent_id)
        return self.model_copy(update={"agent_ids": (*kept, agent_id)[-AGENT_LABELS:]})

    def record(self) -> AutonomyRecord:
        return AutonomyRecord.model_validate(self.model_dump(exclude={
            "buckets", "recent_verdicts", "recent_decided", "forgotten_until"}))
