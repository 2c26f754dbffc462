"""A batch the worker has decided and signed, how it is undone, and the transaction that
writes it.

The decide loop (streams.worker.decide_loop) decides the next batch in its decide thread while
this batch's transaction (sends, input offsets, commit) is in flight on the event loop. A
`DecidedBatch` therefore carries everything its transaction writes and everything needed to
undo it: the worker's in-memory state before it was decided (`before`), and what deciding it
took out of that state (first-seen sightings, job-id sightings, the outcomes tallied for the
metrics). When a transaction fails, the batch decided meanwhile is undone with it: it was
decided on top of the failed batch's state (its audit records chain onto the failed batch's).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from aiokafka import AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.producer.message_accumulator import BatchBuilder

from sampling.budget import AgentCounts
from streams.audit.chain import AuditChain
from streams.config import Settings
from streams.metrics.tally import Tallied
from streams.signing import Headers, TopicSigner
from streams.transactional import crash_point, fail_point, hang_point
from streams.worker.batch import BatchDecider, MemoryCheckpoint
from streams.worker.codec import RawRecord
from streams.worker.first_seen import FirstSeen
from streams.worker.job_ids import JobIds
from streams.worker.partitioner import KeyPartitions
from streams.worker.stage_clock import StageClock

Parts = dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]
# topic, key, value, partition (None: by key), signature headers
Output = tuple[str, bytes | None, bytes, int | None, Headers | None]
BudgetCounts = dict[tuple[str, datetime], int]
_Window = TypeVar("_Window", tuple[str, datetime], tuple[str, datetime, str])


@dataclass(frozen=True)
class DecidedBatch:
    """One poll's records of one input partition index, decided and signed, not yet written."""

    index: int  # the input partition index: whose transactional producer writes it
    parts: Parts
    chain: AuditChain  # the worker's audit chain, whose heads its audit records moved
    before: MemoryCheckpoint  # the worker's state before this batch was decided
    outputs: list[Output]
    sightings: list[tuple[bytes, bytes]]  # first-seen sightings this batch made
    job_ids: list[tuple[bytes, bytes]]  # the records of the job-id sightings it queued
    tallied: Tallied  # its records' outcomes, counted by the metrics once it commits
    # reviewer budget counts it took: (admitted, mandatory), by (group, window)
    budget_spent: tuple[BudgetCounts, BudgetCounts] = ({}, {})
    # and its admitted samples by (group, window, agent): each agent's share of a budget
    budget_spent_by_agent: AgentCounts = field(default_factory=dict)

    def lane(self) -> int:
        """Its audit partition: batches of one lane chain onto each other's audit records, so
        their transactions commit one after the other; lanes are independent."""
        return self.chain.partition_for(self.index)

    def offsets(self) -> dict[TopicPartition, int]:
        """The input offsets its transaction commits: after its last record of each partition."""
        return {tp: messages[-1].offset + 1 for tp, messages in self.parts.items()}

    def records(self) -> int:
        return sum(len(messages) for messages in self.parts.values())


class BatchState:
    """Deciding a batch and undoing decided batches: the worker's in-memory state side of
    them, synchronous and free of Kafka (the decide loop calls `decide` in its decide thread
    and `undo` when a transaction fails, both under its lock)."""

    def __init__(self, settings: Settings, decider: BatchDecider, first_seen: FirstSeen,
                 job_ids: JobIds, signer: TopicSigner | None) -> None:
        self.settings, self.decider = settings, decider
        self.first_seen, self.job_ids, self.signer = first_seen, job_ids, signer

    def decide(self, index: int, parts: Parts, batch: Sequence[RawRecord], chain: AuditChain,
               before: MemoryCheckpoint, now: datetime) -> DecidedBatch:
        """The batch decided and signed, with what deciding it took out of the worker's state
        (`before`: the checkpoint taken just before)."""
        emits = self.decider.decide(batch, now, chain) if batch else []
        s, stages, tally = self.settings, self.decider.pipeline.stages, self.decider.pipeline.tally
        # the batch's job-id sightings in one signed record (streams.worker.job_ids)
        sightings = self.first_seen.drain()
        job_ids = self.job_ids.drain(self.decider.limits.limit(s.job_ids_topic))
        outputs = [(e.topic, e.key, e.value, e.partition) for e in emits]
        outputs += [(s.first_seen_topic, key, value, None) for key, value in sightings]
        outputs += [(s.job_ids_topic, key, value, None) for key, value in job_ids]
        started = stages.clock()
        # one signature for the batch's signed records (streams.signing.batches)
        headers = (self.signer.headers_each([(topic, key, value) for topic, key, value, _
                                             in outputs])
                   if self.signer is not None else [None] * len(outputs))
        signed: list[Output] = [(topic, key, value, partition, each) for
                                (topic, key, value, partition), each in zip(outputs, headers,
                                                                             strict=True)]
        stages.add("sign", started)
        return DecidedBatch(index, parts, chain, before, signed, sightings, job_ids,
                            tally.drain() if tally is not None else ([], []),
                            *self._budget_spent(before))

    def undo(self, batches: Sequence[DecidedBatch]) -> None:
        """Back to the worker's state before the first of `batches` (each later one was
        decided on top of the one before, in the same lane), none of them written: what
        deciding them took out of the state goes back, and their outcomes are never counted.
        Batches of other lanes decided meanwhile keep theirs: their audit partitions' heads
        stay, and only these batches' reviewer-budget counts are given back (the first-time
        marks and job ids they saw are the error towards more review: these records are
        decided again and mark them again)."""
        first = batches[0]
        chain = first.chain
        heads = chain.snapshot()
        for lane in {batch.lane() for batch in batches}:
            if lane in first.before.heads:
                heads[lane] = first.before.heads[lane]
            else:
                heads.pop(lane, None)
        chain.restore(heads)
        self.first_seen.rollback(first.before.sightings)  # none pending between batches
        ledger = self.decider.pipeline.review.ledger
        for batch in batches:
            self.first_seen.unsee(batch.sightings)
            if ledger is not None:
                for counts, spent in zip((ledger.used, ledger.mandatory), batch.budget_spent,
                                         strict=True):
                    _give_back(counts, spent)
                _give_back(ledger.by_agent, batch.budget_spent_by_agent)
        # written with the retry (a known id is not queued again, so they would be lost)
        self.job_ids.requeue(record for batch in batches for record in batch.job_ids)

    def _budget_spent(self, before: MemoryCheckpoint
                      ) -> tuple[tuple[BudgetCounts, BudgetCounts], AgentCounts]:
        """The reviewer-budget counts deciding a batch took (since `before`)."""
        ledger = self.decider.pipeline.review.ledger
        if ledger is None:
            return ({}, {}), {}
        # no ledger before: it was made for this batch (on the first sample), all of it its own
        return ((_grown(before.budget_used or {}, ledger.used),
                 _grown(before.budget_mandatory or {}, ledger.mandatory)),
                _grown(before.budget_by_agent or {}, ledger.by_agent))


