"""Building verdicts and second reviews from queue entries (pure)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sampling.verdict import Severity, Verdict, VerdictKind
from streams.review.entry import SECOND_REVIEW_SUFFIX, Outcome, QueueEntry, Status

# A number in [0, 1) per verdict id: whether an approval gets a second review.
Draw = Callable[[str], float]


def hash_draw(verdict_id: str) -> float:
    """Deterministic and recomputable: the verdict id's sha256 read as a fraction."""
    return int(hashlib.sha256(verdict_id.encode()).hexdigest()[:13], 16) / 16**13


def verdict_id(entry_id: str, approver: str, now: datetime) -> str:
    text = f"{entry_id}|{approver}|{now.isoformat()}"
    return "vd-" + hashlib.sha256(text.encode()).hexdigest()[:24]


def make_verdict(entry: QueueEntry, kind: VerdictKind, approver: str, now: datetime, *,
                 comment: str | None = None, modified_output: Any = None,
                 severity: Severity = "none", automatic: bool = False) -> Verdict:
    item = entry.item
    return Verdict(
        verdict_id=verdict_id(entry.entry_id, approver, now), item_id=item.item_id,
        job_id=item.job_id, agent_id=item.agent_id, action=item.action, verdict=kind,
        approver_id=approver, comment=comment, modified_output=modified_output,
        severity=severity, automatic=automatic, second_review_of=entry.second_review_of,
        reviewer_group=entry.group, decision=item.decision, rule_ids=item.rule_ids,
        policy_snapshot=item.policy_snapshot, job_hash=item.job_hash,
        enqueued_at=entry.enqueued_at, claimed_at=entry.claimed_at, decided_at=now,
        source=item.source)


def closed(entry: QueueEntry, verdict: Verdict) -> QueueEntry:
    outcome = Outcome(verdict_id=verdict.verdict_id, verdict=verdict.verdict,
                      approver_id=verdict.approver_id, automatic=verdict.automatic,
                      decided_at=verdict.decided_at)
    return entry.model_copy(update={"status": Status.DECIDED, "outcome": outcome})


def second_review(entry: QueueEntry, verdict: Verdict, now: datetime) -> QueueEntry:
    """A new entry in the same group checking `verdict`; its first reviewer may not take it."""
    return QueueEntry(entry_id=entry.entry_id + SECOND_REVIEW_SUFFIX, item=entry.item,
                      group=entry.group, enqueued_at=now, second_review_of=verdict.verdict_id,
                      first_reviewer=verdict.approver_id)
