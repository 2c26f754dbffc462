"""Which claimed items may be approved together: low-risk first reviews of one agent's one
action under the same rules, each claimed by the reviewer and open to a verdict (pure)."""

from __future__ import annotations

from policies.sections.review import ReviewPolicy
from streams.review.deciding import refusal_for
from streams.review.entry import QueueEntry
from streams.review.queue_timer import risk_of
from streams.review.state import Refusal

MAX_BATCH = 50


def batch_key(entry: QueueEntry) -> tuple[str, str, tuple[str, ...]]:
    item = entry.item
    return item.agent_id, item.action, tuple(sorted(item.rule_ids))


def batch_refusal(entries: list[QueueEntry], reviewer: str,
                  review: ReviewPolicy) -> Refusal | None:
    """Why these entries may not be approved as one batch (None: they may)."""
    keys = {batch_key(e) for e in entries}
    if len(keys) != 1:
        return Refusal(409, "a batch holds items of one agent, one action and the same rules "
                            "only")
    for entry in entries:
        if risk_of(entry.item, review) != "low":
            return Refusal(409, f"item {entry.entry_id} is not low risk: decide it on its own")
        if entry.is_second_review:
            return Refusal(409, f"item {entry.entry_id} is a second review: decide it on its "
                                "own")
        refused = refusal_for(entry, reviewer)
        if refused is not None:
            return refused
    return None
