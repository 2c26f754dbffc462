"""A reviewer escalates an item they hold to the policy's escalation group, saying why (pure).
The item moves with a note of where it came from, who moved it (the verified principal) and
why; the escalation group's reviewers read it on the item."""

from __future__ import annotations

from datetime import datetime

from streams.review.deciding import refusal_for
from streams.review.entry import EscalationNote
from streams.review.queue_timer import Escalation, moved
from streams.review.state import QueueState, Refusal


def escalate(state: QueueState, entry_id: str, reviewer: str, comment: str | None,
             to_group: str | None, now: datetime) -> Escalation | Refusal:
    entry = state.entries.get(entry_id)
    if entry is None:
        return Refusal(404, f"no review item {entry_id}")
    state.touch(reviewer, now)
    refused = refusal_for(entry, reviewer)  # decided, not claimed by them, their own approval
    if refused is not None:
        return refused
    why = (comment or "").strip()
    if not why:
        return Refusal(422, "a comment is required to escalate: say why in `comment`")
    if to_group is None:
        return Refusal(409, "this policy names no escalation group (routing.escalation_group)")
    if entry.group == to_group:
        return Refusal(409, f"item {entry_id} is already in the escalation group {to_group!r}")
    note = EscalationNote(from_group=entry.group, by=reviewer, reason="reviewer", why=why, at=now)
    state.entries[entry_id] = after = moved(entry, to_group, note)
    return Escalation(after, entry.group, "reviewer", reviewer, by=reviewer, comment=why)
