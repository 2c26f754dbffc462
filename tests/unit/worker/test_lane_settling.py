"""When a lane's transaction fails, the records the loop polled meanwhile are consumed again, and
the failed transaction's partitions from their committed offsets: nothing polled before the
failure is decided on top of it.

CI once lost a record this way (tests/integration/test_worker_overlap.py): a lane held a
committed transaction and, behind it, one the broker refused. The loop's check for failures
looked only at each lane's first transaction (the committed one), so it saw none; seeing the
lane through then found the failure and rewound its partition to the committed offset, but the
loop went on with the records polled before it, from further on in that partition, and
committed their offsets: the refused transaction's records were never decided.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from aiokafka import ConsumerRecord, TopicPartition
from aiokafka.errors import MessageSizeTooLargeError

from streams.worker.backoff import Backoff
from streams.worker.lanes import Lanes
from streams.worker.positions import Parts, Written
from streams.worker.prefetch import Prefetch
from streams.worker.rewind import Rewind
from streams.worker.settling import LaneSettling

P0, P1 = TopicPartition("in", 0), TopicPartition("in", 1)


def polled(tp: TopicPartition, first: int, last: int) -> list[ConsumerRecord[bytes, bytes]]:
    return [ConsumerRecord(tp.topic, tp.partition, offset, 0, 0, b"k", b"v", None, 1, 1, ())
            for offset in range(first, last + 1)]


@dataclass
class Consumer:
    """Where each partition would be consumed from next, and the group's committed offsets."""

    committed_offsets: dict[TopicPartition, int]
    positions: dict[TopicPartition, int] = field(default_factory=dict)

    def assignment(self) -> set[TopicPartition]:
        return {P0, P1}

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self.positions[tp] = offset

    async def committed(self, tp: TopicPartition) -> int | None:
        return self.committed_offsets.get(tp)


@dataclass
class Batch:
    index: int
    parts: Parts

    def records(self) -> int:
        return sum(len(m) for m in self.parts.values())


class Nothing:
    """The collaborators whose calls these tests do not look at."""

    def __getattr__(self, _name: str) -> Any:
        def call(*_args: Any, **_kwargs: Any) -> None:
            return None
        return call


class Producers:
    async def close(self, _index: int) -> None:
        return None

    async def open(self, _index: int) -> None:
        return None


def settling(consumer: Consumer) -> LaneSettling:
    observer = Nothing()
    rewind = Rewind(Backoff(observer))  # type: ignore[arg-type]
    rewind.prefetch = Prefetch(consumer, 20, lambda: 0, lambda _tps: asyncio.sleep(0))  # type: ignore[arg-type]
    return LaneSettling(Nothing(), Nothing(), Nothing(), Producers(), observer,  # type: ignore[arg-type]
                        Written(), Nothing(), Backoff(observer), rewind)  # type: ignore[arg-type]


async def ended(failure: Exception | None) -> asyncio.Task[None]:
    async def write() -> None:
        if failure is not None:
            raise failure

    task = asyncio.get_running_loop().create_task(write())
    await asyncio.wait([task])
    return task


def test_a_failure_behind_a_committed_transaction_sends_the_poll_back() -> None:
    async def run() -> tuple[bool, dict[TopicPartition, int]]:
        consumer = Consumer(committed_offsets={P0: 10, P1: 23})
        lanes = settling(consumer)
        lanes.lanes.add(0, Batch(0, {P0: polled(P0, 0, 9)}), await ended(None))  # type: ignore[arg-type]
        lanes.lanes.add(0, Batch(0, {P0: polled(P0, 10, 29)}),  # type: ignore[arg-type]
                        await ended(MessageSizeTooLargeError()))
        meanwhile = [{P0: polled(P0, 30, 33)}, {P1: polled(P1, 23, 32)}]
        consumer.positions = {P0: 34, P1: 33}  # past what the poll returned
        went_on = await lanes.settle_done(consumer, asyncio.Event(), meanwhile)  # type: ignore[arg-type]
        return went_on, consumer.positions

    went_on, positions = asyncio.run(run())
    assert not went_on  # the loop decides nothing of this poll
    assert positions == {P0: 10, P1: 23}  # the failed partition from its committed offset


def test_two_failed_lanes_each_consume_again_from_their_committed_offsets() -> None:
    """The poll goes back once, before the first rewind: going back again for the second
    failure would move the first's partition past the records its transaction never wrote."""

    async def run() -> tuple[bool, dict[TopicPartition, int]]:
        consumer = Consumer(committed_offsets={P0: 10, P1: 5})
        lanes = settling(consumer)
        lanes.lanes.add(0, Batch(0, {P0: polled(P0, 10, 29)}),  # type: ignore[arg-type]
                        await ended(MessageSizeTooLargeError()))
        lanes.lanes.add(1, Batch(1, {P1: polled(P1, 5, 22)}),  # type: ignore[arg-type]
                        await ended(MessageSizeTooLargeError()))
        meanwhile = [{P0: polled(P0, 30, 33)}, {P1: polled(P1, 23, 32)}]
        consumer.positions = {P0: 34, P1: 33}
        went_on = await lanes.settle_done(consumer, asyncio.Event(), meanwhile)  # type: ignore[arg-type]
        return went_on, consumer.positions

    went_on, positions = asyncio.run(run())
    assert not went_on
    assert positions == {P0: 10, P1: 5}


def test_committed_transactions_leave_the_poll_to_the_loop() -> None:
    async def run() -> tuple[bool, dict[TopicPartition, int], int]:
        consumer = Consumer(committed_offsets={P0: 0})
        lanes = settling(consumer)
        lanes.lanes.add(0, Batch(0, {P0: polled(P0, 0, 9)}), await ended(None))  # type: ignore[arg-type]
        consumer.positions = {P0: 14}
        went_on = await lanes.settle_done(consumer, asyncio.Event(), [{P0: polled(P0, 10, 13)}])  # type: ignore[arg-type]
        return went_on, consumer.positions, len(lanes.lanes.busy())

    went_on, positions, busy = asyncio.run(run())
    assert went_on and positions == {P0: 14} and busy == 0
