"""The records of a result are keyed by its source topic and job_id, never by the job_id alone:
an agent that writes another agent's job_id first (on its own topic) cannot make a consumer that
deduplicates (or a topic that compacts) by key drop the other agent's released result (red
team, 28 Nov: the released topic was keyed by the agent's job_id; the worker only flagged the
reuse for review)."""

from __future__ import annotations

import asyncio
import json

import pytest

from streams.config import Topics
from streams.kafka_admin import ensure_topics
from streams.kafka_connection import KafkaConnection
from tests.conftest import WorkerFactory
from tests.kafka_io import Record, collect, produce

pytestmark = pytest.mark.integration


def result(job_id: str, agent_id: str, reply: str) -> tuple[bytes, bytes]:
    document = {"job_id": job_id, "agent_id": agent_id, "action": "job.billing.refund",
                "output": {"reply": reply}}
    return job_id.encode(), json.dumps(document).encode()


def first_by_key(records: list[Record]) -> dict[bytes | None, Record]:
    """What a downstream consumer that deduplicates by key keeps (the first of each key)."""
    kept: dict[bytes | None, Record] = {}
    for record in sorted(records, key=lambda r: (r.json()["decided_at"], r.offset)):
        kept.setdefault(record.key, record)
    return kept


def test_another_topics_result_with_the_same_job_id_is_not_dropped_by_key(
        kafka: KafkaConnection, kafka_bootstrap: str, topics: Topics,
        start_worker: WorkerFactory) -> None:
    victim_topic = topics.inputs[0]
    hostile_topic = victim_topic.replace(".agent.actions", ".hostile.actions")
    asyncio.run(ensure_topics(kafka, [hostile_topic], partitions=3))
    both = topics.model_copy(update={"inputs": (victim_topic, hostile_topic)})
    start_worker(both)

    # The hostile agent writes the victim's next job_id first, on its own topic.
    produce(kafka_bootstrap, hostile_topic, [result("refund-4471", "agent-h", "nothing")])
    collect(kafka_bootstrap, [topics.released], timeout=60, settle=0,
            done=lambda s: len(s[topics.released]) >= 1)
    produce(kafka_bootstrap, victim_topic, [result("refund-4471", "agent-v", "refund sent")])
    seen = collect(kafka_bootstrap, [topics.released, topics.audit], timeout=60,
                   done=lambda s: len(s[topics.released]) >= 2 and len(s[topics.audit]) >= 2)

    released = seen[topics.released]
    kept = [r.json() for r in first_by_key(released).values()]
    assert {"reply": "refund sent"} in [d["output"] for d in kept], \
        "the victim's released result survives a consumer that deduplicates by key"
    assert sorted(r.key or b"" for r in released) == sorted(
        [f"{victim_topic}/refund-4471".encode(), f"{hostile_topic}/refund-4471".encode()])
    assert {r.job_id for r in released} == {"refund-4471"}
    # the audit records are keyed the same way, one per result
    assert sorted(r.key or b"" for r in seen[topics.audit]) == sorted(r.key or b""
                                                                      for r in released)
