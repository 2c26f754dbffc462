"""A reviewer gives a claim back: the entry is open again for anyone in its group (pure)."""

from __future__ import annotations

from datetime import datetime

from streams.review.entry import QueueEntry, Status
from streams.review.state import QueueState, Refusal


def release_claim(state: QueueState, entry_id: str, reviewer: str,
                  now: datetime) -> QueueEntry | Refusal:
    entry = state.entries.get(entry_id)
    if entry is None:
        return Refusal(404, f"no review item {entry_id}")
    state.touch(reviewer, now)
    if entry.outcome is not None:
        return Refusal(409, f"item {entry_id} was already decided")
    if entry.status is not Status.CLAIMED or entry.claimed_by != reviewer:
        return Refusal(409, f"item {entry_id} is not claimed by you")
    opened = entry.model_copy(update={"status": Status.OPEN, "claimed_by": None,
                                      "claimed_at": None, "lost_claim": None})
    state.entries[entry_id] = opened
    return opened
