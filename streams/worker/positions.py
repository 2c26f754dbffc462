"""Where the worker's consumer reads next: back to the records it did nothing with, back to the
group's committed offsets, and the rebalance callbacks that hand assignments to the loop."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener

Parts = dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]


def seek_back(consumer: AIOKafkaConsumer, parts: Parts) -> None:
    """Consume these records again (nothing was done with them)."""
    for tp, messages in parts.items():
        consumer.seek(tp, messages[0].offset)


async def rewind_to_committed(consumer: AIOKafkaConsumer, tps: Iterable[TopicPartition]) -> None:
    """Consume again from the group's committed offsets (the start when there are none)."""
    for tp in tps:
        if tp not in consumer.assignment():
            continue
        offset = await consumer.committed(tp)
        if offset is None:
            await consumer.seek_to_beginning(tp)
        else:
            consumer.seek(tp, offset)


class Assignments(Protocol):
    async def revoked(self) -> None: ...

    async def assigned(self, assigned: set[TopicPartition]) -> None: ...


class RebalanceListener(ConsumerRebalanceListener):  # type: ignore[misc]  # aiokafka is untyped
    def __init__(self, loop: Assignments) -> None:
        self.loop = loop

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        await self.loop.revoked()

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        await self.loop.assigned(assigned)
