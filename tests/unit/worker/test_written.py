"""What the worker has written decides what it decides again and which offsets a transaction
may commit. The consumer can be handed back records this worker already committed or has in
flight (after an assignment, a broker restart under load); a transaction of those would move
the partition's committed offset back, and deciding them again would write their outputs twice.
"""

from __future__ import annotations

from aiokafka import ConsumerRecord, TopicPartition

from streams.worker.codec import RawRecord
from streams.worker.positions import Parts, Written

A, B = TopicPartition("in", 0), TopicPartition("in.other", 0)


def polled(tp: TopicPartition, first: int, last: int) -> list[ConsumerRecord[bytes, bytes]]:
    return [ConsumerRecord(tp.topic, tp.partition, offset, 0, 0, b"k", b"v", None, 1, 1, ())
            for offset in range(first, last + 1)]


def raws(tp: TopicPartition, first: int, last: int) -> list[RawRecord]:
    return [RawRecord(tp.topic, tp.partition, offset, b"k", b"v")
            for offset in range(first, last + 1)]


def offsets(parts: Parts) -> dict[TopicPartition, int]:
    """What the transaction of these parts commits (DecidedBatch.offsets)."""
    return {tp: messages[-1].offset + 1 for tp, messages in parts.items()}


def test_a_partition_handed_back_whole_is_left_out_of_the_next_transaction() -> None:
    """4ac50aa: a partition whose polled records are all committed (A) or in flight (B) would
    commit an offset before the one already committed or being committed."""
    written = Written()
    written.commit({A: 10})
    in_flight = {B: 15}
    parts = {A: polled(A, 5, 9), B: polled(B, 10, 14)}
    assert written.beyond(parts, in_flight) == {}
    # a partition with at least one record beyond both is kept, and its offset moves forward
    later = {A: polled(A, 8, 12), B: polled(B, 12, 16)}
    kept = written.beyond(later, in_flight)
    assert kept == later
    for tp, offset in offsets(kept).items():
        assert offset > max(written.committed.get(tp, 0), in_flight.get(tp, 0))


def test_records_already_decided_are_not_decided_again() -> None:
    written = Written()
    written.commit({A: 10})
    written.commit({A: 7})  # an older commit never moves the mark back
    kept = written.not_decided(raws(A, 5, 12) + raws(B, 0, 4), {B: 3}, {("in", 0): 11})
    assert [(r.topic, r.offset) for r in kept] == [("in", 11), ("in", 12), ("in.other", 3),
                                                   ("in.other", 4)]
