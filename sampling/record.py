"""The sampling record (in every audit record) and the review item (on the review topic)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from policies.decision import Decision, Located, Redaction, SourceRef, WithheldOutput
from policies.omission import Omission
from sampling.budget import DropReason


class SamplingRecord(BaseModel):
    """Why a result was or was not selected for review: enough for an auditor to recompute the
    draw (given the key) and to weight reviewed results correctly.

    `inclusion_probability` is the design probability (1 for mandatory items). When a budget
    dropped items, the realised probability of the other items of that (group, window) is
    `inclusion_probability × admitted / drawn`, which `afterguard sampling report` computes
    from the audit stream (`budget_dropped` marks the drawn-but-dropped items).
    """

    model_config = ConfigDict(frozen=True)

    selected: bool
    mandatory_reasons: tuple[str, ...]
    stratum: str
    weight: float
    probability: float
    draw: float
    drawn: bool
    budget_dropped: bool
    budget_window_start: datetime | None
    # Why a drawn item was dropped: `group_budget_exhausted` (its group's budget for the window
    # is used up) or `agent_share_exhausted` (its agent used up its share of that budget,
    # `max_share_per_agent`); None when not dropped.
    budget_drop_reason: DropReason | None = None
    # True on the mandatory item that took its group's mandatory volume past the group's budget
    # in this window: mandatory items are never dropped, so the worker raises an alert instead.
    mandatory_over_budget: bool = False
    # True when the result was an agent's first time for its action (a mandatory reason) but
    # its verified identity had used up `sampling.mandatory.first_time_limit` for the window:
    # it was sampled like any other result instead (a flood of fresh claimed agent ids).
    first_time_over_limit: bool = False
    inclusion_probability: float
    reviewer_group: str
    key_id: str


class FindingRef(BaseModel):
    """A finding as a reviewer sees it: what and where, never the value."""

    model_config = ConfigDict(frozen=True)

    entity: str
    path: str
    detector: str
    rule_id: str


class ReviewItem(BaseModel):
    """What a reviewer needs: what the agent did, the redacted output, the findings, why it
    was selected, and the policy snapshot it was decided under."""

    model_config = ConfigDict(frozen=True)

    item_id: str
    job_id: str
    agent_id: str
    action: str
    tenant: str | None
    risk_tags: tuple[str, ...]
    amount_usd: float | None
    affected_users: int | None
    decision: Decision
    output: Any  # null when `output_withheld` is set
    # Set by the worker alone when the output is not in this item (policies.decision).
    output_withheld: WithheldOutput | None = None
    redactions: tuple[Redaction, ...]
    findings: tuple[FindingRef, ...]
    # Set when a list above is cut short to fit the review topic (policies/omission.py).
    redactions_omitted: Omission | None = None
    findings_omitted: Omission | None = None
    rule_ids: tuple[str, ...]
    reasons: tuple[str, ...]
    sampling: SamplingRecord
    policy_snapshot: str
    job_hash: str
    decided_at: datetime
    # The input record (with `job_hash`, the result's identity). The review service queues
    # only items that carry it, under `item_id_for(source, job_hash)`.
    source: SourceRef | None = None
    trace_id: str | None = None  # the agent's trace, to find the run in the agent's tracing


def item_id_for(source: Located, job_hash: str) -> str:
    """A review item's id, from what the agent cannot choose: its record's place (`source`,
    or the consumed record itself) and bytes. Two results that share a job_id are two
    items."""
    text = f"{source.topic}|{source.partition}|{source.offset}|{job_hash}"
    return "rv-" + hashlib.sha256(text.encode()).hexdigest()[:24]
