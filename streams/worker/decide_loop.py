"""The worker's consume-decide-produce loop, exactly once for `read_committed` consumers.

Records are consumed by partition index N (partition N of every input topic; the range assignor
gives all of them to one worker). Each poll's records of index N are decided, and their
decisions, audit records, review items, dead letters, first-seen sightings and the input
offsets go out in ONE transaction of index N's producer (streams.worker.transactions). A
failure anywhere on the Kafka side aborts it: the in-memory state is rolled back, the audit
chain's head is re-read from the topic, the producer is started again (fencing the open
transaction) and the records are consumed again from the committed offsets. No offset moves
past a record whose outputs were not all written; nothing is written twice.

The next batch is decided while the previous one's transaction is in flight (its sends, input
offsets and commit are round trips to the broker; the decide thread would be idle). Transactions
go by lane (streams.worker.settling), the audit partition a partition index seals into
(`DecidedBatch.lane`; one per index when the audit topic has as many partitions as the inputs):
one lane's transactions
commit one after the other, those of different lanes are in flight at the same time (a poll
with records of three indexes waits for one round of transactions, not three in a row). In a
lane at most one transaction is in flight, and the next one begins only once it has committed:
the batch decided meanwhile is queued behind it (a task that begins its transaction as soon as
the first has committed, streams.worker.lanes) and the loop polls again at once; the records of
a third batch of the lane wait, their partitions paused, until the first ends (streams.worker.room).
The batch of its lane decided meanwhile was decided on the in-flight batch's state (its audit
records chain onto that batch's, its first-seen marks and reviewer budgets count that
batch's), so when the transaction fails, both are undone (streams.worker.decided) and both
are consumed again: none of the second batch's outputs is ever sent, none of its outcomes
counted. Other lanes keep their audit heads and budget counts; their batches may have counted
the failed batch's first-time marks and job ids, which errs towards more review (the failed
records are decided again and mark them again).

The pure pipeline runs in a one-thread executor, never on the event loop: a poll of records that
each take about the scan budget keeps the loop (the consumer's heartbeats, the state followers)
running, so the worker stays in its group. Everything a batch reads or changes (the pipeline and
its policy, first-seen marks, job ids, autonomy levels, reviewer budgets, the audit chain) is
changed only under `self.lock`, which is held while a batch is decided (and while the
transaction before it is seen through): the followers (they apply what they read under it)
and a SIGHUP policy reload (`between_batches`) wait for it; the rebalance callbacks and
shutdown also see the transaction in flight through first.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TypeVar

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.coordinator.assignors.range import RangePartitionAssignor

from streams.audit.chain import AuditChain
from streams.audit.keeper import ChainKeeper
from streams.config import Settings
from streams.metrics.loop_observer import LoopObserver
from streams.registry.resolver import RegistryUnavailable, SchemaResolver
from streams.signing import TopicSigner
from streams.worker.backoff import Backoff
from streams.worker.batch import BatchDecider
from streams.worker.codec import RawRecord, with_schemas
from streams.worker.decided import BatchState, DecidedBatch
from streams.worker.first_seen import FirstSeen
from streams.worker.job_ids import JobIds
from streams.worker.live_limits import LiveLimits
from streams.worker.output_limits import OutputLimits
from streams.worker.positions import RebalanceListener, Written
from streams.worker.prefetch import Prefetch
from streams.worker.rewind import Rewind
from streams.worker.room import must_wait, wait_for_room
from streams.worker.settling import LaneSettling
from streams.worker.thread_cpu import ThreadCpu
from streams.worker.transactions import PartitionProducers

log = logging.getLogger(__name__)

Parts = dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]
BEAT_EVERY_S = 1.0  # liveness beats while a batch is decided
POLL_S = 0.5  # the loop's wait for records (then it beats and sees the ended transactions through)
DECIDE_MARGIN_S = 60.0  # beyond what a batch's scan budgets allow
T = TypeVar("T")


class LaneUndone(Exception):
    """The lane's transaction a batch had to wait for failed; the batch was not decided."""


