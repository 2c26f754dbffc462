"""Issue 16, logs: a worker with AFTERGUARD_LOG_FORMAT=json on a stream of secrets and PII,
with poison records that make it warn and dead-letter, writes one JSON event per line, each
naming its service and worker, the warnings about records saying where they are (topic,
partition, offset, job hash), and no line holds a planted value or job id."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from policies import shipped_policy_path
from streams.config import Topics
from tests.conftest import WorkerFactory
from tests.kafka_io import collect, produce

pytestmark = pytest.mark.integration

SSN = "457-55-5462"
CARD = "4111 1111 1111 1111"
API_KEY = "AKIAZ3MSJV4WWLQ7PXNE"
EMAIL = "jane.doe.canary@example.com"
PASSWORD = "hunter2-Canary-Pw!"
PLANTED = (SSN, "457555462", CARD, "4111111111111111", API_KEY, EMAIL, PASSWORD, "hunter2")


def fast_budget_policy(folder: Path) -> Path:
    """The default policy with a 1 ms scan budget: a large output's scan goes over it (a
    warning about that record) and fails closed."""
    document = yaml.safe_load(shipped_policy_path("default").read_text())
    document["limits"]["scan_timeout_ms"] = 1
    path = folder / "policy.yaml"
    path.write_text(yaml.safe_dump(document))
    return path


def result(job_id: str, output: Any, **extra: Any) -> tuple[bytes, bytes]:
    return job_id.encode(), json.dumps({
        "job_id": job_id, "agent_id": "support-agent-7",
        "action": "job.support.lookup-customer", "tenant": "acme", "output": output,
        **extra}).encode()


def test_json_logs_are_one_event_per_line_and_hold_no_planted_value(
        topics: Topics, start_worker: WorkerFactory, kafka_bootstrap: str,
        tmp_path: Path) -> None:
    worker = start_worker(topics, AFTERGUARD_LOG_FORMAT="json",
                          AFTERGUARD_POLICY=str(fast_budget_policy(tmp_path)))
    jobs = [f"canary-{n}-{uuid.uuid4().hex[:10]}" for n in range(6)]
    secrets_output = {"customer": {"ssn": SSN, "card": CARD, "email": EMAIL},
                      "env": {"AWS_ACCESS_KEY_ID": API_KEY, "password": PASSWORD}}
    records = [
        result(jobs[0], secrets_output),
        result(jobs[0], {"note": f"other content under the same job id {EMAIL}"}),  # reuse
        # 200 KB, 15,000 values (within max_values: parsed): over the 1 ms scan budget
        result(jobs[1], {"dump": [secrets_output] * 1000}),
        (jobs[2].encode(), f"{{not json {SSN} {API_KEY} {PASSWORD}".encode()),
        (jobs[3].encode(), b"\xff\xfe" + SSN.encode() + b"\x80"),  # not UTF-8
        result(jobs[4], {"ssn": SSN}, agent_id=EMAIL),  # metadata that is not an identifier
        (jobs[5].encode(), ("[" * 5000 + f'"{SSN}"' + "]" * 5000).encode()),  # too deep
        (f"key-{SSN}-{EMAIL}".encode(), f"{PASSWORD} {CARD}".encode()),
    ]
    produce(kafka_bootstrap, topics.inputs[0], records)
    seen = collect(kafka_bootstrap, [topics.audit, topics.deadletter],
                   done=lambda s: len(s[topics.audit]) >= 3 and len(s[topics.deadletter]) >= 5)
    # (jobs[0] twice and jobs[1] decided, the other five dead letters: were the awaited counts
    # wrong, the wait would end at collect's timeout, a minute later, and prove nothing)
    assert (len(seen[topics.audit]), len(seen[topics.deadletter])) == (3, 5)
    worker.stop()

    lines = worker.log_text().splitlines()
    events = []
    for number, line in enumerate(lines, 1):
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"log line {number} is not JSON: {line[:200]!r}")
    assert len(events) >= 5
    for event in events:
        assert {"ts", "level", "logger", "service", "worker_id", "message"} <= set(event)
        assert event["service"] == "worker" and event["worker_id"] == "test-worker-0"
    text = "\n".join(lines)
    for planted in (*PLANTED, *jobs):
        assert planted not in text, f"{planted!r} is in the log"

    reused = [e for e in events if "seen again with other content" in e["message"]]
    assert reused and reused[0]["job_hash"].startswith("sha256:")
    assert reused[0]["topic"] == topics.inputs[0] and "offset" in reused[0]
    over_budget = [e for e in events if "budget" in e["message"] and e["level"] == "WARNING"]
    assert over_budget and {"topic", "partition", "offset"} <= set(over_budget[0])
