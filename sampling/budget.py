"""Reviewer budgets: at most N non-mandatory samples per group per fixed time window, and at most
a share of them per agent, so that one agent's samples cannot use up the budget other agents'
samples need (an agent may add risk tags to its own results: claims only tighten sampling, so
without the share it could flood a group and keep everyone else's results out of review)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Literal

from policies.sections.sampling import Budget, FirstTimeLimit


def window_start(width_s: float, now: datetime) -> datetime:
    """The start of the window of `width_s` seconds that holds `now`, aligned to the epoch."""
    return datetime.fromtimestamp(now.timestamp() // width_s * width_s, tz=now.tzinfo)


# Why a drawn, non-mandatory sample was dropped (the sampling record's `budget_drop_reason`).
DropReason = Literal["group_budget_exhausted", "agent_share_exhausted"]
GROUP_BUDGET_EXHAUSTED: DropReason = "group_budget_exhausted"
AGENT_SHARE_EXHAUSTED: DropReason = "agent_share_exhausted"

# Admitted samples by (group, window start), and by (group, window start, agent id).
WindowCounts = dict[tuple[str, datetime], int]
AgentCounts = dict[tuple[str, datetime, str], int]
# The "group" under which `by_agent` counts first-time reviews per verified identity
# (`sampling.mandatory.first_time_limit`): no reviewer group can be named so (not an
# identifier), and the worker checkpoints, rolls back and gives back `by_agent` per batch.
FIRST_TIME_REVIEWS = "first-time reviews\x1f"


@dataclass(frozen=True)
class Admission:
    admitted: bool
    window_start: datetime | None
    used: int
    limit: int | None
    dropped_because: DropReason | None = None  # GROUP_BUDGET_EXHAUSTED or AGENT_SHARE_EXHAUSTED


@dataclass
class BudgetLedger:
    """Counts admitted non-mandatory samples per (group, window). Windows are aligned to the
    epoch, so every worker agrees on them; state is plain data the shell may persist."""

    budgets: dict[str, Budget]
    used: WindowCounts = field(default_factory=dict)
    mandatory: WindowCounts = field(default_factory=dict)
    # admitted samples per agent (only admissions add keys: bounded by the groups' limits),
    # and first-time reviews per verified identity under FIRST_TIME_REVIEWS
    by_agent: AgentCounts = field(default_factory=dict)
    # The part of the stream this ledger sees (the worker's share of the input partitions): each
    # of N workers admits its share of a group's budget, so together they keep to the budget.
    share: float = 1.0

    def limit(self, budget: Budget) -> int:
        return math.ceil(budget.max_samples * self.share)

    def agent_limit(self, budget: Budget) -> int:
        """One agent's most admitted samples in a window: its share of this worker's limit."""
        return math.ceil(budget.max_samples * budget.max_share_per_agent * self.share)

    # Window starts worked out, by window width and `now` (one `now` per batch of results).
    _starts: dict[tuple[float, datetime, tzinfo | None], datetime] = field(
        default_factory=dict, repr=False, compare=False)
    # Per group, the window start `_forget_before` last ran for and the counts as it left them
    # (each dict and its size): with the same start and counts, it finds nothing to forget.
    _forgotten: dict[str, tuple[datetime, WindowCounts, int, WindowCounts, int, AgentCounts,
                                int]] = field(default_factory=dict, repr=False, compare=False)

    def window_start(self, group: str, now: datetime) -> datetime | None:
        budget = self.budgets.get(group)
        if budget is None:
            return None
        width = budget.window.total_seconds()
        key = (width, now, now.tzinfo)  # equal instants in other zones give other starts
        start = self._starts.get(key)
        if start is None:
            if len(self._starts) >= 64:
                self._starts.clear()
            start = self._starts[key] = window_start(width, now)
        return start

    def admit(self, group: str, now: datetime, agent_id: str) -> Admission:
        """Admit one drawn sample of `agent_id` unless the group's budget or the agent's share
        of it is used up in this window. `agent_id` is whom the share is counted for: a
        verified identity (policies.claims.verified_identity: the trust.identities entry that
        names the source topic, else the topic), never a bare claim."""
        budget = self.budgets.get(group)
        start = self.window_start(group, now)
        if budget is None or start is None:
            return Admission(True, None, 0, None)
        used, limit = self.used.get((group, start), 0), self.limit(budget)
        if used >= limit:
            return Admission(False, start, used, limit, GROUP_BUDGET_EXHAUSTED)
        by_agent = self.by_agent.get((group, start, agent_id), 0)
        if by_agent >= self.agent_limit(budget):
            return Admission(False, start, used, limit, AGENT_SHARE_EXHAUSTED)
        self.used[(group, start)] = used + 1
        self.by_agent[(group, start, agent_id)] = by_agent + 1
        self._forget_before(group, start)
        return Admission(True, start, used + 1, limit)

    def admit_first_time(self, identity: str, now: datetime, limit: FirstTimeLimit) -> bool:
        """Admit one review made mandatory only by a first-time agent action of `identity`
        (a verified identity) unless the identity's first-time reviews in this window reached
        this worker's part of `limit.max_reviews`."""
        start = window_start(limit.window.total_seconds(), now)
        key = (FIRST_TIME_REVIEWS, start, identity)
        count = self.by_agent.get(key, 0)
        if count >= math.ceil(limit.max_reviews * self.share):
            return False
        if count == 0:
            for stale in [k for k in self.by_agent
                          if k[0] == FIRST_TIME_REVIEWS and k[1] < start]:
                del self.by_agent[stale]
        self.by_agent[key] = count + 1
        return True

    def note_mandatory(self, group: str, now: datetime) -> bool:
        """Count a mandatory item (never dropped); True for the one that takes the group's
        mandatory volume past its budget in this window: the moment to alert."""
        budget = self.budgets.get(group)
        start = self.window_start(group, now)
        if budget is None or start is None:
            return False
        count = self.mandatory.get((group, start), 0) + 1
        self.mandatory[(group, start)] = count
        self._forget_before(group, start)
        return count == self.limit(budget) + 1

    def _forget_before(self, group: str, start: datetime) -> None:
        """Forget `group`'s counts of windows before `start`. Skipped (once per result, with
        a note of each mandatory item) when it ran last for this start and the counts are the
        same dicts of the same sizes since: every count this ledger adds is followed by a call
        for its own window, and a dict put in place of one (a rollback) or grown is looked
        through again (tests/unit/sampling/test_budget_forgetting.py)."""
        used, mandatory, by_agent = self.used, self.mandatory, self.by_agent
        last = self._forgotten.get(group)
        if (last is not None and last[0] == start and last[1] is used
                and last[2] == len(used) and last[3] is mandatory
                and last[4] == len(mandatory) and last[5] is by_agent
                and last[6] == len(by_agent)):
            return
        for counts in (used, mandatory):
            for old in [k for k in counts if k[0] == group and k[1] < start]:
                del counts[old]
        for stale in [k for k in by_agent if k[0] == group and k[1] < start]:
            del by_agent[stale]
        if len(self._forgotten) >= 1024:  # groups come from the policy: a few
            self._forgotten.clear()
        self._forgotten[group] = (start, used, len(used), mandatory, len(mandatory), by_agent,
                                  len(by_agent))
