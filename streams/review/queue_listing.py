"""What a reviewer's queue shows for each entry of their groups: age against the group's wait
targets, risk, why it was selected, agent and action, and the reviewer's own claim."""

from __future__ import annotations

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
            "second_review": entry.is_second_review, "escalated": entry.escalated})
    return {"reviewer_id": reviewer, "items": rows}
