"""The worker's transactions by lane: per lane, the one being written and the one decided on top
of it, which begins once the first has committed (streams.worker.decide_loop).

A lane is the audit partition a partition index seals into: its batches chain onto each other's
audit records, so their transactions commit one after the other, while lanes are independent.
A lane holds at most `DEPTH` batches not yet committed; records of a further batch wait (their
partitions paused) until the first has ended, and the loop sees it through before
it decides another batch of the lane, so a failed transaction is undone with at most the one
batch decided on top of it (streams.worker.decided.BatchState.undo).
"""

from __future__ import annotations

import asyncio

from aiokafka import TopicPartition

from streams.worker.decided import DecidedBatch

DEPTH = 2  # the transaction being written, and the batch decided meanwhile
Written = tuple[DecidedBatch, "asyncio.Task[None]"]


class NotBegun(Exception):
    """A lane's transaction that never began: the one before it in the lane failed."""


class Lanes:
    def __init__(self) -> None:
        self._lanes: dict[int, list[Written]] = {}

    def __bool__(self) -> bool:
        return bool(self._lanes)

    def busy(self) -> list[int]:
        return sorted(self._lanes)

    def full(self, lane: int) -> bool:
        """Another batch of this lane must wait for its first transaction."""
        return len(self._lanes.get(lane, ())) >= DEPTH

    def last(self, lane: int) -> asyncio.Task[None] | None:
        """The lane's last transaction, which the next one waits for."""
        written = self._lanes.get(lane)
        return written[-1][1] if written else None

    def add(self, lane: int, batch: DecidedBatch, task: asyncio.Task[None]) -> None:
        self._lanes.setdefault(lane, []).append((batch, task))

    def first(self, lane: int) -> Written | None:
        written = self._lanes.get(lane)
        return written[0] if written else None

    def first_ended(self, lane: int) -> bool:
        first = self.first(lane)
        return first is not None and first[1].done()

    def pop_first(self, lane: int) -> Written:
        written = self._lanes[lane]
        first = written.pop(0)
        if not written:
            del self._lanes[lane]
        return first

    def pop_all(self, lane: int) -> list[Written]:
        return self._lanes.pop(lane, [])

    def offsets(self) -> dict[TopicPartition, int]:
        """The input offsets the lanes' transactions commit (the furthest by partition)."""
        offsets: dict[TopicPartition, int] = {}
        for written in self._lanes.values():
            for batch, _task in written:
                for tp, offset in batch.offsets().items():
                    offsets[tp] = max(offset, offsets.get(tp, 0))
        return offsets
