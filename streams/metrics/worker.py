"""The worker's metrics, counted when a batch's transaction commits.

| metric | labels | what |
|---|---|---|
| afterguard_results_total | topic, decision | results decided, by input topic and decision |
| afterguard_findings_total | entity, detector | findings in decided results |
| afterguard_fail_closed_total | reason | results quarantined because the way to a decision failed |
| afterguard_dead_letters_total | topic, error | input records dead-lettered, by error kind |
| afterguard_transactions_total | outcome | committed / aborted transactions |
| afterguard_first_time_over_limit_total | topic | first-time agent actions not reviewed as such: their verified identity's `first_time_limit` was used up |
| afterguard_batch_records | - | records per committed transaction (histogram) |
| afterguard_scan_seconds | - | detector scan time per batch (histogram) |
| afterguard_decision_latency_seconds | - | input record's Kafka timestamp to its commit |
| afterguard_consumer_lag | topic, partition | records not yet decided (end offset - committed) |
| afterguard_assigned_partitions | - | input partitions this worker owns |
"""

from __future__ import annotations

import logging
import time
from collections import Counter as Tally
from collections.abc import Sequence
from typing import Any, get_args

from aiokafka import TopicPartition
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from policies import Decision, Outcome
from streams.metrics.health import EventLoopBeat, Health
from streams.metrics.labels import LabelCap
from streams.metrics.lag import ConsumerLag
from streams.metrics.loop_observer import LoopObserver, Parts, never_raises
from streams.metrics.observe_all import observe_all
from streams.metrics.tally import FirstTimeOverLimit, OutcomeTally, Tallied
from streams.records import DeadLetter

log = logging.getLogger(__name__)

DECIDE_LOOP = "decide loop"
FAIL_CLOSED_REASONS = ("payload_too_large", "too_many_values", "detector_timeout",
                       "detector_error", "policy_error", "output_too_large")
HELD_REASON = "output_too_large"  # decided, then held: its decision does not fit its topic
DEAD_LETTER_ERRORS: tuple[str, ...] = get_args(DeadLetter.model_fields["error"].annotation)
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600)
SCAN_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
BATCH_BUCKETS = (1, 2, 5, 10, 25, 50, 100, 200, 500, 1000, 2000, 5000, 10000)


