"""Follow a compacted state topic: read it whole at start, then take in what is new.

Workers keep small shared state this way (first-seen agent actions, autonomy levels): every
worker reads every partition, so restarts, rebalances and other workers never lose a value.
(faust's GlobalTable does the same but its recovery hung in our tests.)

Each record's signature is checked first (streams.signing): a record that fails is never
learnt. Those read after the initial load are kept in `refused` for the owner to send to the
dead-letter topic; those found while loading are only counted in a warning (every worker
reads the whole topic at every start: dead-lettering them each time would flood the topic).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from streams.kafka_admin import partition_counts
from streams.kafka_connection import KafkaConnection
from streams.signing import BadSignature, RecordKind, RecordVerifier

log = logging.getLogger(__name__)


class CompactedFollower:
    """Reads a compacted topic into `learn`: all of it at start, then what is new."""

    def __init__(self, kafka: KafkaConnection, topic: str, learn: Callable[[bytes | None], None],
                 verifier: RecordVerifier | None = None, kind: RecordKind | None = None,
                 tail: int | None = None,
                 weight: Callable[[bytes | None], int] | None = None) -> None:
        """`tail`: at start read only the end of each partition, back from its last record
        until its signed records hold `tail` entries (state that is bounded in memory anyway,
        such as recent job ids), each record counting `weight(value)` entries (one without
        `weight`); None reads it all."""
        self.kafka, self.topic, self.learn = kafka, topic, learn
        self.verifier, self.kind = verifier, kind
        self.tail, self.weight = tail, weight
        self._consumer: AIOKafkaConsumer | None = None
        self.loaded = asyncio.Event()  # set once the whole topic has been read
        self.refused: list[tuple[ConsumerRecord[bytes, bytes], BadSignature]] = []
        self.refused_count = 0

    async def start(self) -> None:
        count = (await partition_counts(self.kafka, [self.topic]))[self.topic]
        # read_committed: the worker writes first-seen sightings in its transactions, and a
        # sighting of an aborted batch must not count (its record is decided again).
        consumer = self.kafka.consumer(group_id=None, enable_auto_commit=False,
                                       auto_offset_reset="earliest",
                                       isolation_level="read_committed")
        await consumer.start()
        tps = [TopicPartition(self.topic, p) for p in range(count)]
        self._consumer = consumer
        if self.tail is not None:
            await self._read_tails(consumer, tps, self.tail)
        else:
            consumer.assign(tps)
            await consumer.seek_to_beginning(*tps)
            ends = await consumer.end_offsets(tps)
            while [tp for tp in tps if await consumer.position(tp) < ends[tp]]:
                await self.follow()
        if self.refused_count:
            log.warning("%s: %d record(s) with a bad signature ignored", self.topic,
                        self.refused_count)
        self.refused.clear()
        self.loaded.set()

    async def _read_tails(self, consumer: AIOKafkaConsumer, tps: list[TopicPartition],
                          tail: int) -> None:
        """Learn the end of each partition: read back from its end, a chunk of records at a
        time (each twice the one after it), until the signed records read hold `tail` entries
        or the partition's start is reached; learn them oldest first; then follow from the
        ends."""
        consumer.assign(tps)
        starts = await consumer.beginning_offsets(tps)
        ends = await consumer.end_offsets(tps)
        for tp in tps:
            consumer.assign([tp])
            kept: list[bytes | None] = []  # newest first
            held, hi, step = 0, ends[tp], 64
            while held < tail and hi > starts[tp]:
                lo = max(starts[tp], hi - step)
                chunk = await self._read_range(consumer, tp, lo, hi)
                for value in reversed(chunk):
                    if held >= tail:
                        break
                    kept.append(value)
                    held += 1 if self.weight is None else self.weight(value)
                hi, step = lo, step * 2
            for value in reversed(kept):
                self.learn(value)
        consumer.assign(tps)
        for tp in tps:
            consumer.seek(tp, ends[tp])

    async def _read_range(self, consumer: AIOKafkaConsumer, tp: TopicPartition, lo: int,
                          hi: int) -> list[bytes | None]:
        """The values of the records of `tp` from offset `lo` up to `hi` whose signature
        checks out (the others are counted as refused), in order."""
        consumer.seek(tp, lo)
        values: list[bytes | None] = []
        while await consumer.position(tp) < hi:
            for messages in (await consumer.getmany(tp, timeout_ms=200,
                                                     max_records=5000)).values():
                for message in messages:
                    if message.offset >= hi:
                        break
                    if self._check(message) is None:
                        values.append(message.value)
                    else:
                        self.refused_count += 1
        return values

    async def follow(self, guard: asyncio.Lock | None = None) -> None:
        """Take in what is new. With `guard`, what was read is learnt while holding it (the
        worker's batch lock: a batch deciding in another thread never sees the state change)."""
        if self._consumer is None:
            return
        batches = await self._consumer.getmany(timeout_ms=200, max_records=5000)
        if not batches:
            return
        if guard is None:
            self._take_in(batches)
            return
        async with guard:
            self._take_in(batches)

    def _take_in(self, batches: dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]) -> None:
        for messages in batches.values():
            for message in messages:
                problem = self._check(message)
                if problem is None:
                    self.learn(message.value)
                    continue
                self.refused_count += 1
                if self.loaded.is_set():
                    log.warning("%s[%d]@%d ignored: %s", message.topic, message.partition,
                                message.offset, problem.reason)
                    self.refused.append((message, problem))

    def _check(self, message: ConsumerRecord[bytes, bytes]) -> BadSignature | None:
        if self.verifier is None or self.kind is None or message.value is None:
            return None  # a tombstone deletes; learn() ignores it
        return self.verifier.check(self.kind, message.key, message.value, message.headers)

    def drain_refused(self) -> list[tuple[ConsumerRecord[bytes, bytes], BadSignature]]:
        refused, self.refused = self.refused, []
        return refused

    async def stop(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None
