"""Room in a lane for another batch (streams.worker.lanes): a batch of the lane is decided on top
of its transaction in flight already, so the records of a third wait, their partitions paused,
until the first transaction ends. Only the full lane's own records wait: the loop goes on
deciding the other lanes' meanwhile (a stuck lane holds back its own records only)."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from streams.worker.lanes import Lanes
from streams.worker.rewind import Rewind

Parts = dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]


def must_wait(lanes: Lanes, lane: int) -> bool:
    """Records of this lane must wait: it is full and its first transaction has not ended."""
    return lanes.full(lane) and not lanes.first_ended(lane)


def wait_for_room(consumer: AIOKafkaConsumer, lanes: Lanes, lane: int, parts: Parts,
                  rewind: Rewind) -> None:
    """Consume these records again once the lane's first transaction has ended: their
    partitions are paused until then."""
    first = lanes.first(lane)
    assert first is not None
    rewind.seek_back(parts)
    paused = set(parts) & consumer.assignment()
    consumer.pause(*paused)

    def resume(_ended: asyncio.Task[None]) -> None:
        still = paused & consumer.assignment()  # an assignment since has resumed them
        if still:
            consumer.resume(*still)

    first[1].add_done_callback(resume)
