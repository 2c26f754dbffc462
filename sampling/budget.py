"""Reviewer budgets: at most N non-mandatory samples per group per fixed time window."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from policies.sections.sampling import Budget


def window_start(width_s: float, now: datetime) -> datetime:
    """The start of the window of `width_s` seconds that holds `now`, aligned to the epoch."""
    return datetime.fromtimestamp(now.timestamp() // width_s * width_s, tz=now.tzinfo)


@dataclass(frozen=True)
class Admission:
    admitted: bool
    window_start: datetime | None
    used: int
    limit: int | None


@dataclass
class BudgetLedger:
    """Counts admitted non-mandatory samples per (group, window). Windows are aligned to the
    epoch, so every worker agrees on them; state is plain data the shell may persist."""

    budgets: dict[str, Budget]
    used: dict[tuple[str, datetime], int] = field(default_factory=dict)
    mandatory: dict[tuple[str, datetime], int] = field(default_factory=dict)
    # The part of the stream this ledger sees (the worker's share of the input partitions): each
    # of N workers admits its share of a group's budget, so together they keep to the budget.
    share: float = 1.0

    def limit(self, budget: Budget) -> int:
        return math.ceil(budget.max_samples * self.share)

    # Window starts worked out, by window width and `now` (one `now` per batch of results).
    _starts: dict[tuple[float, datetime, tzinfo | None], datetime] = field(
        default_factory=dict, repr=False, compare=False)

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

    def admit(self, group: str, now: datetime) -> Admission:
        budget = self.budgets.get(group)
        start = self.window_start(group, now)
        if budget is None or start is None:
            return Admission(True, None, 0, None)
        used, limit = self.used.get((group, start), 0), self.limit(budget)
        if used >= limit:
            return Admission(False, start, used, limit)
        self.used[(group, start)] = used + 1
        self._forget_before(group, start)
        return Admission(True, start, used + 1, limit)

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
        for counts in (self.used, self.mandatory):
            for old in [k for k in counts if k[0] == group and k[1] < start]:
                del counts[old]
