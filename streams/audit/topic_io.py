"""Reading the audit topic: each partition's last record, or everything.

Both read as a `read_committed` consumer: the worker writes its audit records in transactions,
so records of an aborted transaction are on the topic but were never part of the chain, and
the offsets at the end of a partition are transaction markers, not records.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import TypeAlias

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from streams.audit.verify import Entry
from streams.kafka_admin import partition_counts
from streams.kafka_connection import KafkaConnection


def _consumer(kafka: KafkaConnection) -> AIOKafkaConsumer:
    return kafka.consumer(group_id=None, enable_auto_commit=False, auto_offset_reset="earliest",
                          isolation_level="read_committed")


Message: TypeAlias = ConsumerRecord[bytes, bytes]


async def last_records(kafka: KafkaConnection, topic: str, partitions: Iterable[int],
                       timeout_s: float = 30.0) -> dict[int, bytes | None]:
    """The value of each partition's last committed record (None when it has none)."""
    messages = await last_messages(kafka, topic, partitions, timeout_s)
    return {p: None if m is None else m.value for p, m in messages.items()}


async def last_messages(kafka: KafkaConnection, topic: str, partitions: Iterable[int],
                        timeout_s: float = 30.0,
                        accept: Callable[[Message], bool] = lambda _: True
                        ) -> dict[int, Message | None]:
    """Each partition's last committed record that `accept`s (None when it has none)."""
    consumer = _consumer(kafka)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in sorted(set(partitions))]
        consumer.assign(tps)
        ends = await consumer.end_offsets(tps)  # the last stable offsets (read_committed)
        deadline = asyncio.get_running_loop().time() + timeout_s
        return {tp.partition: await _last_before(consumer, tp, ends[tp], deadline, accept)
                for tp in tps}
    finally:
        await consumer.stop()


async def _last_before(consumer: AIOKafkaConsumer, tp: TopicPartition, end: int,
                       deadline: float, accept: Callable[[Message], bool]) -> Message | None:
    """The last committed record before `end` that `accept`s: read a window before it, and
    widen the window while it holds only transaction markers, aborted records and records
    not accepted."""
    loop = asyncio.get_running_loop()
    window = 16
    while end > 0:
        start = max(0, end - window)
        consumer.seek(tp, start)
        last: Message | None = None
        found = False
        while await consumer.position(tp) < end:
            if loop.time() > deadline:
                raise TimeoutError(f"reading the tail of {tp.topic}[{tp.partition}] timed out")
            batches = await consumer.getmany(tp, timeout_ms=500)
            for message in batches.get(tp, []):
                if message.offset < end and accept(message):
                    last, found = message, True
        if found or start == 0:
            return last
        end = start  # nothing accepted from `start` on: look before it
        window *= 8
    return None


async def read_all(kafka: KafkaConnection, topic: str, timeout_s: float = 60.0) -> list[Entry]:
    """Every record of every partition, up to the end offsets seen at the start."""
    return [Entry(m.partition, m.offset, m.value or b"")
            for m in await read_all_messages(kafka, topic, timeout_s)]


async def read_all_messages(kafka: KafkaConnection, topic: str, timeout_s: float = 60.0
                            ) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record of every partition with its key and headers (to check a signature), up to
    the end offsets seen at the start, in partition and offset order."""
    consumer = _consumer(kafka)
    await consumer.start()
    try:
        count = (await partition_counts(kafka, [topic]))[topic]
        tps = [TopicPartition(topic, p) for p in range(count)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        found: list[ConsumerRecord[bytes, bytes]] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while [tp for tp in tps if await consumer.position(tp) < ends[tp]]:
            if loop.time() > deadline:
                raise TimeoutError(f"reading {topic} took longer than {timeout_s:.0f}s")
            batches = await consumer.getmany(*tps, timeout_ms=500)
            for tp, messages in batches.items():
                found.extend(m for m in messages if m.offset < ends[tp])
        return sorted(found, key=lambda m: (m.partition, m.offset))
    finally:
        await consumer.stop()
