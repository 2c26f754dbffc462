"""After a restart the verdicts topic is the truth: read every committed verdict and apply the
ones the queue state does not show yet (the service died after committing them, before its
state change reached the table's changelog). Applying a verdict twice changes nothing."""

from __future__ import annotations

import asyncio
import logging

from aiokafka import TopicPartition
from pydantic import ValidationError

from sampling.verdict import Verdict
from streams.kafka_admin import partition_counts
from streams.kafka_connection import KafkaConnection
from streams.review.queue import replay
from streams.review.state import QueueState
from streams.signing import RecordKind, RecordVerifier

log = logging.getLogger(__name__)


async def committed_verdicts(kafka: KafkaConnection, topic: str,
                             verifier: RecordVerifier | None = None, timeout_s: float = 120.0
                             ) -> list[Verdict]:
    """Every verdict a read_committed consumer sees, up to the end of the topic now; with a
    verifier, only those the review service signed (a forged verdict is never applied)."""
    consumer = kafka.consumer(group_id=None, enable_auto_commit=False,
                              auto_offset_reset="earliest", isolation_level="read_committed")
    await consumer.start()
    try:
        count = (await partition_counts(kafka, [topic]))[topic]
        tps = [TopicPartition(topic, p) for p in range(count)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)  # the last stable offsets
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        verdicts: list[Verdict] = []
        while [tp for tp in tps if await consumer.position(tp) < ends[tp]]:
            if loop.time() > deadline:
                raise TimeoutError(f"reading {topic} took longer than {timeout_s:.0f}s")
            batches = await consumer.getmany(*tps, timeout_ms=500)
            for tp, messages in batches.items():
                for message in messages:
                    if message.offset >= ends[tp]:
                        continue
                    problem = None if verifier is None else verifier.check(
                        RecordKind.VERDICT, message.key, message.value, message.headers)
                    if problem is not None:
                        log.warning("not applying the verdicts record at partition %d offset "
                                    "%d: %s", tp.partition, message.offset, problem.reason)
                        continue
                    try:
                        verdicts.append(Verdict.model_validate_json(message.value or b""))
                    except ValidationError:
                        log.warning("skipped a verdicts record that is not a verdict "
                                    "(partition %d offset %d)", tp.partition, message.offset)
        return sorted(verdicts, key=lambda v: v.decided_at)
    finally:
        await consumer.stop()


async def replay_verdicts(state: QueueState, kafka: KafkaConnection, topic: str,
                         verifier: RecordVerifier | None = None) -> int:
    """Apply the committed, signed verdicts the state misses; how many it applied."""
    applied = sum(replay(state, verdict)
                  for verdict in await committed_verdicts(kafka, topic, verifier))
    if applied:
        log.warning("applied %d committed verdict(s) the queue state did not show yet", applied)
    return applied
