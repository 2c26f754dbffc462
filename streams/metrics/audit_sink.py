"""The audit sink's metrics: records loaded, duplicates, and audit chain problems by kind (each
one also an ALERT log line and a row of `audit_conflicts`).

| metric | labels | what |
|---|---|---|
| afterguard_audit_records_total | outcome | records read: `inserted`, `duplicate`, `skipped` (not audit records) |
| afterguard_audit_chain_problems_total | problem | `conflict`, `edited`, `misplaced`, `broken_link`, `gap` |
| afterguard_audit_checkpoints_total | - | signed checkpoints written |
| afterguard_consumer_lag | topic, partition | audit records not yet loaded |
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

from streams.audit.sink import AuditSink
from streams.metrics.health import EventLoopBeat, Health
from streams.metrics.labels import LabelCap
from streams.metrics.lag import ConsumerLag
from streams.metrics.loop_observer import LoopObserver, Parts, never_raises
from streams.metrics.tally import Tallied

SINK_LOOP = "sink loop"
PROBLEMS = ("conflict", "edited", "misplaced", "broken_link", "gap")


class SinkMetrics(LoopObserver, Collector):
    """Read from the sink's own counts at each scrape (plain integers)."""

    def __init__(self, registry: CollectorRegistry, health: Health, sink: AuditSink) -> None:
        self.health, self.sink = health, sink
        self._problem = LabelCap(20)
        self.lag = ConsumerLag(registry, LabelCap(20))
        registry.register(self)
        self._ticker = EventLoopBeat(health, self.lag.update)

    def collect(self) -> Iterator[CounterMetricFamily]:
        stats = self.sink.stats
        records = CounterMetricFamily("afterguard_audit_records", "Audit records read by the "
                                      "sink", labels=["outcome"])
        records.add_metric(["inserted"], stats.inserted)
        records.add_metric(["duplicate"], stats.duplicates)
        records.add_metric(["skipped"], stats.skipped)
        yield records
        problems = CounterMetricFamily("afterguard_audit_chain_problems", "Audit chain "
                                       "problems found (each in audit_conflicts, with an ALERT "
                                       "log line)", labels=["problem"])
        counted = dict(stats.problems)
        for problem in (*PROBLEMS, *sorted(set(counted) - set(PROBLEMS))):
            problems.add_metric([self._problem(problem)], counted.get(problem, 0))
        yield problems
        checkpoints = CounterMetricFamily("afterguard_audit_checkpoints", "Signed checkpoints "
                                          "of verified chain heads written")
        checkpointer = self.sink.checkpointer
        checkpoints.add_metric([], checkpointer.written if checkpointer is not None else 0)
        yield checkpoints

    def started(self, consumer: Any) -> None:
        self.lag.consumer = consumer
        self.health.met("chain heads loaded")
        self._ticker.start()

    def stopped(self) -> None:
        self._ticker.stop()

    def beat(self) -> None:
        self.health.beat(SINK_LOOP)

    @never_raises
    def committed(self, parts: Parts, tallied: Tallied | None = None) -> None:
        self.lag.committed({tp: messages[-1].offset + 1 for tp, messages in parts.items()
                            if messages})
