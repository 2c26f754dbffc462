"""A result is decided and visible downstream on its own: the worker decides what has arrived
and commits it, whatever comes after (here: nothing until it is read). One result at a time
into each input partition in turn (each its own transactional producer and lane), read as a
`read_committed` consumer reads the released topic."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from streams.config import Topics
from streams.kafka_connection import plaintext
from tests.conftest import WorkerFactory
from tests.kafka_io import Record, collect

pytestmark = pytest.mark.integration


def send_one(bootstrap: str, topic: str, partition: int, job_id: str) -> None:
    async def run() -> None:
        producer = plaintext(bootstrap).producer(acks="all")
        await producer.start()
        try:
            value = json.dumps({"job_id": job_id, "agent_id": "agent-alone",
                                "action": "job.support.reply", "tenant": "acme",
                                "output": {"reply": "thanks, all done"}}).encode()
            await producer.send_and_wait(topic, value, key=job_id.encode(), partition=partition)
        finally:
            await producer.stop()

    asyncio.run(run())


def test_each_result_alone_is_released_without_another_after_it(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory) -> None:
    start_worker(topics, AFTERGUARD_APP_ID=f"alone-{uuid.uuid4().hex[:8]}")
    released: list[str] = []
    for n, partition in enumerate([0, 1, 2, 0]):
        job_id = f"alone-{n}"
        send_one(kafka_bootstrap, topics.inputs[0], partition, job_id)
        def arrived(seen: dict[str, list[Record]], job_id: str = job_id) -> bool:
            return any(r.job_id == job_id for r in seen[topics.released])

        seen = collect(kafka_bootstrap, [topics.released], done=arrived, timeout=60, settle=0)
        released = [r.job_id for r in seen[topics.released]]
        assert job_id in released, (partition, released)
    assert sorted(released) == [f"alone-{n}" for n in range(4)]  # each once
