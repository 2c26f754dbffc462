"""Queue statistics: waits per group against the targets, open items per reviewer, approval
rate per rule (a rule whose items are nearly always approved is a candidate to relax).

Who sees what (the API decides, `own_rows` helps): the leads (members of the escalation group)
see every group and every reviewer; any other reviewer sees the groups they review and, of
the per-reviewer figures, only their own row."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from policies.sections.review import ReviewPolicy
from sampling.verdict import VerdictKind
from streams.review.entry import Status
from streams.review.state import QueueState

RELAX_MIN_VERDICTS = 20
RELAX_APPROVAL_RATE = 0.95


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in (0, 1]); None without values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def queue_stats(state: QueueState, review: ReviewPolicy, now: datetime,
                in_groups: Callable[[str], bool] | None = None) -> dict[str, Any]:
    """A decided item waited from enqueue to verdict; an undecided one has waited its age so
    far (so a rotting queue shows in the percentiles before anyone decides). `in_groups`: only
    the items of the groups it admits count."""
    waits: dict[str, list[float]] = {}
    open_count: Counter[str] = Counter()
    per_reviewer: Counter[str] = Counter()
    rules: dict[str, Counter[str]] = {}
    for entry in list(state.entries.values()):
        if in_groups is not None and not in_groups(entry.group):
            continue
        if entry.outcome is None:
            waits.setdefault(entry.group, []).append(entry.age_s(now))
            open_count[entry.group] += 1
            if entry.status is Status.CLAIMED and entry.claimed_by:
                per_reviewer[entry.claimed_by] += 1
            continue
        waits.setdefault(entry.group, []).append(
            (entry.outcome.decided_at - entry.enqueued_at).total_seconds())
        if entry.outcome.automatic:
            continue  # timeouts say nothing about whether a rule is too strict
        approved = entry.outcome.verdict is VerdictKind.APPROVE
        for rule in entry.item.rule_ids or ("(no rule: sampled)",):
            rules.setdefault(rule, Counter())["approved" if approved else "not_approved"] += 1
    median_target = review.target_wait.median.total_seconds()
    p95_target = review.target_wait.p95.total_seconds()
    groups = {}
    for group, values in sorted(waits.items()):
        median, p95 = percentile(values, 0.5), percentile(values, 0.95)
        groups[group] = {"items": len(values), "open": open_count[group],
                         "wait_median_s": median, "wait_p95_s": p95,
                         "median_over_target": median is not None and median > median_target,
                         "p95_over_target": p95 is not None and p95 > p95_target}
    return {"targets": {"median_s": median_target, "p95_s": p95_target},
            "max_open_per_reviewer": review.max_open_per_reviewer,
            "groups": groups, "open_per_reviewer": dict(sorted(per_reviewer.items())),
            "rules": {rule: _rule(c) for rule, c in sorted(rules.items())}}


def _rule(counts: Counter[str]) -> dict[str, Any]:
    total = counts["approved"] + counts["not_approved"]
    rate = counts["approved"] / total
    hint = None
    if total >= RELAX_MIN_VERDICTS and rate >= RELAX_APPROVAL_RATE:
        hint = (f"{rate:.0%} of {total} reviewed items approved: candidate to relax "
                "(lower its decision or sampling weight)")
    return {"verdicts": total, "approved": counts["approved"], "approval_rate": rate,
            "hint": hint}


def own_rows(per_reviewer: dict[str, Any], reviewer: str) -> dict[str, Any]:
    """Of a per-reviewer figure, the reviewer's own row only."""
    return {who: value for who, value in per_reviewer.items() if who == reviewer}
