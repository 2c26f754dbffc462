"""A reviewer's verdict on a claimed entry: refusals, fatigue, and sampled second reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from policies.sections.review import ReviewPolicy
from sampling.verdict import Severity, Verdict, VerdictKind
from streams.review.entry import QueueEntry, ReviewerState, Status
from streams.review.state import QueueState, Refusal
from streams.review.verdicts import Draw, closed, hash_draw, make_verdict, second_review


@dataclass(frozen=True)
class Decided:
    verdict: Verdict
    entry: QueueEntry
    second_review: QueueEntry | None  # when set, the approval is not final yet

    @property
    def final(self) -> bool:
        return self.second_review is None


def refusal_for(entry: QueueEntry, reviewer: str) -> Refusal | None:
    """Why `reviewer` may not decide `entry` now, if they may not."""
    if entry.outcome is not None:
        o = entry.outcome
        by = "a timeout rule" if o.automatic else o.approver_id
        return Refusal(409, f"item {entry.entry_id} was already decided: {o.verdict.value} by "
                            f"{by} at {o.decided_at.isoformat()}")
    if entry.first_reviewer == reviewer:
        return Refusal(409, "this is a second review of your own approval; a different "
                            "reviewer must give it")
    if entry.escalated_by(reviewer):
        return Refusal(409, f"item {entry.entry_id} moved to group {entry.group!r} on your "
                            "escalation; a different reviewer must decide it")
    if entry.status is Status.CLAIMED and entry.claimed_by == reviewer:
        return None
    if entry.lost_claim is not None and entry.lost_claim[0] == reviewer:
        why = ("expired after a silence longer than the claim expiry" if entry.lost_claim[1]
               == "expired" else f"was withdrawn: the item moved to group {entry.group!r}")
        return Refusal(409, f"your claim on {entry.entry_id} {why}; pull again")
    if entry.status is Status.CLAIMED:
        return Refusal(409, f"item {entry.entry_id} is claimed by another reviewer")
    return Refusal(409, f"item {entry.entry_id} is not claimed by you; pull it first")


# Verdicts a reviewer must explain: the comment says why an output was withheld, changed or
# released raw (approve explains itself: every finding was acknowledged).
NEEDS_COMMENT = frozenset({VerdictKind.REJECT, VerdictKind.MODIFY, VerdictKind.RELEASE_RAW})


def comment_refusal(kind: VerdictKind, comment: str | None) -> Refusal | None:
    """A person's reject, modify or release_raw without a comment is refused (422)."""
    if kind in NEEDS_COMMENT and not (comment or "").strip():
        return Refusal(422, f"a comment is required to {kind.value}: say why in `comment`")
    return None


def decide(state: QueueState, review: ReviewPolicy, entry_id: str, reviewer: str,
           kind: VerdictKind, now: datetime, *, comment: str | None = None,
           modified_output: Any = None, severity: Severity = "none",
           draw: Draw = hash_draw) -> Decided | Refusal:
    entry = state.entries.get(entry_id)
    if entry is None:
        return Refusal(404, f"no review item {entry_id}")
    me = state.touch(reviewer, now)
    refused = refusal_for(entry, reviewer)
    if refused is not None:
        return refused
    if (kind is VerdictKind.MODIFY) != (modified_output is not None):
        return Refusal(400, "modify needs the edited output, and only modify takes one")
    verdict = make_verdict(entry, kind, reviewer, now, comment=comment,
                           modified_output=modified_output, severity=severity)
    state.entries[entry_id] = done = closed(entry, verdict)
    state.reviewers[reviewer] = _fatigue(me, kind, review, now)
    second = None
    if (kind is VerdictKind.APPROVE and not entry.is_second_review
            and draw(verdict.verdict_id) < review.fatigue.second_review_rate):
        second = second_review(entry, verdict, now)
        state.entries[second.entry_id] = second
        verdict = verdict.model_copy(update={"second_review_id": second.entry_id})
    return Decided(verdict, done, second)


def _fatigue(me: ReviewerState, kind: VerdictKind, review: ReviewPolicy,
             now: datetime) -> ReviewerState:
    """Count approvals in a row; after N of them the reviewer cools down before pulling."""
    if kind is not VerdictKind.APPROVE:
        return me.model_copy(update={"approvals_in_a_row": 0})
    count = me.approvals_in_a_row + 1
    if count >= review.fatigue.cooldown_after_approvals:
        return me.model_copy(update={"approvals_in_a_row": 0,
                                     "cooldown_until": now + review.fatigue.cooldown})
    return me.model_copy(update={"approvals_in_a_row": count})
