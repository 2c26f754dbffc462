"""The decide loop's input records, taken from the consumer as soon as they are fetched, and the
seeks that send it back to records it did nothing with.

aiokafka fetches a partition again only once the records fetched for it have been taken, and
fetches nothing from a broker while a partition it leads holds records not taken yet (for up to
its 100 ms prefetch backoff). The decide loop took them once per cycle (poll, decide, hand the
transaction over), so the fetch a poll started brought the records of the first milliseconds
of the cycle, and a record that reached the broker later in the cycle waited for the next poll
to be fetched at all, and then for the poll after it to be taken: one to two cycles (on an idle
machine, 70 of the 110 ms a result waited before its decision was appended, at 200 results/s).
`Prefetch` takes each fetch's records at once into a buffer of its own (up to `limit` records;
then it waits for the loop), so a fetch is always waiting at the broker and a record waits only
for the loop's next poll.

Taking records moves the consumer's position past them, as a poll did: a seek drops the
buffered records of its partition in the same step (`seek_back`, `rewind_to_committed`), and an
assignment or revocation drops them all (`forget_all`). Records a poll returned across an
assignment are handed to `stale` (the loop rewinds their partitions to the committed offsets),
never to the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

Parts = dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]
POLL_MS = 500  # one poll's wait for records; the buffer's task polls again at once


class Prefetch:
    def __init__(self, consumer: AIOKafkaConsumer, limit: int, generation: Callable[[], int],
                 stale: Callable[[set[TopicPartition]], Awaitable[None]]) -> None:
        """`generation()` changes with every assignment and revocation; records polled across a
        change are not buffered but handed to `stale`."""
        self.consumer, self.limit = consumer, limit
        self._generation, self._stale = generation, stale
        self._buffered: Parts = {}
        self._count = 0
        self._arrived = asyncio.Event()  # records are buffered (or the task failed)
        self._room = asyncio.Event()  # fewer than `limit` are
        self._room.set()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._take_fetched())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    def buffered(self) -> int:
        return self._count

    async def poll(self, timeout_s: float) -> Parts:
        """The buffered records (at most `limit`), waiting up to `timeout_s` for the first;
        raises what the consumer raised."""
        if not self._count:
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout_s):
                    await self._arrived.wait()
        if self._task is not None and self._task.done():
            self._task.result()  # the consumer failed: as a poll of it would have raised
        taken, self._buffered, self._count = self._buffered, {}, 0
        self._room.set()
        return taken

    def seek_back(self, parts: Parts) -> None:
        """Consume these records again (nothing was done with them)."""
        for tp, messages in parts.items():
            self._forget(tp)
            self.consumer.seek(tp, messages[0].offset)

    async def rewind_to_committed(self, tps: Iterable[TopicPartition]) -> None:
        """Consume again from the group's committed offsets (the start when there are none)."""
        for tp in tps:
            if tp not in self.consumer.assignment():
                continue
            offset = await self.consumer.committed(tp)
            self._forget(tp)  # in the step of the seek: what is taken after it is from there
            if offset is None:
                await self.consumer.seek_to_beginning(tp)
            else:
                self.consumer.seek(tp, offset)

    def forget_all(self) -> None:
        """An assignment or revocation: the partitions' positions are read again."""
        self._buffered, self._count = {}, 0
        self._room.set()

    def _forget(self, tp: TopicPartition) -> None:
        self._count -= len(self._buffered.pop(tp, []))
        if self._count < self.limit:
            self._room.set()

    async def _take_fetched(self) -> None:
        try:
            while True:
                if self._count >= self.limit:
                    self._room.clear()
                    await self._room.wait()
                    continue
                generation = self._generation()
                polled = await self.consumer.getmany(timeout_ms=POLL_MS,
                                                     max_records=self.limit - self._count)
                if not polled:
                    continue
                if generation != self._generation():  # polled across an assignment
                    await self._stale(set(polled))
                    continue
                for tp, messages in polled.items():
                    self._buffered.setdefault(tp, []).extend(messages)
                    self._count += len(messages)
                self._arrived.set()
        finally:
            self._arrived.set()  # a poll waiting for records learns that none will come
