"""Small Kafka chores shared by the CLI, the demo, benchmarks and tests."""

from __future__ import annotations

from collections.abc import Iterable

from aiokafka.admin import NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from streams.config import Settings
from streams.kafka_connection import KafkaConnection


async def ensure_topics(kafka: KafkaConnection, names: Iterable[str], partitions: int = 1,
                        compacted: bool = False, configs: dict[str, str] | None = None) -> None:
    """Create the topics that do not exist yet (compacted ones keep the last value per key;
    `configs` are further topic settings, e.g. retention)."""
    admin = kafka.admin()
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        settings = {"cleanup.policy": "compact"} if compacted else {}
        settings.update(configs or {})
        missing = [NewTopic(name, partitions, 1, topic_configs=settings)
                   for name in dict.fromkeys(names) if name not in existing]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass  # created concurrently by another worker or by auto-creation
    finally:
        await admin.close()


async def partition_counts(kafka: KafkaConnection, topics: Iterable[str]) -> dict[str, int]:
    admin = kafka.admin()
    await admin.start()
    try:
        described = await admin.describe_topics(list(dict.fromkeys(topics)))
    finally:
        await admin.close()
    counts = {}
    for topic in described:
        if topic.get("error_code"):
            raise LookupError(f"topic {topic.get('topic')} cannot be described "
                              f"(error {topic['error_code']})")
        counts[topic["topic"]] = len(topic["partitions"])
    return counts


async def ensure_all_topics(kafka: KafkaConnection, settings: Settings) -> None:
    """Every topic of every component, as each creates it (for a super user setting up a
    cluster whose components may not create topics themselves)."""
    from streams.autonomy.service import events_topic

    t, partitions = settings.topics, settings.topic_partitions
    await ensure_topics(kafka, [t.autonomy, settings.first_seen_topic], partitions,
                        compacted=True)
    await ensure_topics(kafka, [settings.job_ids_topic], partitions, configs={
        "cleanup.policy": "compact,delete",
        "retention.ms": str(int(settings.job_id_retention_hours * 3_600_000))})
    await ensure_topics(kafka, [t.review_audit], 1)  # one writer, one chain
    await ensure_topics(kafka, [*settings.all_topics(), events_topic(settings)], partitions)
