"""An autonomy level belongs to a verified identity, never to a claimed `agent_id`.

Agent B writes topic B and earned level 1 (reviews, a person's sign-off). A second agent writes
topic A (no `trust.identities` entry names either topic) and puts B's `agent_id` in its
results. Before: its results were sampled at B's level, and a safety incident a reviewer
flagged on one of them demoted B. Now the level and the evidence are keyed by the source topic
(Kafka's ACLs say who may write it): A's results are reviewed at level 0 and A's incident
leaves B at level 1. Worker, scorer, CLI and a real broker."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from streams.cli import main
from streams.config import Topics, topic_env
from streams.kafka_admin import ensure_topics
from streams.kafka_connection import KafkaConnection
from tests.conftest import WorkerFactory
from tests.integration.test_autonomy import SIGNED_VERDICT, ScorerFactory, start_scorer
from tests.kafka_io import collect, produce, read_past

pytestmark = pytest.mark.integration
__all__ = ["start_scorer"]  # the fixture, used by name
AGENT, CLASS = "agent-b", "job.support"


def verdict(n: int, topic: str, severity: str = "none") -> tuple[bytes, bytes]:
    """A verdict the review service signs, on a result read from `topic` claiming AGENT."""
    now = datetime.now(UTC).isoformat()
    job = f"job-{uuid.uuid4().hex[:8]}-{n}"
    return job.encode(), json.dumps({
        "verdict_id": f"vd-{job}", "item_id": f"rv-{job}", "job_id": job, "agent_id": AGENT,
        "action": "job.support.lookup", "verdict": "reject" if severity != "none" else "approve",
        "approver_id": "alice", "severity": severity, "reviewer_group": "ops-review",
        "decision": "ALLOW", "policy_snapshot": "2026.11.1:" + "ab" * 8,
        "job_hash": "sha256:" + "0" * 64, "enqueued_at": now, "decided_at": now,
        "source": {"topic": topic, "partition": 0, "offset": n}}).encode()


def result(job_id: str) -> tuple[bytes, bytes]:
    return job_id.encode(), json.dumps({
        "job_id": job_id, "agent_id": AGENT, "action": "job.support.read", "tenant": "acme",
        "risk_tags": ["read"], "output": {"ok": True}}).encode()


def records_of(bootstrap: str, topic: str, done: Any) -> list[dict[str, Any]]:
    seen = collect(bootstrap, [topic], done=lambda s: done([r.json() for r in s[topic]]),
                   timeout=90, settle=0.5)
    return [r.json() for r in seen[topic]]


def latest_by_pair(records: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The newest record per (key, action class); the key is whatever the record is kept
    under (its `identity` where it has one)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for r in records:
        if "totals" not in r:
            continue  # not a level record
        out[(r.get("identity") or r["agent_id"], r["action_class"])] = r
    return out


def test_a_claimed_agent_id_on_another_topic_gets_neither_the_level_nor_the_evidence(
        kafka_bootstrap: str, kafka: KafkaConnection, topics: Topics,
        start_worker: WorkerFactory, start_scorer: ScorerFactory, tmp_path: Path) -> None:
    own, other = topics.inputs[0], f"{topics.inputs[0]}.other"
    asyncio.run(ensure_topics(kafka, [other], partitions=3))
    topics = topics.model_copy(update={"inputs": (own, other)})
    app_id = f"afterguard-test-{uuid.uuid4().hex[:8]}"
    env = {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "AFTERGUARD_APP_ID": app_id,
           "AFTERGUARD_WORKER_ID": "scorer-1"}
    start_scorer(topics, env)
    start_worker(topics)

    # B earns level 1 on its own topic: 50 clean reviews, then a person's sign-off.
    produce(kafka_bootstrap, topics.verdicts, [verdict(n, own) for n in range(50)],
            sign=SIGNED_VERDICT)
    pending = next(r for r in records_of(kafka_bootstrap, topics.autonomy, lambda rs: any(
        r.get("pending") for r in rs)) if r.get("pending"))
    key = pending.get("identity") or pending["agent_id"]
    cli_env = {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "AFTERGUARD_APP_ID": app_id,
               **topic_env(topics)}
    approved = CliRunner().invoke(main, ["autonomy", "approve", key, "--action-class", CLASS,
                                         "--level", "1"], env=cli_env)
    assert approved.exit_code == 0, approved.output
    read_past(kafka_bootstrap, topics.autonomy, topics.deadletter)  # the worker has the level

    # The same claimed id from both topics: B's own result is past level 0, the other's is not.
    produce(kafka_bootstrap, own, [result("own-1")])
    produce(kafka_bootstrap, other, [result("borrowed-1")])
    audits = {a["job_id"]: a for a in records_of(kafka_bootstrap, topics.audit,
                                                 lambda rs: len(rs) >= 2)}
    assert "autonomy_level_0" not in audits["own-1"]["sampling"]["mandatory_reasons"]
    assert "autonomy_level_0" in audits["borrowed-1"]["sampling"]["mandatory_reasons"], \
        "a result claiming B's id on another topic was sampled at B's level"

    # A reviewer flags a safety incident on the other topic's result: it is not B's.
    produce(kafka_bootstrap, topics.verdicts, [verdict(99, other, "safety_incident")],
            sign=SIGNED_VERDICT)
    produce(kafka_bootstrap, topics.verdicts, [verdict(100, own)], sign=SIGNED_VERDICT)
    records = [r for r in records_of(kafka_bootstrap, topics.autonomy, lambda rs: any(
        r.get("totals", {}).get("incidents") == 1 for r in rs) and any(
        r.get("totals", {}).get("reviews") == 51 for r in rs)) if "totals" in r]
    latest = latest_by_pair(records)
    b = latest[(key, CLASS)]
    assert b["totals"]["reviews"] == 51 and b["totals"]["incidents"] == 0
    assert b["level"] == 1, "the other topic's incident demoted B"
    [flagged] = [r for r in latest.values() if r["totals"]["incidents"] == 1]
    assert flagged["level"] == 0 and flagged is not b
