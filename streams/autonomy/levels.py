"""The worker's view of the autonomy levels: the compacted autonomy topic, read whole at start
and then followed (the first-seen pattern of streams/first_seen.py; no faust GlobalTable)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, TopicPartition

from sampling.autonomy import action_class
from streams.audit.topic_io import partition_counts

log = logging.getLogger(__name__)


class AutonomyLevels:
    """Current level per (agent, action class); None for a pair the scorer has not seen."""

    def __init__(self) -> None:
        self.levels: dict[tuple[str, str], int] = {}

    def level_of(self, agent_id: str, action: str) -> int | None:
        return self.levels.get((agent_id, action_class(action)))

    def learn(self, value: bytes | None) -> None:
        if not value:
            return
        try:
            record = json.loads(value)
            self.levels[(record["agent_id"], record["action_class"])] = int(record["level"])
        except (ValueError, KeyError, TypeError):
            log.warning("skipped an autonomy record that does not parse")


class CompactedFollower:
    """Reads a compacted topic into `learn`: all of it at start, then what is new."""

    def __init__(self, bootstrap: str, topic: str, learn: Callable[[bytes | None], None]) -> None:
        self.bootstrap, self.topic, self.learn = bootstrap, topic, learn
        self._consumer: AIOKafkaConsumer | None = None
        self.loaded = asyncio.Event()  # set once the whole topic has been read

    async def start(self) -> None:
        count = (await partition_counts(self.bootstrap, [self.topic]))[self.topic]
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, group_id=None,
                                    enable_auto_commit=False, auto_offset_reset="earliest")
        await consumer.start()
        tps = [TopicPartition(self.topic, p) for p in range(count)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        self._consumer = consumer
        ends = await consumer.end_offsets(tps)
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
