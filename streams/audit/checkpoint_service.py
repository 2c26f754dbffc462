"""`afterguard audit checkpoint`: signed checkpoints of the audit chains without a warehouse.

The sink (`afterguard audit sink`) signs checkpoints of the chain heads it verified; a
deployment that loads its audit topics with Kafka Connect, or not at all, ran no sink and so
had no checkpoints, and a cut tail of an audit partition could not be detected. This service
verifies each chain as the sink does (streams/audit/chain_guard.py: a record that does not
link to the verified head is an `ALERT` log line and never moves the head) and signs
checkpoints of the verified heads on the same topic, every N records or T seconds per
partition and when it stops (streams/audit/checkpointer.py).

Its only state is its checkpoints: at start it reads the checkpoint topic, resumes each
partition's chain from the newest checkpoint of it signed with a trusted `audit` key (the
sink's count too), and reads the partition from the record after it; a partition without one
is read from its beginning. So it needs no group offsets and no disk, and a restart re-reads
at most what came after the last checkpoint.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

from aiokafka import TopicPartition

from streams.audit.chain_guard import Head, HeadKey
from streams.audit.checkpoints import Checkpoint, checkpoint_problem
from streams.audit.signatures import AuditSignatures
from streams.audit.sink import AuditSink, SinkStats
from streams.audit.sink_runner import CheckpointSettings, checkpointer_for, serve_sink_metrics
from streams.audit.topic_io import read_all
from streams.audit.warehouse import SinkBatch
from streams.kafka_admin import ensure_topics, partition_counts, require_topics
from streams.kafka_connection import KafkaConnection
from streams.signing.keys import TrustedKeys

log = logging.getLogger(__name__)
RECENT_RECORDS = 10_000  # kept to tell a replayed record from a conflicting one


class RecentRecords:
    """The sink's warehouse without a warehouse: the heads come from the checkpoints, and the
    last records verified are kept in memory (bounded) so that a record read again with the
    same content is a duplicate, not a conflict."""

    def __init__(self, heads: dict[HeadKey, Head]) -> None:
        self._heads = dict(heads)
        self._records: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def write(self, batch: SinkBatch) -> int:
        for record in batch.rows:
            self._records[record["event_id"]] = record
            self._records.move_to_end(record["event_id"])
        while len(self._records) > RECENT_RECORDS:
            self._records.popitem(last=False)
        self._heads.update(batch.heads)
        return len(batch.rows)

    def existing(self, event_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return {e: self._records[e] for e in event_ids if e in self._records}

    def heads(self) -> dict[HeadKey, Head]:
        return dict(self._heads)

    def add_checkpoints(self, checkpoints: Sequence[Checkpoint]) -> None:
        pass  # they are on the checkpoint topic

    def count(self, table: str = "") -> int:
        return 0

    def close(self) -> None:
        pass


def resume_points(values: Iterable[bytes], trusted: TrustedKeys, topics: Sequence[str]
                  ) -> dict[HeadKey, Checkpoint]:
    """The newest checkpoint signed with a trusted audit key of each partition of `topics`."""
    newest: dict[HeadKey, Checkpoint] = {}
    refused = 0
    for value in values:
        checkpoint = checkpoint_problem(value, trusted)
        if not isinstance(checkpoint, Checkpoint):
            refused += 1
            continue
        where = (checkpoint.audit_topic, checkpoint.partition)
        if checkpoint.audit_topic in topics and (
                where not in newest or checkpoint.seq > newest[where].seq):
            newest[where] = checkpoint
    if refused:
        log.warning("passed over %d checkpoint record(s) that are not signed checkpoints of a "
                    "trusted audit key", refused)
    return newest


async def run_checkpoints(kafka: KafkaConnection, topic: str, group: str,
                          checkpoints: CheckpointSettings, trusted: TrustedKeys,
                          stop_at_end: bool, signatures: AuditSignatures | None = None
                          ) -> SinkStats:
    topics = [name.strip() for name in topic.split(",") if name.strip()]
    await require_topics(kafka, topics)  # a missing one is an error, never created by reading
    await ensure_topics(kafka, [checkpoints.topic], partitions=1)
    resumed = resume_points((e.value for e in await read_all(kafka, checkpoints.topic)),
                            trusted, topics)
    counts = await partition_counts(kafka, topics)
    tps = [TopicPartition(t, p) for t in topics for p in range(counts[t])]
    consumer = kafka.consumer(group_id=group, enable_auto_commit=False,
                              auto_offset_reset="earliest",
                              isolation_level="read_committed")  # workers write in transactions
    producer = kafka.producer(acks="all")
    await producer.start()
    await consumer.start()
    server = None
    try:
        consumer.assign(tps)
        for tp in tps:
            checkpoint = resumed.get((tp.topic, tp.partition))
            if checkpoint is None:
                await consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, checkpoint.offset + 1)
        log.info("audit checkpoints: resuming %s", ", ".join(
            f"{tp.topic}[{tp.partition}] after seq {resumed[(tp.topic, tp.partition)].seq}"
            if (tp.topic, tp.partition) in resumed else f"{tp.topic}[{tp.partition}] from "
            "its beginning" for tp in tps))
        store = RecentRecords({where: Head(c.seq, c.hash) for where, c in resumed.items()})
        sink = AuditSink(consumer, store, None, checkpointer_for(checkpoints, producer, store),
                         signatures)
        if not stop_at_end:
            server = serve_sink_metrics(sink, "audit-checkpoint")
        return await sink.run(stop_at_end=stop_at_end)
    finally:
        if server is not None:
            server.stop()
        await consumer.stop()
        await producer.stop()
