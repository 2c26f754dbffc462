"""`trust.identities` through a real broker and worker: a result that borrows another agent's
id on an input topic is a dead letter, decided and audited under no one's name; one that names
no tenant is decided as its topic's tenant, so another tenant's rows are quarantined."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from policies import shipped_policy_path
from streams.config import Topics
from tests.conftest import WorkerFactory
from tests.kafka_io import collect, produce

pytestmark = pytest.mark.integration


def _result(job_id: str, agent_id: str, output: dict[str, Any], **claims: Any,
            ) -> tuple[bytes, bytes]:
    doc = {"job_id": job_id, "agent_id": agent_id, "action": "job.crm.read", "output": output,
           **claims}
    return job_id.encode(), json.dumps(doc).encode()


def test_a_borrowed_agent_id_is_a_dead_letter_and_a_missing_tenant_is_the_topics(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        tmp_path: Path) -> None:
    policy = yaml.safe_load(shipped_policy_path("default").read_text())
    policy["trust"]["identities"] = [{"id": "crm-readers", "topics": ["*.agent.actions"],
                                      "agents": ["support-bot-*"], "tenant": "acme"}]
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(yaml.safe_dump(policy))
    start_worker(topics, AFTERGUARD_POLICY=str(policy_file))

    rows = {"rows": [{"tenant_id": "globex", "customer": "c-9", "balance": 10}]}
    produce(kafka_bootstrap, topics.inputs[0], [
        _result("job-own", "support-bot-1", {"note": "all done"}, tenant="acme"),
        _result("job-borrowed", "billing-bot-1", {"note": "all done"}, tenant="acme"),
        _result("job-no-tenant", "support-bot-1", rows),
    ])
    wanted = (topics.released, topics.quarantine, topics.deadletter, topics.audit)
    seen = collect(kafka_bootstrap, list(wanted),
                   done=lambda s: len(s[topics.audit]) >= 2 and len(s[topics.deadletter]) >= 1,
                   timeout=90)

    audited = {r.json()["job_id"]: r.json() for r in seen[topics.audit]}
    assert set(audited) == {"job-own", "job-no-tenant"}
    assert audited["job-no-tenant"]["tenant"] == "acme"
    assert audited["job-no-tenant"]["payload"]["decision"] == "QUARANTINE"
    assert [r.json()["job_id"] for r in seen[topics.released]] == ["job-own"]
    [letter] = [r.json() for r in seen[topics.deadletter]]
    assert letter["error"] == "invalid_record" and "crm-readers" in letter["reason"]
    assert "billing-bot-1" not in json.dumps(letter)
