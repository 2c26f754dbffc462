"""Sampling through a real broker: mandatory items always reach the review topic, routed to
their reviewer group, and first-time agent actions are remembered across a worker restart."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from streams.config import Topics
from tests.conftest import WorkerFactory
from tests.kafka_io import Record, collect, produce

pytestmark = pytest.mark.integration


def result(job_id: str, agent: str, action: str, output: Any, **extra: Any) -> tuple[bytes, bytes]:
    document = {"job_id": job_id, "agent_id": agent, "action": action, "tenant": "acme",
                "risk_tags": ["read"], "output": output, **extra}
    return job_id.encode(), json.dumps(document).encode()


def by_job(records: list[Record]) -> dict[str, Any]:
    return {r.json()["job_id"]: r.json() for r in records}


def test_mandatory_items_reach_review_routed_and_first_time_survives_restart(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory) -> None:
    app_id = f"afterguard-test-{uuid.uuid4().hex[:8]}"
    first = start_worker(topics, AFTERGUARD_APP_ID=app_id)
    produce(kafka_bootstrap, topics.inputs[0], [
        result("seen-1", "agent-a", "job.support.lookup", {"ok": 1}),
        result("seen-2", "agent-a", "job.support.lookup", {"ok": 2}),
        result("key-1", "agent-a", "job.support.lookup",
               {"log": "token ghp_abcdefghijklmnopqrstuvwxyz0123456789"}),
        result("refund-1", "agent-b", "job.billing.process-refund", {"status": "ok"},
               amount_usd=5000.0, risk_tags=["financial"]),
        result("many-1", "agent-a", "job.support.lookup", {"ok": 3}, affected_users=500),
    ])
    seen = collect(kafka_bootstrap, [topics.review, topics.audit],
                   done=lambda s: len(s[topics.audit]) >= 5)
    reviews = by_job(seen[topics.review])
    audits = by_job(seen[topics.audit])

    assert reviews["key-1"]["sampling"]["reviewer_group"] == "security-team"
    assert "quarantined" in reviews["key-1"]["sampling"]["mandatory_reasons"]
    assert "ghp_" not in json.dumps(reviews["key-1"]), "reviewers never see the raw value"
    assert reviews["key-1"]["findings"][0]["entity"] == "CREDENTIAL"
    assert reviews["refund-1"]["sampling"]["reviewer_group"] == "finance-approvers"
    assert "amount_usd_above:1000" in reviews["refund-1"]["sampling"]["mandatory_reasons"]
    assert "affected_users_above:100" in reviews["many-1"]["sampling"]["mandatory_reasons"]
    first_times = [job for job, a in audits.items()
                   if "first_time_agent_action" in a["sampling"]["mandatory_reasons"]]
    # Once per (agent, action): which of agent-a's lookups comes first depends on the order the
    # worker reads their partitions in, so exactly one of them is the first time.
    lookups = {"seen-1", "seen-2", "key-1", "many-1"}
    assert "refund-1" in first_times and len(first_times) == 2, "once per (agent, action)"
    assert len(lookups & set(first_times)) == 1
    for audit in audits.values():
        sampling = audit["sampling"]
        assert sampling["key_id"].startswith("sampling-key-1@") and 0.0 <= sampling["draw"] < 1.0
        assert sampling["selected"] == (audit["job_id"] in reviews)
    # The agent's claimed `read` tag would lower its sampling rate (weight 0.5): a claim can only
    # tighten, so the trusted view (no bound tags here: the default stratum) decides.
    assert audits["seen-2"]["sampling"]["stratum"] == "default"

    assert first.stop() == 0
    start_worker(topics, AFTERGUARD_APP_ID=app_id)
    produce(kafka_bootstrap, topics.inputs[0], [
        result("seen-3", "agent-a", "job.support.lookup", {"ok": 4}),
        result("new-1", "agent-a", "job.support.close-ticket", {"ok": 5}),
    ])
    later = by_job(collect(kafka_bootstrap, [topics.audit],
                           done=lambda s: len(s[topics.audit]) >= 7)[topics.audit])
    assert "first_time_agent_action" not in later["seen-3"]["sampling"]["mandatory_reasons"]
    assert "first_time_agent_action" in later["new-1"]["sampling"]["mandatory_reasons"]
