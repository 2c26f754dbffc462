"""The worker's consume-decide-produce loop, exactly once for `read_committed` consumers.

Records are consumed by partition index N (partition N of every input topic; the range assignor
gives all of them to one worker). Each poll's records of index N are decided, and their
decisions, audit records, review items, dead letters, first-seen sightings and the input
offsets go out in ONE transaction of index N's producer (streams.worker.transactions). A
failure anywhere on the Kafka side aborts it: the in-memory state is rolled back, the audit
chain's head is re-read from the topic, the producer is started again (fencing the open
transaction) and the records are consumed again from the committed offsets. No offset moves
past a record whose outputs were not all written; nothing is written twice.

The pure pipeline runs in a one-thread executor, never on the event loop: a poll of records that
each take about the scan budget keeps the loop (the consumer's heartbeats, the state followers)
running, so the worker stays in its group. Everything a batch reads or changes (the pipeline and
its policy, first-seen marks, job ids, autonomy levels, reviewer budgets, the audit chain) is
changed only under `self.lock`, which a batch holds from its poll to its commit: the rebalance
callbacks, the followers (they apply what they read under it), a SIGHUP policy reload
(`between_batches`) and shutdown all wait for the batch in flight.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TypeVar

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.coordinator.assignors.range import RangePartitionAssignor
from aiokafka.errors import ProducerFenced

from streams.audit.chain import AuditChain
from streams.audit.keeper import ChainKeeper
from streams.config import Settings
from streams.metrics.loop_observer import LoopObserver
from streams.registry.resolver import RegistryUnavailable, SchemaResolver
from streams.signing import Headers, TopicSigner
from streams.worker.batch import BatchDecider
from streams.worker.codec import RawRecord, with_schemas
from streams.worker.first_seen import FirstSeen
from streams.worker.job_ids import JobIds
from streams.worker.pipeline import Emit
from streams.worker.transactions import PartitionProducers

log = logging.getLogger(__name__)

Parts = dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]
MAX_BACKOFF_S = 5.0
BEAT_EVERY_S = 1.0  # liveness beats while a batch is decided
DECIDE_MARGIN_S = 60.0  # beyond what a batch's scan budgets allow
T = TypeVar("T")


class DecideLoop:
    def __init__(self, settings: Settings, decider: BatchDecider, keeper: ChainKeeper,
                 first_seen: FirstSeen, job_ids: JobIds,
                 on_assignment: Callable[[set[TopicPartition]], object],
                 signer: TopicSigner | None = None,
                 observer: LoopObserver | None = None) -> None:
        self.settings, self.decider, self.keeper = settings, decider, keeper
        self.observer = observer or LoopObserver()  # metrics and liveness (streams.metrics)
        self.signer = signer  # signs what other services trust (streams.signing)
        self.first_seen, self.job_ids, self.on_assignment = first_seen, job_ids, on_assignment
        self.producers = PartitionProducers(settings)
        # schemas of registry-framed input (docs/schema-registry.md); None: no registry
        self.schemas = SchemaResolver.from_settings(settings.schema_registry)
        # One batch at a time, from its poll to its commit. Whatever changes the state a batch
        # uses takes it too (rebalances, followers, policy reloads, shutdown).
        self.lock = asyncio.Lock()
        # The pure pipeline runs here, off the event loop, one batch (or reload) at a time.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="afterguard-decide")
        self._closed = False
        self.generation = 0  # bumped by every assignment: a poll from before it is stale
        self._fenced: set[int] = set()  # indexes another worker took; not reopened until assigned
        self._failures = 0
        self._consumer: AIOKafkaConsumer | None = None
        # The offset after the last record of each input partition this worker committed: a
        # record before it is decided, whatever position the consumer is handed back
        self._committed: dict[TopicPartition, int] = {}
        self._stop = asyncio.Event()

    def _headers(self, topic: str, key: bytes | None, value: bytes) -> Headers | None:
        return None if self.signer is None else self.signer.headers(topic, key, value)

    def consumer(self) -> AIOKafkaConsumer:
        s = self.settings
        return s.kafka.consumer(
            group_id=s.app_id,
            group_instance_id=s.group_instance_id, enable_auto_commit=False,
            isolation_level="read_committed", auto_offset_reset="earliest",
            session_timeout_ms=s.session_timeout_ms, heartbeat_interval_ms=s.heartbeat_interval_ms,
            max_poll_records=s.batch_size,
            partition_assignment_strategy=(RangePartitionAssignor,))

    async def run(self, stop: asyncio.Event, ready: Callable[[], None]) -> None:
        consumer = self._consumer = self.consumer()
        self._stop = stop
        consumer.subscribe(list(self.settings.topics.inputs), listener=_Rebalance(self))
        await consumer.start()
        self.observer.started(consumer)
        try:
            ready()
            while not stop.is_set():
                self.observer.beat()
                generation = self.generation
                batches = await consumer.getmany(timeout_ms=500,
                                                 max_records=self.settings.batch_size)
                if batches:
                    async with self.lock:
                        if generation == self.generation:
                            await self._handle(consumer, batches, stop)
                        else:  # polled across an assignment: consume them again
                            await self._rewind(consumer, batches.keys(), stop)
        finally:
            self.observer.stopped()
            log.info("%s", self.decider.pipeline.stages.split())
            async with self.lock:  # the batch in flight first
                await self.producers.close_all()
                self._closed = True
                self._executor.shutdown(wait=True)  # idle: nothing runs outside the lock
            if self.schemas is not None:
                await self.schemas.close()
            await consumer.stop()

    async def between_batches(self, change: Callable[[], T]) -> T:
        """Run `change` (e.g. a policy reload) while no batch is being decided, in the decide
        thread so that a slow one does not stop the loop either."""
        async with self.lock:
            if self._closed:
                return change()
            return await self._off_loop(change)

    async def _off_loop(self, work: Callable[[], T]) -> T:
        """`work()` in the decide thread. The caller holds the lock; if this task is cancelled
        meanwhile, the lock is kept until the thread is done with the state."""
        future = asyncio.get_running_loop().run_in_executor(self._executor, work)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            await asyncio.wait([future])
            raise

    async def _decide(self, batch: Sequence[RawRecord], chain: AuditChain) -> list[Emit]:
        now = datetime.now(UTC)
        pacer = asyncio.get_running_loop().create_task(self._beat_while_deciding(len(batch)))
        try:
            return await self._off_loop(lambda: self.decider.decide(batch, now, chain))
        finally:
            pacer.cancel()

    async def _beat_while_deciding(self, records: int) -> None:
        """Liveness while a batch is decided in the decide thread. Each record's scan is bounded
        by the policy's scan budget, so a batch is progressing for as long as its records may
        take (twice: a failed batch is decided again one record at a time), plus a margin: a
        poll of 200 records each near a 2 s budget takes minutes and must not make a liveness
        probe restart the worker (the restarted worker would meet the same poll). A decide
        thread stuck past that bound stops the beats, and the worker is reported stalled."""
        budget_s = self.decider.pipeline.policy.policy.limits.scan_timeout_ms / 1000
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 2 * records * budget_s + DECIDE_MARGIN_S
        while loop.time() < deadline:
            self.observer.beat()
            await asyncio.sleep(BEAT_EVERY_S)

    async def _handle(self, consumer: AIOKafkaConsumer, batches: Parts,
                      stop: asyncio.Event) -> None:
        assigned = consumer.assignment()
        by_index: dict[int, Parts] = {}
        for tp, messages in batches.items():
            if tp in assigned and messages:
                by_index.setdefault(tp.partition, {})[tp] = messages
        for index in sorted(by_index):
            parts = by_index[index]
            if not await self._ensure_producer(index):
                for tp, messages in parts.items():  # nothing done: consume them again
                    consumer.seek(tp, messages[0].offset)
                continue
            await self._transact(consumer, index, parts, stop)

    async def _ensure_producer(self, index: int) -> bool:
        if self.producers.get(index) is not None:
            return True
        if index in self._fenced:
            return False
        try:
            await self.producers.open(index)
            return True
        except Exception as exc:  # noqa: BLE001 - retried on the next poll
            log.warning("cannot start the transactional producer of input partition %d (%s: %s)",
                        index, type(exc).__name__, exc)
            await asyncio.sleep(self._backoff())
            return False

    async def _transact(self, consumer: AIOKafkaConsumer, index: int, parts: Parts,
                        stop: asyncio.Event) -> None:
        batch = [RawRecord(m.topic, m.partition, m.offset, m.key, m.value)
                 for tp in sorted(parts) for m in parts[tp]]
        try:
            chain = await self.keeper.chain_for([index])
        except Exception as exc:  # noqa: BLE001 - the audit topic cannot be read yet
            log.warning("cannot read the audit chain's head for input partition %d (%s: %s)",
                        index, type(exc).__name__, exc)
            for tp, messages in parts.items():  # nothing done: consume them again
                consumer.seek(tp, messages[0].offset)
            self._failures += 1
            await asyncio.sleep(self._backoff())
            return
        batch = self._not_yet_decided(batch)  # all skipped: the transaction moves the offsets
        if self.schemas is not None and batch:  # registry-framed records: their schemas first
            try:
                batch = with_schemas(batch, await self.schemas.for_values(r.value for r in batch))
            except RegistryUnavailable as exc:  # nothing decided: the batch waits and retries
                log.warning("%s; the records of input partition %d are decided once it answers",
                            exc, index)
                for tp, messages in parts.items():
                    consumer.seek(tp, messages[0].offset)
                self._failures += 1
                await asyncio.sleep(self._backoff())
                return
        before = self.decider.checkpoint(chain)
        emits = await self._decide(batch, chain) if batch else []
        sightings = self.first_seen.drain()
        job_ids = self.job_ids.drain()
        producer = self.producers.get(index)
        assert producer is not None  # _ensure_producer
        stages = self.decider.pipeline.stages
        outputs = [(e.topic, e.key, e.value, e.partition) for e in emits]
        outputs += [(self.settings.first_seen_topic, key, value, None) for key, value in sightings]
        outputs += [(self.settings.job_ids_topic, key, value, None) for key, value in job_ids]
        try:
            started = stages.clock()
            signed = [(topic, key, value, partition, self._headers(topic, key, value))
                      for topic, key, value, partition in outputs]
            started = stages.add("sign", started)
            await producer.begin_transaction()
            sent = [await producer.send(topic, value, key=key, partition=partition,
                                        headers=headers)
                    for topic, key, value, partition, headers in signed]
            # every output written before the offsets are (all awaited, so none is left with
            # an exception nobody retrieved)
            for outcome in await asyncio.gather(*sent, return_exceptions=True):
                if isinstance(outcome, BaseException):
                    raise outcome
            await producer.send_offsets_to_transaction(
                {tp: messages[-1].offset + 1 for tp, messages in parts.items()},
                self.settings.app_id)
            await producer.commit_transaction()
            stages.add("produce", started)
            self.observer.committed(parts)
            self._failures = 0
            for tp, messages in parts.items():
                self._committed[tp] = max(self._committed.get(tp, 0), messages[-1].offset + 1)
        except Exception as exc:  # noqa: BLE001 - any failure: abort, and consume again
            self.decider.rollback(chain, before)
            self.observer.aborted()
            self.first_seen.unsee(sightings)
            self.job_ids.pending[:0] = job_ids  # written with the retry (a known id is not
            # queued again, so they would be lost)
            await self._recover(consumer, index, parts.keys(), exc, stop)

    async def _recover(self, consumer: AIOKafkaConsumer, index: int,
                       tps: Iterable[TopicPartition], exc: Exception, stop: asyncio.Event) -> None:
        """After a failed transaction: fence it (a new producer under the same id completes or
        aborts it), forget the chain head, and rewind to the committed offsets."""
        self._failures += 1
        fenced = isinstance(exc, ProducerFenced)
        log.warning("the transaction of input partition %d failed (%s: %s); %s", index,
                    type(exc).__name__, exc, "another worker owns it now" if fenced
                    else "its records are decided again from the committed offsets")
        self.keeper.discard([index])
        await self.producers.close(index)
        if fenced:
            self._fenced.add(index)
        while not stop.is_set():
            try:
                if not fenced:
                    await self.producers.open(index)
                break
            except Exception as retry:  # noqa: BLE001 - the broker may be away for a while
                log.warning("recovering input partition %d: %s: %s", index,
                            type(retry).__name__, retry)
                await self.producers.close(index)
                await asyncio.sleep(self._backoff())
        await self._rewind(consumer, tps, stop)

    async def _rewind(self, consumer: AIOKafkaConsumer, tps: Iterable[TopicPartition],
                      stop: asyncio.Event) -> None:
        """Back to the committed offsets, however long the broker takes to answer: consuming
        on from where the poll left off would skip records."""
        tps = list(tps)
        while not stop.is_set():
            try:
                await rewind_to_committed(consumer, tps)
                return
            except Exception as exc:  # noqa: BLE001 - the broker may be away for a while
                log.warning("cannot read the committed offsets (%s: %s)", type(exc).__name__, exc)
                self._failures += 1
                await asyncio.sleep(self._backoff())

    def _not_yet_decided(self, batch: list[RawRecord]) -> list[RawRecord]:
        """Drop records a committed transaction already decided: ours (remembered) or anyone's
        (the last committed audit record names its input). A consumer can be handed an older
        position than the one committed (seen after a broker restart under load)."""
        kept = []
        for raw in batch:
            floor = max(self._committed.get(TopicPartition(raw.topic, raw.partition), 0),
                        self.keeper.decided_before.get((raw.topic, raw.partition), 0))
            if raw.offset >= floor:
                kept.append(raw)
        if len(kept) < len(batch):
            log.warning("skipped %d records of %s[%d] already decided in a committed "
                        "transaction", len(batch) - len(kept), batch[0].topic, batch[0].partition)
        return kept

    def _backoff(self) -> float:
        self.observer.beat()  # retrying is progress (a broker outage is not a stuck loop)
        return min(MAX_BACKOFF_S, 0.2 * 2.0 ** min(self._failures, 5))

    async def assigned(self, assigned: set[TopicPartition]) -> None:
        async with self.lock:
            self.generation += 1
            self._fenced.clear()
            inputs = set(self.settings.topics.inputs)
            indexes = sorted({tp.partition for tp in assigned if tp.topic in inputs})
            for index in indexes:
                await self._ensure_producer(index)  # fences the previous owner first
            if self._consumer is not None:
                # aiokafka fetched the committed offsets while the previous owner may still
                # have been committing; read them again now that its transaction is fenced
                # (complete), or a commit that landed meanwhile is decided twice.
                await self._rewind(self._consumer, [tp for tp in assigned if tp.topic in inputs],
                                   self._stop)
            self.on_assignment(assigned)
            self.observer.assigned(assigned)
            try:  # the chain heads of all of them at once (else each batch reads its own)
                await self.keeper.chain_for(indexes)
            except Exception as exc:  # noqa: BLE001 - the first batch of each tries again
                log.warning("cannot read the audit chain's heads yet (%s)", type(exc).__name__)

    async def revoked(self) -> None:
        async with self.lock:
            self.generation += 1
            self.observer.revoked()
            await self.producers.close_all()
            self.keeper.forget()  # another worker may write these audit partitions now


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


class _Rebalance(ConsumerRebalanceListener):  # type: ignore[misc]  # aiokafka is untyped
    def __init__(self, loop: DecideLoop) -> None:
        self.loop = loop

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        await self.loop.revoked()

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        await self.loop.assigned(assigned)
