"""The console's charts over time, from the decided entries the queue keeps (14 days): waits
per group and hour (median, p95), verdicts per reviewer, and how often a second review
disagreed with the first (pure)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sampling.verdict import VerdictKind
from streams.review.entry import QueueEntry
from streams.review.stats import percentile


def trends(entries: list[QueueEntry], now: datetime, hours: int = 24) -> dict[str, Any]:
    since = now - timedelta(hours=hours)
    decided = [e for e in entries if e.outcome is not None and e.outcome.decided_at >= since]
    waits: dict[str, dict[str, list[float]]] = {}
    per_reviewer: Counter[str] = Counter()
    second = {"reviews": 0, "disagreed": 0}
    by_first: dict[str, Counter[str]] = {}
    for entry in decided:
        assert entry.outcome is not None
        hour = entry.outcome.decided_at.replace(minute=0, second=0, microsecond=0)
        wait = (entry.outcome.decided_at - entry.enqueued_at).total_seconds()
        waits.setdefault(entry.group, {}).setdefault(hour.isoformat(), []).append(wait)
        if entry.outcome.automatic:
            continue
        per_reviewer[entry.outcome.approver_id] += 1
        if entry.is_second_review and entry.first_reviewer:
            disagreed = entry.outcome.verdict is not VerdictKind.APPROVE
            second["reviews"] += 1
            second["disagreed"] += disagreed
            counts = by_first.setdefault(entry.first_reviewer, Counter())
            counts["reviews"] += 1
            counts["disagreed"] += disagreed
    return {
        "hours": hours,
        "waits": {group: [{"hour": hour, "items": len(values),
                           "median_s": percentile(values, 0.5), "p95_s": percentile(values, 0.95)}
                          for hour, values in sorted(series.items())]
                  for group, series in sorted(waits.items())},
        "verdicts_per_reviewer": dict(per_reviewer.most_common()),
        "second_review": {**second, "by_first_reviewer": {
            who: {"reviews": c["reviews"], "disagreed": c["disagreed"]}
            for who, c in sorted(by_first.items())}},
    }
