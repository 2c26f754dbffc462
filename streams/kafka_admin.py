"""Small Kafka chores shared by the CLI, the demo, benchmarks and tests."""

from __future__ import annotations

from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError


async def ensure_topics(bootstrap: str, names: Iterable[str], partitions: int = 1,
                        compacted: bool = False) -> None:
    """Create the topics that do not exist yet (compacted ones keep the last value per key)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        configs = {"cleanup.policy": "compact"} if compacted else {}
        missing = [NewTopic(name, partitions, 1, topic_configs=configs)
                   for name in dict.fromkeys(names) if name not in existing]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass  # created concurrently by another worker or by auto-creation
    finally:
        await admin.close()
