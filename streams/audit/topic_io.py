"""Reading the audit topic: each partition's last record, or everything."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, TopicPartition

from streams.audit.verify import Entry
from streams.kafka_admin import partition_counts
from streams.kafka_connection import KafkaConnection


def _consumer(kafka: KafkaConnection) -> AIOKafkaConsumer:
    return kafka.consumer(group_id=None, enable_auto_commit=False, auto_offset_reset="earliest")


async def last_records(kafka: KafkaConnection, topic: str, partitions: Iterable[int],
                       timeout_s: float = 30.0) -> dict[int, bytes | None]:
    """The value of each partition's last record (None for an empty partition)."""
    consumer = _consumer(kafka)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in sorted(set(partitions))]
        consumer.assign(tps)
        ends = await consumer.end_offsets(tps)
        found: dict[int, bytes | None] = {}
        for tp in tps:
            if ends[tp] == 0:
                found[tp.partition] = None
                continue
            consumer.seek(tp, ends[tp] - 1)
            message = await asyncio.wait_for(consumer.getone(tp), timeout_s)
            found[tp.partition] = message.value
        return found
    finally:
        await consumer.stop()


async def read_all(kafka: KafkaConnection, topic: str, timeout_s: float = 60.0) -> list[Entry]:
    """Every record of every partition, up to the end offsets seen at the start."""
    consumer = _consumer(kafka)
    await consumer.start()
    try:
        count = (await partition_counts(kafka, [topic]))[topic]
        tps = [TopicPartition(topic, p) for p in range(count)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        entries: list[Entry] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while [tp for tp in tps if await consumer.position(tp) < ends[tp]]:
            if loop.time() > deadline:
                raise TimeoutError(f"reading {topic} took longer than {timeout_s:.0f}s")
            batches = await consumer.getmany(*tps, timeout_ms=500)
            for tp, messages in batches.items():
                entries.extend(Entry(tp.partition, m.offset, m.value or b"")
                               for m in messages if m.offset < ends[tp])
        return sorted(entries, key=lambda e: (e.partition or 0, e.position))
    finally:
        await consumer.stop()
