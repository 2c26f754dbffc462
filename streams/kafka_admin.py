"""Small Kafka chores shared by the CLI, the demo, benchmarks and tests."""

from __future__ import annotations

from collections.abc import Iterable

from aiokafka.admin import NewTopic
from aiokafka.errors import TopicAlreadyExistsError

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


class MissingTopic(LookupError):
    """Topics a command or service reads do not exist. Raised before anything reads them, and
    nothing was created: naming a topic in a metadata request makes a broker with
    `auto.create.topics.enable=true` (Kafka's default) create it, so existence is checked by
    listing the topics instead."""

    def __init__(self, topics: Iterable[str], bootstrap_servers: str) -> None:
        self.topics = tuple(topics)
        self.bootstrap_servers = bootstrap_servers
        names = ", ".join(self.topics)
        super().__init__(f"topic{'s' if len(self.topics) > 1 else ''} {names} "
                         f"{'do' if len(self.topics) > 1 else 'does'} not exist on "
                         f"{bootstrap_servers}; nothing was read and nothing was created "
                         "(check the topic name: its option or AFTERGUARD_TOPIC_* setting)")


async def missing_topics(kafka: KafkaConnection, names: Iterable[str]) -> list[str]:
    """The topics of `names` that do not exist, asked without naming them to the broker (so a
    broker that auto-creates topics does not create them)."""
    admin = kafka.admin()
    await admin.start()
    try:
        existing = set(await admin.list_topics())
    finally:
        await admin.close()
    return [name for name in dict.fromkeys(names) if name not in existing]


async def require_topics(kafka: KafkaConnection, names: Iterable[str]) -> None:
    """Raise MissingTopic unless every topic exists."""
    missing = await missing_topics(kafka, names)
    if missing:
        raise MissingTopic(missing, kafka.bootstrap_servers)


async def partition_counts(kafka: KafkaConnection, topics: Iterable[str]) -> dict[str, int]:
    """Each topic's partition count; MissingTopic (a LookupError) when one does not exist,
    which is checked first so that describing it never creates it."""
    names = list(dict.fromkeys(topics))
    admin = kafka.admin()
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [name for name in names if name not in existing]
        if missing:
            raise MissingTopic(missing, kafka.bootstrap_servers)
        described = await admin.describe_topics(names)
    finally:
        await admin.close()
    counts = {}
    for topic in described:
        if topic.get("error_code"):
            raise LookupError(f"topic {topic.get('topic')} cannot be described "
                              f"(error {topic['error_code']})")
        counts[topic["topic"]] = len(topic["partitions"])
    return counts
