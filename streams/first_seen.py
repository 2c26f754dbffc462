"""First-time agent actions: which (agent id, action) pairs were already performed.

The state is a compacted topic (`<app id>-first-seen`) that every worker reads whole at start
and then follows, so a restart, a rebalance or another worker never forgets a pair. A pair seen
by two workers at the same moment is reviewed twice: the error is always towards more review.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, TopicPartition

from streams.audit.topic_io import partition_counts

log = logging.getLogger(__name__)


def _key(agent_id: str, action: str) -> str:
    return f"{agent_id}\x1f{action}"


class FirstSeen:
    """The pure part: the set of pairs seen, and the new sightings still to be written."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.pending: list[tuple[bytes, bytes]] = []

    def mark(self, agent_id: str, action: str) -> bool:
        """True the first time this agent performs this action; the sighting is queued."""
        key = _key(agent_id, action)
        if key in self.seen:
            return False
        self.seen.add(key)
        value = {"agent_id": agent_id, "action": action,
                 "first_seen_at": datetime.now(UTC).isoformat()}
        self.pending.append((key.encode(), json.dumps(value).encode()))
        return True

    def learn(self, value: bytes | None) -> None:
        if not value:
            return
        record = json.loads(value)
        self.seen.add(_key(record["agent_id"], record["action"]))

    def drain(self) -> list[tuple[bytes, bytes]]:
        pending, self.pending = self.pending, []
        return pending


class FirstSeenFollower:
    """Reads the first-seen topic into a FirstSeen: all of it at start, then what is new."""

    def __init__(self, bootstrap: str, topic: str, state: FirstSeen) -> None:
        self.bootstrap, self.topic, self.state = bootstrap, topic, state
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
        log.info("first-seen: %d agent actions known", len(self.state.seen))

    async def follow(self) -> None:
        """Take in whatever other workers (or this one) wrote since the last call."""
        if self._consumer is None:
            return
        batches = await self._consumer.getmany(timeout_ms=200, max_records=5000)
        for messages in batches.values():
            for message in messages:
                self.state.learn(message.value)

    async def stop(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None
