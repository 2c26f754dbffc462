"""What every faust app of Afterguard shares: topics of raw bytes.

(A faust app's broker and credentials come from `KafkaConnection.faust_options()`.)
"""

from __future__ import annotations

import asyncio
from typing import Any

import faust


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