class WorkerMetrics(LoopObserver):
    def __init__(self, registry: CollectorRegistry, health: Health, tally: OutcomeTally,
                 inputs: Sequence[str]) -> None:
        self.health, self.tally = health, tally
        r = registry
        self.results = Counter("afterguard_results", "Results decided (counted at commit)",
                               ["topic", "decision"], registry=r)
        self.findings = Counter("afterguard_findings", "Findings in decided results",
                                ["entity", "detector"], registry=r)
        self.fail_closed = Counter("afterguard_fail_closed", "Results quarantined because "
                                   "something on the way to a decision failed", ["reason"],
                                   registry=r)
        self.dead_letters = Counter("afterguard_dead_letters", "Input records dead-lettered",
                                    ["topic", "error"], registry=r)
        self.transactions = Counter("afterguard_transactions", "Transactions of decided batches",
                                    ["outcome"], registry=r)
        self.first_time_over_limit = Counter(
            "afterguard_first_time_over_limit", "First-time agent actions not reviewed for "
            "being a first time: their verified identity's first_time_limit was used up (a "
            "flood of fresh agent ids?)", ["topic"], registry=r)
        self.batch_records = Histogram("afterguard_batch_records", "Input records per committed "
                                       "transaction", buckets=BATCH_BUCKETS, registry=r)
        self.scan_seconds = Histogram("afterguard_scan_seconds", "Detector scan time of one "
                                      "batch", buckets=SCAN_BUCKETS, registry=r)
        self.latency = Histogram("afterguard_decision_latency_seconds", "From an input record's "
                                 "Kafka timestamp to the commit of its decision",
                                 buckets=LATENCY_BUCKETS, registry=r)
        self.assigned_partitions = Gauge("afterguard_assigned_partitions",
                                         "Input partitions this worker owns", registry=r)
        self._topic = LabelCap(len(inputs) + 10)
        self.lag = ConsumerLag(r, self._topic)
        self._entity, self._detector, self._reason = LabelCap(100), LabelCap(200), LabelCap(20)
        for topic in inputs:  # every series exists from the start: rate() and alerts see 0
            for decision in Decision:
                self.results.labels(topic, decision.value)
            for error in DEAD_LETTER_ERRORS:
                self.dead_letters.labels(topic, error)
            self.first_time_over_limit.labels(topic)
        for reason in FAIL_CLOSED_REASONS:
            self.fail_closed.labels(self._reason(reason))
        for outcome in ("committed", "aborted"):
            self.transactions.labels(outcome)
        self._ticker = EventLoopBeat(health, self.lag.update)

    # The decide loop's hooks (streams.worker.decide_loop)
    def started(self, consumer: Any) -> None:
        self.lag.consumer = consumer
        self._ticker.start()

    def stopped(self) -> None:
        self._ticker.stop()

    def beat(self) -> None:
        self.health.beat(DECIDE_LOOP)

    def aborted(self) -> None:
        self.transactions.labels("aborted").inc()

    def assigned(self, assigned: set[TopicPartition]) -> None:
        self.lag.reassigned()
        self.assigned_partitions.set(len(assigned))
        self.health.met("partitions assigned")

    def revoked(self) -> None:
        self.health.met("partitions assigned", False)

    def refused(self, topic: str) -> None:
        """A followed state record with a bad signature went to the dead-letter topic."""
        self.dead_letters.labels(self._topic(topic), "bad_signature").inc()

    @never_raises
    def committed(self, parts: Parts, tallied: Tallied | None = None) -> None:
        """Count the batch that just committed: per batch, from what the pipeline tallied for
        it (`tallied`, taken out of the tally when the batch was decided; None: all of it)."""
        now = time.time()
        self.beat()
        self.transactions.labels("committed").inc()
        entries, scans = self.tally.drain() if tallied is None else tallied
        for seconds in scans:
            self.scan_seconds.observe(seconds)
        decided: list[tuple[str, Decision]] = []
        letters: Tally[tuple[str, str]] = Tally()
        found: list[tuple[str, str]] = []  # (entity, detector) of each finding
        failed: Tally[str] = Tally()
        over_limit: Tally[str] = Tally()
        for topic, outcome in entries:
            if isinstance(outcome, FirstTimeOverLimit):
                over_limit[topic] += 1
                continue
            if isinstance(outcome, str):
                letters[(topic, outcome)] += 1
                continue
            decided.append((topic, outcome.decision))
            if outcome.failed_closed:
                failed.update(outcome.reasons)
            elif HELD_REASON in outcome.reasons:  # streams/worker/withheld.py
                failed[HELD_REASON] += 1
            _add_findings(outcome, found)
        # counted in C (`Counter`'s), in the order first seen, as one by one
        for (topic, decision), n in Tally(decided).items():
            self.results.labels(self._topic(topic), decision.value).inc(n)
        for (topic, error), n in letters.items():
            self.dead_letters.labels(self._topic(topic), error).inc(n)
        for (entity, detector), n in Tally(found).items():
            self.findings.labels(self._entity(entity), self._detector(detector)).inc(n)
        for reason, n in failed.items():
            self.fail_closed.labels(self._reason(reason)).inc(n)
        for topic, n in over_limit.items():
            self.first_time_over_limit.labels(self._topic(topic)).inc(n)
        size = 0
        latencies: list[float] = []
        for tp, messages in parts.items():
            size += len(messages)
            self.lag.committed({tp: messages[-1].offset + 1})
            # the producer's clock (CreateTime) or the broker's; -1: none
            latencies += [max(0.0, now - message.timestamp / 1000) for message in messages
                          if message.timestamp >= 0]
        observe_all(self.latency, latencies)  # one lock per bucket, not two per record
        self.batch_records.observe(size)


def _add_findings(outcome: Outcome, found: list[tuple[str, str]]) -> None:
    found += [(ruled.finding.entity, ruled.finding.detector) for ruled in outcome.ruled]
    found += [(allowed.finding.entity, allowed.finding.detector) for allowed in outcome.allowed]
