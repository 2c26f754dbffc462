"""What every faust app of Afterguard shares: topics of raw bytes, read as a
`read_committed` consumer.

(A faust app's broker and credentials come from `KafkaConnection.faust_options()`.)
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiokafka
import faust
from faust.transport.drivers import aiokafka as faust_aiokafka


def read_committed(app: faust.App) -> faust.App:
    """Have `app`'s consumer read only committed records; call it before the app makes its
    topics or agents.

    The worker and the review service write their outputs in Kafka transactions, and an
    aborted one (a failed commit, a fenced instance) is written again by the retry. faust reads
    `read_uncommitted` unless the app itself is exactly-once (`processing_guarantee`, which
    would also make faust's producer transactional), so the review service queued review items
    and held quarantined outputs of aborted transactions."""
    app.transport = _ReadCommittedTransport(app.conf.broker_consumer, app)
    return app


class _ReadCommittedConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> aiokafka.AIOKafkaConsumer:
        consumer = super()._create_worker_consumer(transport)
        # faust passes no way to choose it; the fetcher is made from this when it starts
        consumer._isolation_level = "read_committed"
        return consumer


class _ReadCommittedConsumer(faust_aiokafka.Consumer):
    def _new_consumer_thread(self) -> faust_aiokafka.AIOKafkaConsumerThread:
        return _ReadCommittedConsumerThread(self, loop=self.loop, beacon=self.beacon)


class _ReadCommittedTransport(faust_aiokafka.Transport):
    Consumer = _ReadCommittedConsumer


def raw_topic(app: faust.App, *names: str) -> Any:
    """A faust topic whose keys and values are bytes as on the wire (we encode ourselves)."""
    return app.topic(*names, key_type=bytes, value_type=bytes, key_serializer="raw",
                     value_serializer="raw")


def track_table_changelogs(app: faust.App) -> None:
    """Keep the producer's metadata covering every table's changelog topic.

    A table with `use_partitioner=True` picks a changelog partition from the producer's
    metadata, synchronously. Once aiokafka's producer has sent to any topic, its metadata
    covers only the topics it has sent to, so the first write to another table's changelog
    found no partitions and crashed the agent ("'NoneType' object is not iterable"); seen in
    the review service when a review item and a quarantine hold arrive some time apart. The
    changelogs are tracked from the start instead."""

    @app.task  # type: ignore[untyped-decorator]  # faust does not type its task decorator
    async def track_changelog_topics() -> None:
        # the aiokafka producer inside faust's (ProducerT does not declare it)
        producer = app.producer._ensure_producer()  # type: ignore[attr-defined]
        names = [table.changelog_topic.get_topic_name() for table in app.tables.values()]
        await asyncio.gather(*(producer.client.add_topic(name) for name in names))
