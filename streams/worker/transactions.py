"""Transactional producers, one per input partition index the worker owns.

The transactional id names the partition index, not the worker (`<app id>.decide.p<N>`), so
whichever worker owns partition N of the input topics next, be it a restarted one or another,
starts a producer under the same id, and starting it fences the previous owner: its open
transaction is aborted (or finished, if its commit was already under way) before the new owner
reads the committed offsets and the audit chain's head. Nothing a dead or paused worker still
holds can then reach a `read_committed` consumer, and nobody waits for its transaction to time
out. (aiokafka's `send_offsets_to_transaction` takes no group generation, so the per-partition
id is what fences zombies; it is Kafka's exactly-once design before KIP-447.)
"""

from __future__ import annotations

import asyncio
import logging

from aiokafka import AIOKafkaProducer
from aiokafka.producer import sender as aiokafka_sender

from streams.config import Settings

log = logging.getLogger(__name__)

CLOSE_TIMEOUT_S = 5.0
# The coordinator answers CONCURRENT_TRANSACTIONS to a transaction's AddOffsetsToTxn (and to
# AddPartitionsToTxn once some partitions are in) while it still writes the previous
# transaction's markers; aiokafka retries after `retry_backoff_ms` (100 ms by default), which
# delayed a decision by that much at any load (KAFKA-5477 for the Java client's shortcut).
RETRY_BACKOFF_MS = 10
# AddPartitionsToTxn, the first request of a transaction, meets them most: a lane's next
# transaction begins as soon as the previous one has committed (streams.worker.lanes), while the
# coordinator writes its markers (2-5 ms here). aiokafka retries that one after a fixed 20 ms
# (`BACKOFF_OVERRIDE`, whatever `retry_backoff_ms` says): a retried transaction's sends took
# 26-28 ms p50 against 12 ms with 5 ms (docs/benchmarks.md, step 26). Set for this process.
CONCURRENT_TRANSACTIONS_RETRY_MS = 5
aiokafka_sender.BACKOFF_OVERRIDE = CONCURRENT_TRANSACTIONS_RETRY_MS / 1000


class PartitionProducers:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._producers: dict[int, AIOKafkaProducer] = {}

    def transactional_id(self, index: int) -> str:
        return f"{self.settings.app_id}.decide.p{index}"

    def get(self, index: int) -> AIOKafkaProducer | None:
        return self._producers.get(index)

    def owned(self) -> set[int]:
        return set(self._producers)

    async def open(self, index: int) -> AIOKafkaProducer:
        """A started producer for this partition index; the previous owner is fenced when this
        returns (an empty transaction waits for the producer id, whose grant fences)."""
        await self.close(index)
        s = self.settings
        # linger_ms=0: a transaction's outputs are appended as whole record batches
        # (streams.worker.decided.send_batched) and its partitions are held back until the
        # coordinator has added them, so lingering would only delay every decision.
        producer = s.kafka.producer(
            transactional_id=self.transactional_id(index),
            transaction_timeout_ms=s.transaction_timeout_ms, max_request_size=s.max_request_bytes,
            acks="all", enable_idempotence=True, linger_ms=0, max_batch_size=262_144,
            retry_backoff_ms=RETRY_BACKOFF_MS)
        try:
            await producer.start()
            await producer.begin_transaction()
            await producer.abort_transaction()
        except BaseException:
            await _stop(producer)
            raise
        self._producers[index] = producer
        return producer

    async def close(self, index: int) -> None:
        producer = self._producers.pop(index, None)
        if producer is not None:
            await _stop(producer)

    async def close_all(self) -> None:
        for index in list(self._producers):
            await self.close(index)


async def _stop(producer: AIOKafkaProducer) -> None:
    """Stop without waiting long for a broker that is gone (its transaction is fenced by the
    next producer under the same id, or times out)."""
    try:
        await asyncio.wait_for(producer.stop(), CLOSE_TIMEOUT_S)
    except Exception as exc:  # noqa: BLE001 - a producer that cannot stop cleanly is dropped
        log.warning("a transactional producer did not stop cleanly (%s)", type(exc).__name__)
