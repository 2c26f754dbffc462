"""What a reviewer's queue shows for each entry of their groups (age against the group's wait
targets, risk, why it was selected, agent and action, the reviewer's own claim), and the
recent verdicts on an agent's action."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from streams.review.entry import QueueEntry
from streams.review.queue import ReviewQueue
from streams.review.queue_timer import risk_of


def listing(entries: list[QueueEntry], reviewer: str, queue: ReviewQueue,
            now: datetime) -> dict[str, Any]:
    review = queue.review
    me = queue.state.reviewers.get(reviewer)
    claim_expires = (me.last_seen + review.claim_expiry).isoformat() if me else None
    rows = []
    for entry in sorted(entries, key=lambda e: (e.enqueued_at, e.entry_id)):
        item, age = entry.item, entry.age_s(now)
        median_s = review.target_wait.median.total_seconds()
        p95_s = review.target_wait.p95.total_seconds()
        rows.append({
            "entry_id": entry.entry_id, "group": entry.group, "status": entry.status.value,
            "mine": entry.claimed_by == reviewer,
            "claim_expires_at": claim_expires if entry.claimed_by == reviewer else None,
            "age_s": round(age, 1), "target_median_s": median_s, "target_p95_s": p95_s,
            "wait": "past" if age > p95_s else "near" if age > median_s else "ok",
            "risk": risk_of(item, review), "decision": item.decision.value,
            "why": list(item.sampling.mandatory_reasons) or [f"sampled ({item.sampling.stratum})"],
            "agent_id": item.agent_id, "action": item.action, "rule_ids": list(item.rule_ids),
            "second_review": entry.is_second_review, "escalated": entry.escalated,
            "escalated_from": entry.escalation.from_group if entry.escalation else None})
    return {"reviewer_id": reviewer, "items": rows}


def history(entry: QueueEntry, queue: ReviewQueue, visible: Callable[[str], bool],
            limit: int = 10) -> dict[str, Any]:
    """Recent verdicts on this agent's results of the same action (items of groups the
    reviewer may see; kinds, approvers and rules only, never an output)."""
    item = entry.item
    decided = sorted((e for e in list(queue.state.entries.values())
                      if e.outcome is not None and e.entry_id != entry.entry_id
                      and e.item.agent_id == item.agent_id and e.item.action == item.action
                      and visible(e.group)),
                     key=lambda e: e.outcome.decided_at if e.outcome else e.enqueued_at,
                     reverse=True)
    counts = Counter(e.outcome.verdict.value for e in decided if e.outcome)
    return {"agent_id": item.agent_id, "action": item.action, "counts": dict(counts),
            "recent": [{"entry_id": e.entry_id, "verdict": e.outcome.verdict.value,
                        "approver_id": e.outcome.approver_id, "automatic": e.outcome.automatic,
                        "decided_at": e.outcome.decided_at.isoformat(),
                        "rule_ids": list(e.item.rule_ids)}
                       for e in decided[:limit] if e.outcome]}
