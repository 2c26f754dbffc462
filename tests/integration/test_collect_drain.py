"""The test helper `collect` must see a duplicate that a service writes after `done` holds:
the exactly-once tests rely on it. A stand-in service (in a thread) copies each input record to
its output topic in order and, like a service that rewinds past a committed batch, writes the
fifth record's output a second time a moment after the first five."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator

import pytest

from streams.kafka_admin import ensure_topics
from streams.kafka_connection import KafkaConnection
from tests.kafka_io import Drain, collect, produce

pytestmark = pytest.mark.integration
FIRST = 5


@pytest.fixture
def copier(kafka: KafkaConnection) -> Iterator[tuple[str, str]]:
    """(input, output) topics of a copying service that duplicates record FIRST-1 late."""
    prefix = f"c{uuid.uuid4().hex[:8]}"
    names = (f"{prefix}.in", f"{prefix}.out")
    asyncio.run(ensure_topics(kafka, names, partitions=1))
    stop = threading.Event()

    async def serve() -> None:
        consumer = kafka.consumer(names[0], group_id=None, auto_offset_reset="earliest",
                                  enable_auto_commit=False, isolation_level="read_committed")
        producer = kafka.producer(acks="all")
        await consumer.start()
        await producer.start()
        copied = 0
        try:
            while not stop.is_set():
                for messages in (await consumer.getmany(timeout_ms=100)).values():
                    for message in messages:
                        await producer.send_and_wait(names[1], message.value, key=message.key)
                        copied += 1
                        if copied == FIRST:  # the late duplicate
                            await asyncio.sleep(1.0)
                            await producer.send_and_wait(names[1], message.value,
                                                         key=message.key)
        finally:
            await producer.stop()
            await consumer.stop()

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    yield names
    stop.set()
    thread.join(30)


def test_a_duplicate_written_after_done_is_seen_with_a_drain(
        kafka_bootstrap: str, copier: tuple[str, str]) -> None:
    source, copies = copier
    produce(kafka_bootstrap, source, [(f"k{i}".encode(), f"v{i}".encode())
                                      for i in range(FIRST)])
    drain = Drain((source,), copies, lambda token: token.encode())
    seen = collect(kafka_bootstrap, [copies], done=lambda s: len(s[copies]) >= FIRST,
                   drain=drain)
    assert [r.key for r in seen[copies]].count(f"k{FIRST - 1}".encode()) == 2
    assert len(seen[copies]) == FIRST + 1, "the sentinel's copy is left out"

