"""Every topic is created with the partitions its writer needs, whichever service starts first.

The unfavourable order: the worker starts first on a cluster where no topic exists yet. It
creates every topic (AFTERGUARD_CREATE_TOPICS), the review service's audit topic included;
before, it gave that one its own 3 partitions, and the review service, the topic's only
writer, keeps one hash chain in 1 partition.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

from streams.config import Settings, Topics
from streams.kafka_admin import missing_topics, partition_counts
from streams.kafka_connection import KafkaConnection, plaintext
from streams.topic_plan import topic_plan
from tests.conftest import WorkerFactory
from tests.review_service import ServiceFactory, write_policy

pytestmark = pytest.mark.integration


def fresh_topics() -> Topics:
    prefix = f"c{uuid.uuid4().hex[:8]}"
    return Topics(inputs=(f"{prefix}.agent.actions",), released=f"{prefix}.released",
                  quarantine=f"{prefix}.quarantine", review=f"{prefix}.review",
                  audit=f"{prefix}.audit", deadletter=f"{prefix}.deadletter",
                  verdicts=f"{prefix}.review.verdicts", review_audit=f"{prefix}.audit.review",
                  autonomy=f"{prefix}.autonomy", autonomy_audit=f"{prefix}.audit.autonomy",
                  audit_checkpoints=f"{prefix}.audit.checkpoints")


def existing_counts(kafka: KafkaConnection, names: list[str]) -> dict[str, int]:
    async def run() -> dict[str, int]:
        absent = set(await missing_topics(kafka, names))
        present = [name for name in names if name not in absent]
        return await partition_counts(kafka, present) if present else {}

    return asyncio.run(run())


def test_the_worker_started_first_creates_each_topic_as_its_writer_needs(
        kafka_bootstrap: str, start_worker: WorkerFactory, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    topics, app_id = fresh_topics(), f"afterguard-test-{uuid.uuid4().hex[:8]}"
    settings = Settings(topics=topics, app_id=app_id)
    plan = topic_plan(settings)
    kafka = plaintext(kafka_bootstrap)
    assert existing_counts(kafka, list(plan)) == {}, "no topic exists before the worker starts"

    start_worker(topics, AFTERGUARD_APP_ID=app_id)
    created = existing_counts(kafka, list(plan))
    assert topics.review_audit in created, "the worker creates every topic up front"
    assert created[topics.review_audit] == 1, "the review service writes one chain"
    assert created == {name: plan[name].partitions for name in created}

    # the review service starts on the worker's topics, and finds the partitions it needs
    review = start_review(topics, write_policy(tmp_path), env=None,
                          AFTERGUARD_APP_ID=app_id)
    assert "partitions; its writer" not in review.process.log_text()
    after = existing_counts(kafka, list(plan))
    assert after == {name: plan[name].partitions for name in after}
    assert after[topics.review_audit] == 1
