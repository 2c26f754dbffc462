"""Consumer lag per partition: the partition's last stable offset (its high watermark when the
broker gives none) minus the committed offset, updated on the event loop every second."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from typing import Any

from aiokafka import TopicPartition
from prometheus_client import CollectorRegistry, Gauge

from streams.metrics.labels import LabelCap


class ConsumerLag:
    def __init__(self, registry: CollectorRegistry, topics: LabelCap) -> None:
        self.gauge = Gauge("afterguard_consumer_lag", "Input records not yet processed (the "
                           "partition's last stable offset minus the committed offset)",
                           ["topic", "partition"], registry=registry)
        self._topic = topics
        self.consumer: Any = None
        self._done: dict[TopicPartition, int] = {}  # committed offsets known to this service

    def committed(self, offsets: Mapping[TopicPartition, int]) -> None:
        self._done.update(offsets)

    def reassigned(self) -> None:
        """Another member may have committed meanwhile: read the committed offsets again."""
        self._done.clear()
        self.gauge.clear()

    async def update(self) -> None:
        consumer = self.consumer
        if consumer is None:
            return
        with contextlib.suppress(Exception):  # a rebalance under way: the next tick retries
            for tp in consumer.assignment():
                end = consumer.last_stable_offset(tp)
                if end is None or end < 0:
                    end = consumer.highwater(tp)
                done = self._done.get(tp)
                if done is None:
                    done = await asyncio.wait_for(consumer.committed(tp), 2.0)
                    if done is None:  # never committed: consumed from the log's start
                        starts = await asyncio.wait_for(consumer.beginning_offsets([tp]), 2.0)
                        done = starts[tp]
                    self._done.setdefault(tp, done)
                if end is not None:
                    self.gauge.labels(self._topic(tp.topic), str(tp.partition)).set(
                        max(0, end - done))