class DecideLoop:
    def __init__(self, settings: Settings, decider: BatchDecider, keeper: ChainKeeper,
                 first_seen: FirstSeen, job_ids: JobIds,
                 on_assignment: Callable[[set[TopicPartition]], object],
                 signer: TopicSigner | None = None,
                 observer: LoopObserver | None = None,
                 read_limits: Callable[[], Awaitable[OutputLimits]] | None = None) -> None:
        self.settings, self.decider, self.keeper = settings, decider, keeper
        self.observer = observer or LoopObserver()  # metrics and liveness (streams.metrics)
        # decides and signs a batch in the decide thread; undoes decided batches
        self.state = BatchState(settings, decider, first_seen, job_ids, signer)
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
        self._consumer: AIOKafkaConsumer | None = None
        self.backoff = Backoff(self.observer)
        self.rewind = Rewind(self.backoff)  # holds the consumer's records, taken as fetched
        # what this worker committed, by input partition: a record before it is decided,
        # whatever position the consumer is handed back
        self.written = Written()
        self._stop = asyncio.Event()
        # the transactions in flight by lane: written, and seen through
        self.settling = LaneSettling(settings, self.state, keeper, self.producers, self.observer,
                                     self.written, decider.pipeline.stages, self.backoff,
                                     self.rewind, None if read_limits is None
                                     else LiveLimits(decider, read_limits))
        self.cpu = ThreadCpu()  # each thread's CPU per result, logged at stop

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
        self.cpu = ThreadCpu()
        prefetch = self.rewind.prefetch = Prefetch(consumer, self.settings.batch_size,
                                                   lambda: self.generation, self._polled_stale)
        consumer.subscribe(list(self.settings.topics.inputs), listener=RebalanceListener(self))
        await consumer.start()
        self.observer.started(consumer)
        prefetch.start()
        try:
            ready()
            while not stop.is_set():
                self.observer.beat()
                batches = await prefetch.poll(POLL_S)
                generation = self.generation  # of these records (an assignment drops them)
                if batches:
                    self.cpu.polled()
                    async with self.lock:
                        if generation == self.generation:
                            await self._handle(consumer, batches, stop)
                        else:  # an assignment came before the lock: consume them again
                            await self.rewind.to_committed(consumer, batches.keys(), stop)
                elif self.settling.lanes:  # nothing new: see the ended ones through, and only
                    # them (waiting for all would hold every lane back behind a stuck one)
                    async with self.lock:
                        await self.settling.settle_done(consumer, stop, ())
        finally:
            self.observer.stopped()
            await prefetch.stop()
            async with self.lock:  # the batches in flight first
                await self.settling.settle_all(None, stop)  # not consumed again: the worker stops
                log.info("%s", self.decider.pipeline.stages.split())
                log.info("%s", self.cpu.split(self.decider.pipeline.stages.results,
                                              self.settling.committed))
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

    async def _decide(self, index: int, parts: Parts, batch: Sequence[RawRecord],
                      chain: AuditChain) -> DecidedBatch:
        before = self.decider.checkpoint(chain)
        now = datetime.now(UTC)
        if not batch:  # all decided before: the transaction only moves the offsets
            return self.state.decide(index, parts, batch, chain, before, now)
        pacer = asyncio.get_running_loop().create_task(self._beat_while_deciding(len(batch)))

        def decide() -> DecidedBatch:
            started = time.thread_time()
            try:
                return self.state.decide(index, parts, batch, chain, before, now)
            finally:
                self.cpu.decided(started)

        try:
            return await self._off_loop(decide)
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
        indexes = sorted(by_index)
        if not await self.settling.settle_done(consumer, stop, by_index.values()):
            return  # a lane's transaction failed meanwhile: this poll is consumed again
        for n, index in enumerate(indexes):
            parts = by_index[index]
            decided = None
            if await self._ensure_producer(index):
                try:
                    decided = await self._prepare(consumer, index, parts,
                                                  [by_index[later] for later in indexes[n + 1:]])
                except LaneUndone:  # these records and the later ones are consumed again
                    return
            else:
                self.rewind.seek_back(parts)  # nothing done: consume them again
            if decided is None:
                continue
            producer = self.producers.get(index)
            assert producer is not None  # _ensure_producer; only a failure closes it
            # begins once the lane's transaction in flight has committed; the loop goes on
            self.settling.begin(producer, decided)

    async def _ensure_producer(self, index: int) -> bool:
        if self.producers.get(index) is not None:
            return True
        if index in self.settling.fenced:
            return False
        try:
            await self.producers.open(index)
            return True
        except Exception as exc:  # noqa: BLE001 - retried on the next poll
            log.warning("cannot start the transactional producer of input partition %d (%s: %s)",
                        index, type(exc).__name__, exc)
            await asyncio.sleep(self.backoff.delay_s())
            return False

    async def _prepare(self, consumer: AIOKafkaConsumer, index: int, parts: Parts,
                       later: Sequence[Parts]) -> DecidedBatch | None:
        """This poll's records of input partition index `index`, decided (while the lane's
        transaction is in flight); None when they cannot be decided yet (the consumer is sent
        back to them) or there is nothing to write. Raises LaneUndone when the lane's
        transaction it had to wait for failed: they and the `later` indexes' records of the
        poll are consumed again."""
        parts = self.written.beyond(parts, self.settling.in_flight_offsets())
        if not parts:
            return None
        batch = [RawRecord(m.topic, m.partition, m.offset, m.key, m.value)
                 for tp in sorted(parts) for m in parts[tp]]
        try:
            chain = await self.keeper.chain_for([index])
        except Exception as exc:  # noqa: BLE001 - the audit topic cannot be read yet
            log.warning("cannot read the audit chain's head for input partition %d (%s: %s)",
                        index, type(exc).__name__, exc)
            self.rewind.seek_back(parts)  # nothing done: consume them again
            self.backoff.failed()
            await asyncio.sleep(self.backoff.delay_s())
            return None
        lane = chain.partition_for(index)
        # a batch of the lane is decided on top of its transaction in flight already: these
        # records wait, their partitions paused, until that transaction ends (the other lanes
        # go on meanwhile); then it is seen through first (undone with it when it failed)
        lanes = self.settling.lanes
        if must_wait(lanes, lane):
            wait_for_room(consumer, lanes, lane, parts, self.rewind)
            return None
        if lanes.full(lane) and not await self.settling.settle(
                lane, consumer, self._stop, sent_back=[parts, *later]):
            raise LaneUndone
        # all skipped: the transaction only moves the offsets
        batch = self.written.not_decided(batch, self.settling.in_flight_offsets(),
                                         self.keeper.decided_before)
        if self.schemas is not None and batch:  # registry-framed records: their schemas first
            try:
                batch = with_schemas(batch, await self.schemas.for_values(r.value for r in batch))
            except RegistryUnavailable as exc:  # nothing decided: the batch waits and retries
                log.warning("%s; the records of input partition %d are decided once it answers",
                            exc, index)
                self.rewind.seek_back(parts)
                self.backoff.failed()
                await asyncio.sleep(self.backoff.delay_s())
                return None
        return await self._decide(index, parts, batch, chain)

    async def _polled_stale(self, tps: set[TopicPartition]) -> None:
        """Records the consumer returned across an assignment: consumed again."""
        async with self.lock:
            assert self._consumer is not None
            await self.rewind.to_committed(self._consumer, tps, self._stop)

    async def assigned(self, assigned: set[TopicPartition]) -> None:
        async with self.lock:
            await self.settling.settle_all(None, self._stop)  # seen through on revocation already
            self.generation += 1
            if self.rewind.prefetch is not None:
                self.rewind.prefetch.forget_all()
            self.settling.fenced.clear()
            inputs = set(self.settings.topics.inputs)
            indexes = sorted({tp.partition for tp in assigned if tp.topic in inputs})
            for index in indexes:
                await self._ensure_producer(index)  # fences the previous owner first
            if self._consumer is not None:
                # aiokafka fetched the committed offsets while the previous owner may still
                # have been committing; read them again now that its transaction is fenced
                # (complete), or a commit that landed meanwhile is decided twice.
                await self.rewind.to_committed(self._consumer, [tp for tp in assigned if tp.topic in inputs],
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
            if self.rewind.prefetch is not None:
                self.rewind.prefetch.forget_all()
            self.observer.revoked()
            await self.settling.settle_all(None, self._stop)  # their offsets count if they commit
            await self.producers.close_all()
            self.keeper.forget()  # another worker may write these audit partitions now

