"""`afterguard audit sink`: the audit topic into a warehouse table.

At-least-once and idempotent: rows are inserted by event_id (a replayed or re-emitted record
adds nothing), and a batch's offsets are committed only after the warehouse has made its rows
durable. A crash between the two replays that batch, which inserts nothing new.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from streams.audit.warehouse import Warehouse, row

log = logging.getLogger(__name__)


@dataclass
class SinkStats:
    read: int = 0
    inserted: int = 0
    skipped: int = 0  # not audit records (reported by `audit verify` too)


class AuditSink:
    def __init__(self, consumer: AIOKafkaConsumer, warehouse: Warehouse,
                 on_batch: Callable[[], None] | None = None) -> None:
        self.consumer, self.warehouse = consumer, warehouse
        self.on_batch = on_batch  # called after each durable batch (e.g. a Parquet snapshot)
        self.stats = SinkStats()

    async def run(self, replay: bool = False, stop_at_end: bool = False,
                  max_seconds: float | None = None) -> SinkStats:
        ends = await self._assigned(replay) if (replay or stop_at_end) else None
        deadline = None if max_seconds is None else time.monotonic() + max_seconds
        while deadline is None or time.monotonic() < deadline:
            batches = await self.consumer.getmany(timeout_ms=500, max_records=2000)
            if batches:
                await self._load(batches)
            elif stop_at_end and ends is not None and await self._caught_up(ends):
                break
        return self.stats

    async def _load(self, batches: dict[TopicPartition, list[Any]]) -> None:
        records = []
        for tp, messages in batches.items():
            for message in messages:
                self.stats.read += 1
                record = _audit_record(message.value)
                if record is None:
                    self.stats.skipped += 1
                    log.warning("skipping a record that is not an audit record at %s[%d]@%d",
                                tp.topic, tp.partition, message.offset)
                else:
                    records.append(record)
        # the warehouse call blocks; run it off the event loop so heartbeats keep going
        self.stats.inserted += await asyncio.to_thread(self.warehouse.write, records)
        await self.consumer.commit({tp: messages[-1].offset + 1
                                    for tp, messages in batches.items() if messages})
        if self.on_batch is not None:
            self.on_batch()

    async def _assigned(self, replay: bool) -> dict[TopicPartition, int]:
        """Wait for the group's assignment; rewind it for a replay; its end offsets now."""
        while not self.consumer.assignment():  # the group join runs in the background
            await asyncio.sleep(0.1)
        assignment = list(self.consumer.assignment())
        if replay:
            await self.consumer.seek_to_beginning(*assignment)
        return dict(await self.consumer.end_offsets(assignment))

    async def _caught_up(self, ends: dict[TopicPartition, int]) -> bool:
        for tp, end in ends.items():
            if await self.consumer.position(tp) < end:
                return False
        return True


def _audit_record(value: bytes | None) -> dict[str, Any] | None:
    try:
        record = json.loads(value or b"")
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    try:
        row(record)
    except (KeyError, TypeError, ValueError):
        return None
    return record
