"""The review service's metrics: queue depth, oldest age and waits per reviewer group against
the policy's targets, items queued, and verdicts (counted when their transaction commits).

| metric | labels | what |
|---|---|---|
| afterguard_review_queue_depth | group | items waiting for a verdict |
| afterguard_review_oldest_age_seconds | group | age of the oldest item waiting |
| afterguard_review_wait_seconds | group, quantile | median / p95 wait (decided: to the verdict; waiting: so far) |
| afterguard_review_wait_target_seconds | quantile | the policy's median / p95 wait targets |
| afterguard_review_items_queued_total | group | review items queued |
| afterguard_review_verdicts_total | kind, group, automatic | verdicts committed |
| afterguard_dead_letters_total | topic, error | review items and holds refused (bad_signature) |
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Gauge

from sampling.verdict import Verdict, VerdictKind
from streams.metrics.labels import LabelCap
from streams.review.queue import ReviewQueue
from streams.review.stats import queue_stats

UPDATE_EVERY_S = 5.0  # the queue's gauges walk every entry: not every second


class ReviewMetrics:
    def __init__(self, registry: CollectorRegistry, queue: ReviewQueue,
                 groups: Iterable[str], guarded: Iterable[str] = ()) -> None:
        """`guarded`: the topics whose records must be signed (their refusals are counted)."""
        r = registry
        self.queue = queue
        self.depth = Gauge("afterguard_review_queue_depth", "Review items waiting for a "
                           "verdict", ["group"], registry=r)
        self.oldest = Gauge("afterguard_review_oldest_age_seconds", "Age of the oldest review "
                            "item waiting for a verdict", ["group"], registry=r)
        self.wait = Gauge("afterguard_review_wait_seconds", "Wait of review items (decided: "
                          "until the verdict; waiting: so far)", ["group", "quantile"],
                          registry=r)
        self.target = Gauge("afterguard_review_wait_target_seconds", "The review policy's "
                            "wait targets", ["quantile"], registry=r)
        self.queued = Counter("afterguard_review_items_queued", "Review items queued",
                              ["group"], registry=r)
        self.verdicts = Counter("afterguard_review_verdicts", "Verdicts committed",
                                ["kind", "group", "automatic"], registry=r)
        self.dead_letters = Counter("afterguard_dead_letters", "Input records dead-lettered",
                                    ["topic", "error"], registry=r)
        self._topic = LabelCap(10)
        for topic in guarded:
            self.dead_letters.labels(self._topic(topic), "bad_signature")
        self._group = LabelCap(50)
        self._known = [self._group(g) for g in sorted(set(groups))]
        for group in self._known:
            self.depth.labels(group).set(0)
            self.oldest.labels(group).set(0)
            self.queued.labels(group)
            for kind in VerdictKind:
                for automatic in ("false", "true"):
                    self.verdicts.labels(kind.value, group, automatic)
        self._last_update = 0.0

    def refused(self, topic: str) -> None:
        """A record with a bad signature went to the dead-letter topic."""
        self.dead_letters.labels(self._topic(topic), "bad_signature").inc()

    def item_queued(self, group: str) -> None:
        self.queued.labels(self._group(group)).inc()

    def verdicts_committed(self, verdicts: Iterable[Verdict]) -> None:
        for verdict in verdicts:
            self.verdicts.labels(verdict.verdict.value, self._group(verdict.reviewer_group),
                                 "true" if verdict.automatic else "false").inc()

    def update(self) -> None:
        """Walk the queue (on the event loop, at most every UPDATE_EVERY_S)."""
        if time.monotonic() - self._last_update < UPDATE_EVERY_S:
            return
        self._last_update = time.monotonic()
        now = datetime.now(UTC)
        depth: dict[str, int] = dict.fromkeys(self._known, 0)
        oldest: dict[str, float] = dict.fromkeys(self._known, 0.0)
        for entry in list(self.queue.state.entries.values()):
            if entry.outcome is None:
                group = self._group(entry.group)
                depth[group] = depth.get(group, 0) + 1
                oldest[group] = max(oldest.get(group, 0.0), entry.age_s(now))
        for group, n in depth.items():
            self.depth.labels(group).set(n)
            self.oldest.labels(group).set(oldest[group])
        stats = queue_stats(self.queue.state, self.queue.review, now)
        self.target.labels("0.5").set(stats["targets"]["median_s"])
        self.target.labels("0.95").set(stats["targets"]["p95_s"])
        for group, figures in stats["groups"].items():
            for quantile, key in (("0.5", "wait_median_s"), ("0.95", "wait_p95_s")):
                if figures[key] is not None:
                    self.wait.labels(self._group(group), quantile).set(figures[key])
