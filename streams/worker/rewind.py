"""The decide loop's way back to input records: to records it did nothing with (`seek_back`),
and to the group's committed offsets after a failed transaction or an assignment
(`to_committed`, however long the broker takes to answer). The seeks themselves, which drop the
records taken ahead of them: streams.worker.prefetch."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from streams.worker.backoff import Backoff
from streams.worker.prefetch import Prefetch

log = logging.getLogger(__name__)

Parts = dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]


class Rewind:
    def __init__(self, backoff: Backoff) -> None:
        self.backoff = backoff
        self.prefetch: Prefetch | None = None  # the consumer's records, taken as fetched

    def seek_back(self, parts: Parts) -> None:
        """Consume these records again (nothing was done with them)."""
        assert self.prefetch is not None
        self.prefetch.seek_back(parts)

    async def to_committed(self, consumer: AIOKafkaConsumer, tps: Iterable[TopicPartition],
                           stop: asyncio.Event) -> None:
        """Back to the committed offsets, however long the broker takes to answer: consuming
        on from where the poll left off would skip records."""
        tps = list(tps)
        assert self.prefetch is not None and self.prefetch.consumer is consumer
        while not stop.is_set():
            try:
                await self.prefetch.rewind_to_committed(tps)
                return
            except Exception as exc:  # noqa: BLE001 - the broker may be away for a while
                log.warning("cannot read the committed offsets (%s: %s)", type(exc).__name__, exc)
                self.backoff.failed()
                await asyncio.sleep(self.backoff.delay_s())
