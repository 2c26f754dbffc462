"""What the worker's consumer must not decide again (the records it already wrote), and the
rebalance callbacks that hand assignments to the loop. The seeks back to records it did nothing
with, and to the group's committed offsets: streams.worker.prefetch."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Protocol

from aiokafka import ConsumerRecord, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener

from streams.worker.codec import RawRecord

log = logging.getLogger(__name__)

Parts = dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]
Offsets = Mapping[TopicPartition, int]  # the offset after the last record written, by partition


class Written:
    """The records this worker has written, by input partition: the offset after the last
    record of each that it committed. A record before it (or before the transaction in flight's
    offsets) is decided, whatever position the consumer is handed back: after a broker restart
    under load, and right after an assignment (aiokafka applies the seek to the committed offset
    after it has already returned records from the reset position)."""

    def __init__(self) -> None:
        self.committed: dict[TopicPartition, int] = {}

    def commit(self, offsets: Offsets) -> None:
        """A transaction that wrote up to `offsets` committed."""
        for tp, offset in offsets.items():
            self.committed[tp] = max(self.committed.get(tp, 0), offset)

    def beyond(self, parts: Parts, in_flight: Offsets) -> Parts:
        """`parts` without a partition whose records are all committed or in flight: its
        transaction would add nothing and move the partition's committed offset back."""
        kept: Parts = {}
        for tp, messages in parts.items():
            if messages[-1].offset + 1 > max(self.committed.get(tp, 0), in_flight.get(tp, 0)):
                kept[tp] = messages
            else:
                log.warning("skipped %d records of %s[%d] already decided in a committed "
                            "transaction or the one in flight", len(messages), tp.topic,
                            tp.partition)
        return kept

    def not_decided(self, batch: list[RawRecord], in_flight: Offsets,
                    decided_before: Mapping[tuple[str, int], int]) -> list[RawRecord]:
        """`batch` without the records a committed transaction already decided: ours
        (remembered) or anyone's (`decided_before`: the last committed audit record names its
        input), and those of the transaction in flight (if it fails, the batch is undone with it
        and both are consumed again)."""
        floors: dict[tuple[str, int], int] = {}  # by partition, worked out once
        kept = []
        for raw in batch:
            part = (raw.topic, raw.partition)
            floor = floors.get(part)
            if floor is None:
                tp = TopicPartition(*part)
                floor = floors[part] = max(self.committed.get(tp, 0), in_flight.get(tp, 0),
                                           decided_before.get(part, 0))
            if raw.offset >= floor:
                kept.append(raw)
        if len(kept) < len(batch):
            log.warning("skipped %d records of %s[%d] already decided in a committed "
                        "transaction or the one in flight", len(batch) - len(kept),
                        batch[0].topic, batch[0].partition)
        return kept


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
