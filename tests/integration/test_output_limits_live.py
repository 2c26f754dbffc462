"""An output topic's record size limit, as the broker applies it, never stalls the worker: a
small `max.message.bytes` (smaller than the producer's record batches) and a limit lowered
while the worker runs. Before, the worker sent a partition's outputs in record batches of up
to 256 KB, which a topic taking smaller batches refused (each record fitting), and it read the
limits once at start, so a record over a limit lowered later was refused too: either way the
transaction was aborted and the same records decided again into the same refused writes, for
as long as the worker ran, and the partition's later results waited behind them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from streams.config import Topics
from tests.conftest import WorkerFactory
from tests.kafka_io import collect, produce, set_max_message_bytes
from tests.metrics_scrape import metrics_url, value, wait_for, wait_ready

pytestmark = pytest.mark.integration


def result(job_id: str, output: Any) -> tuple[bytes, bytes]:
    document = {"job_id": job_id, "agent_id": "support-agent-7",
                "action": "job.support.lookup-customer", "tenant": "acme", "output": output}
    return b"one-key", json.dumps(document).encode()  # one key: one input partition


def decisions(bootstrap: str, topics: Topics, count: int) -> dict[str, list[Any]]:
    return collect(bootstrap, [topics.released, topics.quarantine, topics.audit],
                   done=lambda seen: len(seen[topics.audit]) >= count, timeout=90)


def test_a_topic_taking_smaller_batches_than_the_producer_makes_gets_every_record(
        topics: Topics, start_worker: WorkerFactory, kafka_bootstrap: str) -> None:
    # 8 KB: each released decision (~0.5 KB) fits, a batch of 150 of them (~75 KB) would not.
    set_max_message_bytes(kafka_bootstrap, topics.released, 8192)
    count = 150
    produce(kafka_bootstrap, topics.inputs[0],
            [result(f"small-batches-{i}", {"status": "ok", "n": i}) for i in range(count)])
    worker = start_worker(topics, AFTERGUARD_METRICS_PORT="0")
    base = metrics_url(worker)
    wait_ready(base)
    seen = decisions(kafka_bootstrap, topics, count)
    released = {json.loads(r.value)["job_id"] for r in seen[topics.released]}
    assert released == {f"small-batches-{i}" for i in range(count)}
    assert all(len(r.value) < 8192 for r in seen[topics.released])
    assert value(wait_for(base, lambda s: value(
        s, "afterguard_results_total") >= count), "afterguard_transactions_total",
        outcome="aborted") == 0


def test_a_limit_lowered_while_the_worker_runs_holds_the_result_it_refuses_and_goes_on(
        topics: Topics, start_worker: WorkerFactory, kafka_bootstrap: str) -> None:
    worker = start_worker(topics, AFTERGUARD_METRICS_PORT="0")
    base = metrics_url(worker)
    wait_ready(base)
    # The worker read the released topic's limit (1 MB) at start; now it takes 2,000 bytes.
    set_max_message_bytes(kafka_bootstrap, topics.released, 2000)
    try:
        produce(kafka_bootstrap, topics.inputs[0],
                [result("lowered-big", {"notes": "ok " * 1000}),
                 result("lowered-small", {"status": "ok"})])
        seen = decisions(kafka_bootstrap, topics, 2)
    finally:
        set_max_message_bytes(kafka_bootstrap, topics.released, 1_048_588)
    released = {json.loads(r.value)["job_id"]: r for r in seen[topics.released]}
    held = {json.loads(r.value)["job_id"]: json.loads(r.value) for r in seen[topics.quarantine]}
    assert set(released) == {"lowered-small"}
    # The big result is held for review with its output by reference (it is in the input
    # topic), as a result too large for the released topic at start would be.
    assert set(held) == {"lowered-big"}
    assert held["lowered-big"]["output"] is None
    withheld = held["lowered-big"]["output_withheld"]
    assert withheld["source"]["topic"] == topics.inputs[0]
    assert "output_too_large" in held["lowered-big"]["reasons"]
    metrics = wait_for(base, lambda s: value(s, "afterguard_results_total") >= 2)
    assert value(metrics, "afterguard_results_total") == 2  # each counted once
    assert value(metrics, "afterguard_transactions_total", outcome="aborted") >= 1
