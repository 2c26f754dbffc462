"""The worker decides the next batch while the previous batch's transaction commits. When that
transaction fails, the batch decided meanwhile (whose audit records chain onto the failed one's,
whose first-time marks and job ids count it) is undone with it: none of its outputs is released,
none of its outcomes counted, and both are decided again. A worker killed between two commits
resumes exactly once. Checked as a `read_committed` consumer reads the topics of a real broker."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import uuid
from collections import Counter

import pytest

from streams.config import Topics
from streams.kafka_connection import plaintext
from streams.worker.process import WorkerProcess
from tests.conftest import WorkerFactory
from tests.kafka_io import Record, collect, set_max_message_bytes, worker_drain
from tests.metrics_scrape import metrics_url, value, wait_for, wait_ready

pytestmark = pytest.mark.integration

RESULTS = 100
INPUT_PARTITIONS = 3  # the topics fixture's
BIG = 30  # the result whose decision the broker refuses while the limit is low
BATCH = "20"  # results per poll and transaction: five transactions, one after the other


def results(big: int = 600) -> list[tuple[bytes, bytes]]:
    """Every result a first-time action of its agent, with its own job id: each makes one
    first-seen sighting, one job-id sighting (in its batch's record) and a first-time review
    item, exactly once."""
    out = []
    for i in range(RESULTS):
        output = {"notes": "ok " * big} if i == BIG else {"step": i}
        out.append((f"ov-{i}".encode(), json.dumps({
            "job_id": f"ov-{i}", "agent_id": "agent-ov", "action": f"job.support.step-{i}",
            "tenant": "acme", "output": output}).encode()))
    return out


def produce_to_partition_0(bootstrap: str, topic: str) -> None:
    """All at once into one partition, so the worker polls them as successive batches."""

    async def run() -> None:
        producer = plaintext(bootstrap).producer(acks="all", linger_ms=20)
        await producer.start()
        try:
            sent = [await producer.send(topic, value, key=key, partition=0)
                    for key, value in results()]
            await asyncio.gather(*sent)
        finally:
            await producer.stop()

    asyncio.run(run())


def produce_spread(bootstrap: str, topic: str, partitions: int = 3) -> None:
    """All at once, result i into partition i % 3: the big result (30 KB) goes to partition
    0."""

    async def run() -> None:
        producer = plaintext(bootstrap).producer(acks="all", linger_ms=20)
        await producer.start()
        try:
            sent = [await producer.send(topic, value, key=key, partition=i % partitions)
                    for i, (key, value) in enumerate(results(big=10_000))]
            await asyncio.gather(*sent)
        finally:
            await producer.stop()

    asyncio.run(run())


def outputs(bootstrap: str, topics: Topics, app_id: str) -> dict[str, list[Record]]:
    names = [topics.released, topics.quarantine, topics.audit, topics.review,
             f"{app_id}-first-seen", f"{app_id}-job-ids"]
    return collect(bootstrap, names, done=lambda s: len(s[topics.audit]) >= RESULTS,
                   timeout=240, drain=worker_drain(topics.inputs, topics.audit))


def assert_exactly_once(bootstrap: str, topics: Topics, app_id: str) -> None:
    seen = outputs(bootstrap, topics, app_id)
    jobs = {f"ov-{i}" for i in range(RESULTS)}
    decided = Counter(r.job_id for t in (topics.released, topics.quarantine)
                      for r in seen[t])
    twice = {key for key, n in decided.items() if n > 1}
    assert set(decided) == jobs and not twice, (sorted(jobs - set(decided)), [
        (r.key, r.topic, r.partition, r.offset) for t in (topics.released, topics.quarantine)
        for r in seen[t] if r.job_id in twice][:10])
    for topic in (topics.audit, topics.review):
        keys = Counter(r.job_id for r in seen[topic])
        assert set(keys) == jobs and set(keys.values()) == {1}, (topic, keys)
    # job-id sightings: one record per transaction, each job id in exactly one of them
    sighted = Counter(job_id for r in seen[f"{app_id}-job-ids"]
                      for job_id, _hash in r.json()["sightings"])
    assert set(sighted) == jobs and set(sighted.values()) == {1}, sighted
    assert len(seen[f"{app_id}-job-ids"]) < RESULTS / 2
    assert all(b"first_time_agent_action" in r.value for r in seen[topics.review])
    sightings = Counter(r.json()["action"] for r in seen[f"{app_id}-first-seen"])
    assert sightings == Counter(f"job.support.step-{i}" for i in range(RESULTS))
    verified = subprocess.run([sys.executable, "-m", "streams.cli", "audit", "verify",
                               "--bootstrap", bootstrap, "--topic", topics.audit],
                              capture_output=True, text=True, check=False, timeout=300)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def wait_for_log(worker: WorkerProcess, text: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in worker.log_text():
        assert time.monotonic() < deadline, f"{text!r} not in the log:\n{worker.log_text()[-3000:]}"
        time.sleep(0.2)


def test_an_abort_undoes_the_batch_decided_meanwhile_and_counts_nothing_twice(
        topics: Topics, start_worker: WorkerFactory, kafka_bootstrap: str) -> None:
    app_id = f"overlap-{uuid.uuid4().hex[:8]}"
    worker = start_worker(topics, AFTERGUARD_APP_ID=app_id, AFTERGUARD_BATCH_SIZE=BATCH,
                          AFTERGUARD_METRICS_PORT="0")
    base = metrics_url(worker)
    wait_ready(base)
    # The worker read the released topic's limit at start; the broker now refuses the big
    # result's decision (a real failure of its transaction). The worker reads the limit
    # again and decides the big result again within it (held by reference).
    set_max_message_bytes(kafka_bootstrap, topics.released, 1500)
    try:
        produce_to_partition_0(kafka_bootstrap, topics.inputs[0])
        wait_for_log(worker, "decided meanwhile")
        wait_for(base, lambda s: value(s, "afterguard_transactions_total",
                                       outcome="aborted") >= 1)
    finally:
        set_max_message_bytes(kafka_bootstrap, topics.released, 1_048_588)
    assert_exactly_once(kafka_bootstrap, topics, app_id)
    # with the sentinel result that collect's drain wrote to each input partition
    decided = RESULTS + INPUT_PARTITIONS
    found = wait_for(base, lambda s: value(s, "afterguard_batch_records_sum") >= decided)
    assert value(found, "afterguard_results_total") == decided
    assert value(found, "afterguard_decision_latency_seconds_count") == decided
    assert value(found, "afterguard_batch_records_sum") == decided


def test_a_worker_killed_between_commits_resumes_exactly_once(
        topics: Topics, start_worker: WorkerFactory, kafka_bootstrap: str) -> None:
    """Killed (-9) right after its second commit, with the third batch decided and not yet
    written; the next worker killed with its second transaction's outputs sent and not
    committed; the third decides the rest."""
    group = {"AFTERGUARD_APP_ID": f"overlap-{uuid.uuid4().hex[:8]}",
             "AFTERGUARD_BATCH_SIZE": BATCH, "AFTERGUARD_GROUP_INSTANCE_ID": "overlap-worker"}
    first = start_worker(topics, **group, AFTERGUARD_CRASH_AT="worker_after_commit#2")
    produce_to_partition_0(kafka_bootstrap, topics.inputs[0])
    assert first.proc.wait(120) == -9
    second = start_worker(topics, **group, AFTERGUARD_CRASH_AT="worker_before_commit#2")
    assert second.proc.wait(120) == -9
    start_worker(topics, **group)
    assert_exactly_once(kafka_bootstrap, topics, group["AFTERGUARD_APP_ID"])



def test_a_failing_partition_does_not_hold_back_the_others(
        topics: Topics, start_worker: WorkerFactory, kafka_bootstrap: str) -> None:
    """The transactions of different input partitions are in flight side by side: while
    partition 0's transaction fails again and again (as when the broker cannot be reached
    for it: the test hook fails it before each commit), the results of partitions 1 and 2 are
    decided and released; the next worker of the group decides partition 0's, and nothing is
    written twice or lost."""
    app_id = f"overlap-{uuid.uuid4().hex[:8]}"
    worker = start_worker(topics, AFTERGUARD_APP_ID=app_id, AFTERGUARD_BATCH_SIZE=BATCH,
                          AFTERGUARD_METRICS_PORT="0",
                          AFTERGUARD_FAIL_AT="worker_before_commit_p0#1+")
    base = metrics_url(worker)
    wait_ready(base)
    others = {f"ov-{i}" for i in range(RESULTS) if i % 3 != 0}
    produce_spread(kafka_bootstrap, topics.inputs[0])
    wait_for(base, lambda s: value(s, "afterguard_transactions_total", outcome="aborted") >= 2)
    released = collect(kafka_bootstrap, [topics.released, topics.quarantine],
                       done=lambda s: others <= {r.job_id for t in s.values() for r in t},
                       timeout=120, settle=0)
    decided = {r.job_id for t in released.values() for r in t}
    assert others <= decided, sorted(others - decided)[:10]
    assert not {f"ov-{i}" for i in range(0, RESULTS, 3)} & decided  # none can commit
    worker.stop()
    start_worker(topics, AFTERGUARD_APP_ID=app_id, AFTERGUARD_BATCH_SIZE=BATCH)
    assert_exactly_once(kafka_bootstrap, topics, app_id)
