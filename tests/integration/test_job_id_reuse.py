"""A job_id reused with other content is flagged through the real broker, by a worker that did
not see the first use: the job ids decided are shared through the `<app id>-job-ids` topic."""

from __future__ import annotations

import json
import uuid

import pytest

from streams.config import Topics
from tests.conftest import WorkerFactory
from tests.kafka_io import collect, produce

pytestmark = pytest.mark.integration


def result(job_id: str, output: str) -> bytes:
    return json.dumps({"job_id": job_id, "agent_id": "agent-a", "action": "job.support.reply",
                       "output": output}).encode()


def test_a_reused_job_id_is_flagged_by_another_worker(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory) -> None:
    app_id = f"afterguard-test-{uuid.uuid4().hex[:8]}"
    first = start_worker(topics, AFTERGUARD_APP_ID=app_id)
    produce(kafka_bootstrap, topics.inputs[0], [(b"k1", result("job-7", "weekly report"))])
    collect(kafka_bootstrap, [topics.audit], done=lambda s: len(s[topics.audit]) >= 1)
    first.stop()

    start_worker(topics, AFTERGUARD_APP_ID=app_id)  # knows job-7 only from the state topic
    produce(kafka_bootstrap, topics.inputs[0], [
        (b"k2", result("job-7", "key AKIAIOSFODNN7EXAMPLE")),  # other content, same job_id
        (b"k3", result("job-8", "fine")),
    ])
    seen = collect(kafka_bootstrap, [topics.audit, topics.review],
                   done=lambda s: len(s[topics.audit]) >= 3)
    audits = [r.json() for r in seen[topics.audit]]
    assert len(audits) == 3, "every result decided on its own; nothing overwritten"
    flagged = [a for a in audits if "job_id_reused" in a["sampling"]["mandatory_reasons"]]
    assert [(a["job_id"], a["payload"]["decision"]) for a in flagged] == [("job-7", "QUARANTINE")]
    hashes = {a["job_hash"] for a in audits if a["job_id"] == "job-7"}
    assert len(hashes) == 2
    assert any("job_id_reused" in r.json()["sampling"]["mandatory_reasons"]
               for r in seen[topics.review])
