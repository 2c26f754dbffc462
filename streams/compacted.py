"""Follow a compacted state topic: read it whole at start, then take in what is new.

Workers keep small shared state this way (first-seen agent actions, autonomy levels): every
worker reads every partition, so restarts, rebalances and other workers never lose a value.
(faust's GlobalTable does the same but its recovery hung in our tests.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, TopicPartition

from streams.kafka_admin import partition_counts
from streams.kafka_connection import KafkaConnection


class CompactedFollower:
    """Reads a compacted topic into `learn`: all of it at start, then what is new."""

    def __init__(self, kafka: KafkaConnection, topic: str, learn: Callable[[bytes | None], None],
                 tail: int | None = None) -> None:
        """`tail`: read only the last `tail` records of each partition at start (state that
        is bounded in memory anyway, such as recent job ids); None reads it all."""
        self.kafka, self.topic, self.learn = kafka, topic, learn
        self.tail = tail
        self._consumer: AIOKafkaConsumer | None = None
        self.loaded = asyncio.Event()  # set once the whole topic has been read

    async def start(self) -> None:
        count = (await partition_counts(self.kafka, [self.topic]))[self.topic]
        # read_committed: the worker writes first-seen sightings in its transactions, and a
        # sighting of an aborted batch must not count (its record is decided again).
        consumer = self.kafka.consumer(group_id=None, enable_auto_commit=False,
                                       auto_offset_reset="earliest",
                                       isolation_level="read_committed")
        await consumer.start()
        tps = [TopicPartition(self.topic, p) for p in range(count)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        self._consumer = consumer
        ends = await consumer.end_offsets(tps)
        if self.tail is not None:
            starts = await consumer.beginning_offsets(tps)
            for tp in tps:
                consumer.seek(tp, max(starts[tp], ends[tp] - self.tail))
        while [tp for tp in tps if await consumer.position(tp) < ends[tp]]:
            await self.follow()
        self.loaded.set()

    async def follow(self) -> None:
        if self._consumer is None:
            return
        batches = await self._consumer.getmany(timeout_ms=200, max_records=5000)
        for messages in batches.values():
            for message in messages:
                self.learn(message.value)

    async def stop(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None
