"""The decide loop's transactions, by lane: each written as a task while the loop decides the
next batch, and seen through (streams.worker.decide_loop).

A lane's transaction begins once the lane's previous one has committed, and never when that one
failed: the batch was decided on its state (streams.worker.lanes). Seeing a lane's first
transaction through either drops it (it committed) or undoes it together with the batch decided
on top of it (streams.worker.decided.BatchState.undo), fences it by starting its producer again,
forgets the audit chain's head, and sends the consumer back to the committed offsets: nothing is
written twice, no offset moves past a record whose outputs were not all written.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import (MessageSizeTooLargeError, ProducerFenced, RecordListTooLargeError,
                             RecordTooLargeError)

from streams.audit.keeper import ChainKeeper
from streams.config import Settings
from streams.metrics.loop_observer import LoopObserver
from streams.transactional import given_up_after_s
from streams.worker.backoff import Backoff
from streams.worker.decided import BatchState, DecidedBatch, write
from streams.worker.lanes import Lanes, NotBegun
from streams.worker.live_limits import LiveLimits
from streams.worker.membership import Membership, membership
from streams.worker.positions import Written
from streams.worker.rewind import Rewind
from streams.worker.stage_clock import StageClock
from streams.worker.transactions import PartitionProducers

log = logging.getLogger(__name__)

Parts = dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]
# The broker refused a record or record batch as too large for its topic.
TOO_LARGE = (MessageSizeTooLargeError, RecordListTooLargeError, RecordTooLargeError)


class LaneSettling:
    def __init__(self, settings: Settings, state: BatchState, keeper: ChainKeeper,
                 producers: PartitionProducers, observer: LoopObserver, written: Written,
                 stages: StageClock, backoff: Backoff, rewind: Rewind,
                 limits: LiveLimits | None = None) -> None:
        self.settings, self.state, self.keeper = settings, state, keeper
        # the output topics' limits the transactions' record batches keep to, read again
        # when the broker refuses one as too large (streams.worker.output_limits)
        self.limits = limits
        self.producers, self.observer, self.written = producers, observer, written
        self.stages, self.backoff, self.rewind = stages, backoff, rewind
        # by lane: the transaction being written, and the batch decided meanwhile
        self.lanes = Lanes()
        self.fenced: set[int] = set()  # indexes another worker took; not reopened until assigned
        self.committed = 0  # transactions committed (the event loop's CPU per transaction)

    def in_flight_offsets(self) -> dict[TopicPartition, int]:
        return self.lanes.offsets()

    def begin(self, producer: AIOKafkaProducer, decided: DecidedBatch) -> None:
        """The batch's transaction, begun once its lane's transaction in flight has committed;
        the loop goes on meanwhile."""
        lane = decided.lane()
        self.lanes.add(lane, decided, asyncio.get_running_loop().create_task(
            self._write_after(self.lanes.last(lane), producer, decided)))

    async def _write_after(self, previous: asyncio.Task[None] | None,
                           producer: AIOKafkaProducer, batch: DecidedBatch) -> None:
        """The batch's transaction, begun once the lane's previous one has committed; never
        begun when it failed (the batch is undone with it: it was decided on its state)."""
        if previous is not None:
            await asyncio.wait([previous])
            if previous.cancelled() or previous.exception() is not None:
                raise NotBegun("the lane's previous transaction failed")
        await self._write(producer, batch)

    async def _write(self, producer: AIOKafkaProducer, batch: DecidedBatch) -> None:
        """The batch's transaction (a task, while the next batch is decided), given up (as
        failed) once the broker has surely aborted it: it aborts a transaction older than the
        transaction timeout at its next look for them (with a look's time to spare here).
        Waiting longer cannot end it, and a client that lost its commit across a broker
        restart would hold the loop, and the followers waiting for its lock, for ever (seen
        once: no request, no error for 90 s)."""
        limit_s = given_up_after_s(self.settings.transaction_timeout_ms)
        try:
            async with asyncio.timeout(limit_s):
                await write(producer, batch, self.settings.app_id, self.stages,
                            None if self.limits is None else self.limits.batch_bytes)
        except TimeoutError:
            raise TimeoutError(f"the transaction did not end within {limit_s:.0f} s (the "
                               "broker aborts it); its producer is started again") from None
        self.observer.committed(batch.parts, batch.tallied)
        self.committed += 1
        self.backoff.succeeded()
        self.written.commit(batch.offsets())

    async def settle_all(self, consumer: AIOKafkaConsumer | None, stop: asyncio.Event) -> bool:
        """See every lane's transactions through: True when all committed."""
        settled = True
        for lane in self.lanes.busy():
            while self.lanes.first(lane) is not None:
                if not await self.settle(lane, consumer, stop):
                    settled = False
        return settled

    async def settle_done(self, consumer: AIOKafkaConsumer, stop: asyncio.Event,
                          polled: Iterable[Parts]) -> bool:
        """The lanes' transactions that have ended meanwhile, seen through: False when one
        failed (it is undone now, before anything is decided on top of its state), and then
        the `polled` records are consumed again.

        A transaction can end while another lane's is seen through (or behind its lane's
        committed first one), so a failure is known only from `settle`: the `polled` records go
        back with the first failure, before its partitions are rewound to the committed offsets
        (a later seek back would move a rewound partition forward past records never written),
        and never again."""
        sent_back: list[Parts] = list(polled)
        settled = True
        for lane in self.lanes.busy():
            while self.lanes.first_ended(lane):
                if not await self.settle(lane, consumer, stop, sent_back=sent_back):
                    settled, sent_back = False, []
        return settled

    async def settle(self, lane: int, consumer: AIOKafkaConsumer | None, stop: asyncio.Event,
                     sent_back: Iterable[Parts] = ()) -> bool:
        """See the lane's first transaction through: True when it committed (or none was in
        flight). When it failed, it is undone together with the batch of the lane decided on
        top of it (never begun), the `sent_back` records are consumed again, and with a
        `consumer` (None: the partitions are revoked or the worker stops) the producer is
        started again and the consumer sent back to the committed offsets of both."""
        first = self.lanes.first(lane)
        if first is None:
            return True
        batch, task = first
        try:
            await task
            self.lanes.pop_first(lane)
            return True
        except Exception as exc:  # noqa: BLE001 - any failure: abort, and consume again
            written = self.lanes.pop_all(lane)
            for _meanwhile, never_begun in written[1:]:  # its failure is this one's
                await asyncio.wait([never_begun])
                if not never_begun.cancelled():
                    never_begun.exception()
            undone = [undo for undo, _task in written]
            for parts in sent_back:  # first: their partitions may be rewound further back
                self.rewind.seek_back(parts)
            self.state.undo(undone)
            self.observer.aborted()
            for meanwhile in undone[1:]:
                log.warning("the batch decided meanwhile (%d records of input partition %d) "
                            "is undone with the failed transaction and decided again",
                            meanwhile.records(), meanwhile.index)
            tps = {tp for undo in undone for tp in undo.parts}
            await self._recover(consumer, batch.index, tps, exc, stop)
            return False

    async def _recover(self, consumer: AIOKafkaConsumer | None, index: int,
                       tps: Iterable[TopicPartition], exc: Exception, stop: asyncio.Event) -> None:
        """After a failed transaction: fence it (a new producer under the same id completes or
        aborts it), forget the chain head, and rewind to the committed offsets (without a
        consumer, when the partitions are revoked or the worker stops: only the first two)."""
        self.backoff.failed()
        if isinstance(exc, TOO_LARGE) and self.limits is not None:
            # a topic's limit was lowered since it was read: the records are decided again
            # within the one it has now (a record over it is held by reference, not stuck)
            await self.limits.read_again()
        fenced = isinstance(exc, ProducerFenced)
        self.keeper.discard([index])
        await self.producers.close(index)
        if fenced and consumer is not None:  # another owner, or the broker timed it out
            fenced = not await self._still_member(consumer, stop)
        log.warning("the transaction of input partition %d failed (%s: %s); %s", index,
                    type(exc).__name__, exc, "another worker owns it now" if fenced
                    else "its records are decided again from the committed offsets")
        if fenced:
            self.fenced.add(index)
        if consumer is None:
            return
        while not stop.is_set():
            try:
                if not fenced:
                    await self.producers.open(index)
                break
            except Exception as retry:  # noqa: BLE001 - the broker may be away for a while
                log.warning("recovering input partition %d: %s: %s", index,
                            type(retry).__name__, retry)
                await self.producers.close(index)
                await asyncio.sleep(self.backoff.delay_s())
        await self.rewind.to_committed(consumer, tps, stop)

    async def _still_member(self, consumer: AIOKafkaConsumer, stop: asyncio.Event) -> bool:
        """After `ProducerFenced`: whether the group still gives this worker its assignment
        (streams.worker.membership). The broker aborts a transaction that outlived the
        transaction timeout (a broker outage longer than it) and fences its producer as a
        new owner would; the partition is then still this worker's, and it starts its
        producer again instead of leaving the partition undecided until a rebalance."""
        while not stop.is_set():
            answer = await membership(consumer)
            if answer is not Membership.UNKNOWN:
                return answer is Membership.CURRENT
            await asyncio.sleep(self.backoff.delay_s())
        return False
