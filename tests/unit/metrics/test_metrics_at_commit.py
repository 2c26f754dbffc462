"""What a committed batch adds to /metrics: each decision, dead letter, finding (by entity and
detector) and input record's latency, counted from the batch's outcomes; a batch of latencies
observed at once shows exactly as the same latencies observed one by one (every bucket, the
count and the sum to the last digit)."""

from __future__ import annotations

import math
from collections import Counter

from aiokafka import ConsumerRecord, TopicPartition

from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry, Histogram, generate_latest

from streams.audit.chain import AuditChain
from streams.metrics.health import Health
from streams.metrics.observe_all import observe_all
from streams.metrics.tally import OutcomeTally
from streams.metrics.worker import LATENCY_BUCKETS, WorkerMetrics
from tests.unit.worker.test_batch import NOW, decider, record

# every bucket bound, each just below and above it, and anything from 0 to past the last bound
EDGES = [x for bound in LATENCY_BUCKETS
         for x in (bound, math.nextafter(bound, 0.0), math.nextafter(bound, math.inf))]
AMOUNTS = st.one_of(st.sampled_from(EDGES), st.floats(0.0, 10_000.0), st.just(0.0),
                    st.just(math.inf), st.just(math.nan), st.floats(-1.0, 0.0))


def _histograms() -> tuple[CollectorRegistry, Histogram, CollectorRegistry, Histogram]:
    one, batch = CollectorRegistry(), CollectorRegistry()
    return (one, Histogram("latency_seconds", "l", buckets=LATENCY_BUCKETS, registry=one),
            batch, Histogram("latency_seconds", "l", buckets=LATENCY_BUCKETS, registry=batch))


def _exposed(registry: CollectorRegistry) -> list[bytes]:
    return [line for line in generate_latest(registry).splitlines()
            if not line.startswith(b"latency_seconds_created")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(AMOUNTS, max_size=60), max_size=6))
def test_batches_show_as_the_same_values_observed_one_by_one(batches: list[list[float]]) -> None:
    one, single, batch, batched = _histograms()
    for amounts in batches:
        for amount in amounts:
            single.observe(amount)
        observe_all(batched, amounts)
        assert _exposed(batch) == _exposed(one)


def test_a_histogram_of_another_make_is_observed_value_by_value() -> None:
    seen: list[float] = []

    class Other(Histogram):
        def __init__(self) -> None:  # none of prometheus_client's histogram's fields
            pass

        def observe(self, amount: float, exemplar: dict[str, str] | None = None) -> None:
            seen.append(amount)

    observe_all(Other(), [0.5, 3.0])
    assert seen == [0.5, 3.0]


def test_a_commit_counts_every_decision_dead_letter_finding_and_latency() -> None:
    batch_decider, _ = decider()
    tally = batch_decider.pipeline.tally = OutcomeTally()
    outputs = [{"ssn": "457-55-5462", "mail": "jo@example.com"}, {"n": 1}, "not json",
               {"key": "AKIAQWERTYUIOPASDFGH", "to": "al@example.org, bo@example.org"},
               {"card": "4111 1111 1111 1111"}, {"n": 2}]
    batch = [record(n, output) for n, output in enumerate(outputs)]
    batch[2] = batch[2]._replace(value=b"{not json")
    batch_decider.decide(batch, NOW, AuditChain.fresh(1))
    entries = list(tally.entries)
    registry = CollectorRegistry()
    metrics = WorkerMetrics(registry, Health(30.0, ()), tally, ["in"])
    stamps = [1_000, -1, 2_500, 2_500, 0, 7_000]  # ms; -1: no timestamp
    metrics.committed({TopicPartition("in", 0): [
        ConsumerRecord("in", 0, raw.offset, stamp, 0, raw.key, raw.value, None, 0, 0, [])
        for raw, stamp in zip(batch, stamps, strict=True)]})

    decisions = Counter(o.decision.value for _, o in entries if not isinstance(o, str))
    found = Counter((r.finding.entity, r.finding.detector)
                    for _, o in entries if not isinstance(o, str) for r in o.ruled)
    assert len(found) >= 3 and sum(decisions.values()) == 5
    for decision, n in decisions.items():
        assert registry.get_sample_value("afterguard_results_total",
                                         {"topic": "in", "decision": decision}) == n
    for (entity, detector), n in found.items():
        assert registry.get_sample_value("afterguard_findings_total",
                                         {"entity": entity, "detector": detector}) == n
    assert registry.get_sample_value("afterguard_dead_letters_total",
                                     {"topic": "in", "error": "not_json"}) == 1
    assert registry.get_sample_value("afterguard_decision_latency_seconds_count") == 5
    assert registry.get_sample_value("afterguard_batch_records_count") == 1
