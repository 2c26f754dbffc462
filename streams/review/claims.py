"""Pulling: a reviewer claims the oldest open items of a group, up to the open-item limit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from policies.sections.review import ReviewPolicy
from policies.sections.routing import RoutingPolicy
from streams.review.auth.principal import normalise
from streams.review.entry import QueueEntry, Status
from streams.review.state import QueueState, Refusal


@dataclass(frozen=True)
class Pulled:
    claimed: list[QueueEntry]  # newly claimed by this pull
    holding: list[QueueEntry]  # every open claim of the reviewer, oldest first
    note: str | None = field(default=None)


def known_groups(routing: RoutingPolicy) -> set[str]:
    groups = set(routing.groups)
    if routing.escalation_group:
        groups.add(routing.escalation_group)
    return groups


def pull(state: QueueState, review: ReviewPolicy, routing: RoutingPolicy, group: str,
         reviewer: str, now: datetime) -> Pulled | Refusal:
    """Claim the oldest open items of `group` for `reviewer`. Synchronous from the first read
    to the last write, so two pulls served on one event loop never claim the same item."""
    if group not in known_groups(routing):
        return Refusal(404, f"unknown reviewer group {group!r}; groups: "
                            + ", ".join(sorted(known_groups(routing))))
    members = {normalise(r) for r in routing.groups[group].reviewers} \
        if group in routing.groups else set()
    if members and normalise(reviewer) not in members:
        return Refusal(403, f"reviewer {reviewer!r} is not a member of group {group!r}")
    me = state.touch(reviewer, now)
    if me.cooldown_until is not None and me.cooldown_until > now:
        return Refusal(429, f"cooldown until {me.cooldown_until.isoformat()} after "
                            f"{review.fatigue.cooldown_after_approvals} approvals in a row; "
                            "claimed items can still be decided")
    holding = state.claims_of(reviewer)
    room = review.max_open_per_reviewer - len(holding)
    if room <= 0:
        return Pulled([], holding, f"you hold {len(holding)} open items, the limit; "
                                   "decide some before pulling more")
    candidates = sorted((e for e in state.undecided()
                         if e.status is Status.OPEN and e.group == group
                         and e.first_reviewer != reviewer and not e.escalated_by(reviewer)),
                        key=lambda e: (e.enqueued_at, e.entry_id))[:room]
    claimed = []
    for entry in candidates:
        taken = entry.model_copy(update={"status": Status.CLAIMED, "claimed_by": reviewer,
                                         "claimed_at": now, "lost_claim": None})
        state.entries[entry.entry_id] = taken
        claimed.append(taken)
    return Pulled(claimed, holding + claimed,
                  None if claimed else f"no open items in group {group!r}")
