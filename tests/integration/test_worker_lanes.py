"""A lane whose transaction does not end holds back only its own results: the batch of the lane
decided meanwhile waits behind it (never begun), while the loop goes on deciding and releasing
the other lanes' results. The loop used to wait for the lane's commit right after deciding the
batch meanwhile, and every other partition's results waited with it. Then a new owner fences
the hung transaction and everything is decided exactly once. Checked as a `read_committed`
consumer reads the topics of a real broker."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter

import pytest
from aiokafka.partitioner import DefaultPartitioner

from policies.decision import result_key
from streams.config import Topics
from streams.kafka_connection import plaintext
from streams.worker.decide_loop import POLL_S
from tests.conftest import WorkerFactory
from tests.kafka_io import Record, collect
from tests.waiting import wait_for

pytestmark = pytest.mark.integration

# The hung transaction is given up only after the timeout and two of the broker's looks for
# timed-out transactions (92 s with the local broker's 1 s looks); the test is over long before.
GROUP = {"AFTERGUARD_GROUP_INSTANCE_ID": "lanes-worker",
         "AFTERGUARD_TRANSACTION_TIMEOUT_MS": "90000"}


def result(job_id: str) -> bytes:
    return json.dumps({"job_id": job_id, "agent_id": "agent-lanes", "action": "job.support.reply",
                       "tenant": "acme", "output": {"reply": f"done: {job_id}"}}).encode()


def produce_to(bootstrap: str, topic: str, records: list[tuple[int, bytes, bytes]]) -> None:
    """(partition, key, value) records, each acknowledged before the next is sent."""
    async def run() -> None:
        producer = plaintext(bootstrap).producer(acks="all")
        await producer.start()
        try:
            for partition, key, value in records:
                await producer.send_and_wait(topic, value, key=key, partition=partition)
        finally:
            await producer.stop()

    asyncio.run(run())


def key_not_beside(topic: str, other: bytes, name: str) -> bytes:
    """A key (and job_id) whose decision goes to another output partition than `other`'s (3
    partitions; decisions are keyed `<topic>/<job_id>`): `other`'s open transaction holds a
    read_committed reader of its own partitions back."""
    partitions = [0, 1, 2]
    beside = DefaultPartitioner()(result_key(topic, other.decode()), partitions, partitions)
    for n in range(100):
        key = f"{name}-{n}".encode()
        if DefaultPartitioner()(result_key(topic, key.decode()), partitions,
                                partitions) != beside:
            return key
    raise AssertionError("no such key")


def decided(seen: dict[str, list[Record]]) -> Counter[str]:
    return Counter(r.job_id for records in seen.values() for r in records)


def test_a_hung_lane_does_not_hold_back_the_other_lanes(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory) -> None:
    app_id = f"lanes-{uuid.uuid4().hex[:8]}"
    # partition 0's first transaction sends its outputs and never commits
    worker = start_worker(topics, AFTERGUARD_APP_ID=app_id, **GROUP,
                          AFTERGUARD_HANG_AT="worker_before_commit")
    c = key_not_beside(topics.inputs[0], b"lane-a", "lane-c")
    d = key_not_beside(topics.inputs[0], b"lane-a", "lane-d")
    produce_to(kafka_bootstrap, topics.inputs[0], [(0, b"lane-a", result("lane-a"))])
    wait_for(lambda: "hanging here until cancelled" in worker.log_text(),
             "partition 0's transaction did not reach its commit", timeout=120)
    # a pause in the stream: the loop's polls find nothing for a few seconds (it used to wait
    # for every lane's transaction then, the hung one too, and held all lanes back)
    time.sleep(3 * POLL_S)
    # partition 0's next result (decided on top of the hung transaction, queued behind it),
    # then, polled on its own, a third (its lane is full: it waits, its partition paused; the
    # loop used to wait for the hung transaction there, and held every lane back), then
    # partition 1's and 2's
    produce_to(kafka_bootstrap, topics.inputs[0], [(0, b"lane-b", result("lane-b"))])
    time.sleep(3 * POLL_S)
    produce_to(kafka_bootstrap, topics.inputs[0], [(0, b"lane-e", result("lane-e")),
                                                   (1, c, result(c.decode())),
                                                   (2, d, result(d.decode()))])
    outputs = [topics.released, topics.quarantine]
    others = {c.decode(), d.decode()}
    seen = collect(kafka_bootstrap, outputs, done=lambda s: others <= set(decided(s)),
                   timeout=45)
    assert others <= set(decided(seen)), worker.log_text()[-3000:]
    assert not {"lane-a", "lane-b", "lane-e"} & set(decided(seen))  # behind the hung one
    worker.kill()
    # the next owner fences the hung transaction and decides partition 0's results again
    start_worker(topics, AFTERGUARD_APP_ID=app_id, **GROUP)
    everything = {"lane-a", "lane-b", "lane-e", *others}
    seen = collect(kafka_bootstrap, [*outputs, topics.audit],
                   done=lambda s: everything <= set(decided(s)), timeout=120, settle=2)
    assert decided({t: seen[t] for t in outputs}) == Counter(everything)
    assert decided({topics.audit: seen[topics.audit]}) == Counter(everything)