def _grown(before: dict[_Window, int], after: dict[_Window, int]) -> dict[_Window, int]:
    return {window: count - before.get(window, 0) for window, count in after.items()
            if count > before.get(window, 0)}


def _give_back(counts: dict[_Window, int], spent: dict[_Window, int]) -> None:
    for window, taken in spent.items():
        if window in counts:
            counts[window] = max(0, counts[window] - taken)


# What a record adds to a record batch beyond its key, value and header bytes, at most: its
# varints at their widest (length, timestamp and offset deltas, key and value lengths, header
# count: 35 bytes) and the attributes byte, and two length varints per header.
RECORD_FRAMING = 36
HEADER_FRAMING = 10


def record_bytes(key: bytes | None, value: bytes, headers: Headers | None) -> int:
    """The most `key`, `value` and `headers` can add to a record batch."""
    size = RECORD_FRAMING + len(key or b"") + len(value)
    for name, header in headers or ():
        size += HEADER_FRAMING + len(name.encode()) + len(header)
    return size


async def send_batched(producer: AIOKafkaProducer, outputs: Sequence[Output],
                       batch_bytes: Callable[[str], int] | None = None,
                       ) -> list[asyncio.Future[Any]]:
    """The outputs in record batches, one per topic partition, each record in its order
    (aiokafka's batch API: a record costs an append to its batch, not a `send` with its own
    future; a full batch is sent and another begun). Records without a partition go where
    `send` would put them: the default partitioner's murmur2 of the key
    (streams.worker.partitioner). Inside a transaction, a batch's partition is added to it as
    a record's is.

    The broker holds a topic's record batches to its `max.message.bytes`, which may be
    smaller than the producer's batches (256 KB): with `batch_bytes(topic)` a batch holding
    records is sent before one more would take it past that many bytes (a record alone goes
    as large as it is: OutputLimits keeps each within its topic's limit)."""
    builders: dict[tuple[str, int], BatchBuilder] = {}
    partitions: dict[str, list[int]] = {}
    caps: dict[str, int] = {}
    keyed = KeyPartitions()
    sent: list[asyncio.Future[Any]] = []
    for topic, key, value, partition, headers in outputs:
        if partition is None:
            listed = partitions.get(topic)
            if listed is None:  # as `send` lists them
                listed = partitions[topic] = list(await producer.partitions_for(topic))
            partition = keyed.partition(key, listed)
        builder = builders.get((topic, partition))
        if builder is None:
            builder = builders[(topic, partition)] = producer.create_batch()
        elif batch_bytes is not None:
            cap = caps.get(topic)
            if cap is None:
                cap = caps[topic] = batch_bytes(topic)
            if builder.size() + record_bytes(key, value, headers) > cap:
                sent.append(await producer.send_batch(builder, topic, partition=partition))
                builder = builders[(topic, partition)] = producer.create_batch()
        if builder.append(timestamp=None, key=key, value=value, headers=headers or []) is None:
            sent.append(await producer.send_batch(builder, topic, partition=partition))
            builder = builders[(topic, partition)] = producer.create_batch()  # its first record
            builder.append(timestamp=None, key=key, value=value, headers=headers or [])
    for (topic, partition), builder in builders.items():
        sent.append(await producer.send_batch(builder, topic, partition=partition))
    return sent


async def write(producer: AIOKafkaProducer, batch: DecidedBatch, group_id: str,
                stages: StageClock, batch_bytes: Callable[[str], int] | None = None) -> None:
    """The batch's outputs and input offsets in one transaction, in record batches of at most
    `batch_bytes(topic)`; raises when any of it fails (the caller aborts: the transaction is
    fenced by the next producer under its id)."""
    started = stages.clock()
    await producer.begin_transaction()
    sent = await send_batched(producer, batch.outputs, batch_bytes)
    # The input offsets join the transaction while its outputs are on their way (they count
    # only if it commits); it commits only once every output is written (all awaited, so none
    # is left with an exception nobody retrieved): aiokafka commits a transaction whose record
    # was refused.
    offsets = asyncio.ensure_future(
        producer.send_offsets_to_transaction(batch.offsets(), group_id))
    for outcome in await asyncio.gather(*sent, offsets, return_exceptions=True):
        if isinstance(outcome, BaseException):
            raise outcome
    crash_point("worker_before_commit")
    await hang_point("worker_before_commit")
    fail_point(f"worker_before_commit_p{batch.index}")
    await producer.commit_transaction()
    crash_point("worker_after_commit")
    stages.add("produce", started)
