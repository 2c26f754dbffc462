"""The decide loop's input buffer (streams.worker.prefetch) against a real broker: records are
fetched while the loop is busy (aiokafka alone fetches a partition again only once its records
were taken), the buffer stays bounded, and every seek, rewind, assignment or poll across an
assignment leaves no record skipped and none handed over twice."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from streams.kafka_admin import ensure_topics
from streams.kafka_connection import KafkaConnection
from streams.worker.prefetch import Parts, Prefetch

pytestmark = pytest.mark.integration

WAIT_S = 30.0


async def _nothing(_tps: set[TopicPartition]) -> None:
    return None


@asynccontextmanager
async def reading(kafka: KafkaConnection, limit: int = 100,
                  generation: Callable[[], int] = lambda: 0,
                  stale: Callable[[set[TopicPartition]], Awaitable[None]] = _nothing,
                  ) -> AsyncIterator[tuple[str, AIOKafkaProducer, AIOKafkaConsumer, Prefetch]]:
    """A fresh 2-partition topic, a producer, a consumer assigned both partitions (group
    offsets, no rebalances) and its Prefetch, started."""
    topic = f"prefetch-{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka, [topic], partitions=2)
    producer = kafka.producer(acks="all")
    consumer = kafka.consumer(group_id=f"g-{topic}", enable_auto_commit=False,
                              auto_offset_reset="earliest")
    await producer.start()
    await consumer.start()
    consumer.assign([TopicPartition(topic, 0), TopicPartition(topic, 1)])
    prefetch = Prefetch(consumer, limit, generation, stale)
    prefetch.start()
    try:
        yield topic, producer, consumer, prefetch
    finally:
        await prefetch.stop()
        await consumer.stop()
        await producer.stop()


async def send(producer: AIOKafkaProducer, topic: str, partition: int, *values: str) -> None:
    for value in values:
        await producer.send_and_wait(topic, value.encode(), partition=partition)


async def buffered(prefetch: Prefetch, count: int) -> None:
    async with asyncio.timeout(WAIT_S):
        while prefetch.buffered() < count:
            await asyncio.sleep(0.05)


def offsets(parts: Parts) -> dict[int, list[int]]:
    return {tp.partition: [m.offset for m in messages] for tp, messages in parts.items()}


async def poll_until(prefetch: Prefetch, expected: dict[int, list[int]]) -> dict[int, list[int]]:
    """Everything polled until each partition has at least as many records as `expected`."""
    got: dict[int, list[int]] = {p: [] for p in expected}
    async with asyncio.timeout(WAIT_S):
        while any(len(got[p]) < len(want) for p, want in expected.items()):
            for partition, offs in offsets(await prefetch.poll(0.2)).items():
                got.setdefault(partition, []).extend(offs)
    return got


def test_records_are_fetched_while_the_loop_has_not_taken_the_earlier_ones(
        kafka: KafkaConnection) -> None:
    async def run() -> None:
        async with reading(kafka) as (topic, producer, _consumer, prefetch):
            await send(producer, topic, 0, "first")
            await buffered(prefetch, 1)
            # the loop is busy (no poll): the next records of the same partition, and of the
            # other one, are fetched all the same
            await send(producer, topic, 0, "second")
            await send(producer, topic, 1, "third")
            await buffered(prefetch, 3)
            taken = await prefetch.poll(0)
            assert {tp.partition: [m.value for m in ms] for tp, ms in taken.items()} == {
                0: [b"first", b"second"], 1: [b"third"]}
            assert prefetch.buffered() == 0

    asyncio.run(run())


def test_the_buffer_holds_at_most_its_limit_and_loses_nothing(kafka: KafkaConnection) -> None:
    async def run() -> None:
        async with reading(kafka, limit=4) as (topic, producer, _consumer, prefetch):
            await send(producer, topic, 0, *[f"r{n}" for n in range(10)])
            await buffered(prefetch, 4)
            await asyncio.sleep(0.5)  # it would have fetched the rest by now
            assert prefetch.buffered() == 4
            got: list[int] = []
            async with asyncio.timeout(WAIT_S):
                while len(got) < 10:
                    taken = await prefetch.poll(0.2)
                    assert sum(len(ms) for ms in taken.values()) <= 4
                    got += offsets(taken).get(0, [])
            assert got == list(range(10))

    asyncio.run(run())


def test_a_seek_back_drops_the_buffered_records_of_its_partition_only(
        kafka: KafkaConnection) -> None:
    async def run() -> None:
        async with reading(kafka) as (topic, producer, _consumer, prefetch):
            await send(producer, topic, 0, "a0", "a1", "a2")
            await send(producer, topic, 1, "b0", "b1", "b2")
            taken: Parts = {}
            async with asyncio.timeout(WAIT_S):
                while sum(len(ms) for ms in taken.values()) < 6:
                    for tp, ms in (await prefetch.poll(0.2)).items():
                        taken.setdefault(tp, []).extend(ms)
            await send(producer, topic, 0, "a3", "a4")
            await send(producer, topic, 1, "b3", "b4")
            await buffered(prefetch, 4)  # fetched after the loop took the first six
            # the loop did nothing with partition 0's records: consume them again
            prefetch.seek_back({tp: ms for tp, ms in taken.items() if tp.partition == 0})
            assert await poll_until(prefetch, {0: [0, 1, 2, 3, 4], 1: [3, 4]}) == {
                0: [0, 1, 2, 3, 4], 1: [3, 4]}

    asyncio.run(run())


def test_a_rewind_goes_back_to_the_committed_offsets_whatever_was_buffered(
        kafka: KafkaConnection) -> None:
    async def run() -> None:
        async with reading(kafka) as (topic, producer, consumer, prefetch):
            await send(producer, topic, 0, "a0", "a1", "a2")
            await send(producer, topic, 1, "b0")
            await buffered(prefetch, 4)
            p0, p1 = TopicPartition(topic, 0), TopicPartition(topic, 1)
            await consumer.commit({p0: 1})  # partition 1: nothing committed
            await prefetch.rewind_to_committed([p0, p1])
            # from the committed offset (or the start), each record once
            assert await poll_until(prefetch, {0: [1, 2], 1: [0]}) == {0: [1, 2], 1: [0]}

    asyncio.run(run())


def test_records_polled_across_an_assignment_are_not_handed_to_the_loop(
        kafka: KafkaConnection) -> None:
    stale: list[set[TopicPartition]] = []

    async def note(tps: set[TopicPartition]) -> None:
        stale.append(tps)

    counter = itertools.count()  # a new generation at every look: every poll spans one

    async def run() -> None:
        async with reading(kafka, generation=lambda: next(counter),
                           stale=note) as (topic, producer, _consumer, prefetch):
            await send(producer, topic, 1, "b0")
            async with asyncio.timeout(WAIT_S):
                while not stale:
                    await asyncio.sleep(0.05)
            assert stale[0] == {TopicPartition(topic, 1)}
            assert prefetch.buffered() == 0
            assert await prefetch.poll(0) == {}

    asyncio.run(run())


def test_an_assignment_drops_everything_buffered(kafka: KafkaConnection) -> None:
    async def run() -> None:
        async with reading(kafka) as (topic, producer, _consumer, prefetch):
            await send(producer, topic, 0, "a0")
            await buffered(prefetch, 1)
            prefetch.forget_all()
            assert prefetch.buffered() == 0
            assert await prefetch.poll(0) == {}

    asyncio.run(run())


def test_a_poll_raises_what_the_consumer_raised(kafka: KafkaConnection) -> None:
    async def run() -> None:
        async with reading(kafka) as (_topic, _producer, consumer, prefetch):
            await consumer.stop()  # its next poll raises ConsumerStoppedError
            with pytest.raises(Exception):  # noqa: B017 - whatever the consumer raised
                async with asyncio.timeout(WAIT_S):
                    while True:
                        await prefetch.poll(0.2)

    asyncio.run(run())
