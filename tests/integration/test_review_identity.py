"""Issue 11, part 1, through the real broker, worker and review service: an agent that reuses
another agent's job_id can neither replace the held output nor hide its own review item, and
approving one result releases that result only."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from streams.cli import main
from streams.config import Topics
from tests.conftest import WorkerFactory
from tests.kafka_io import collect, produce
from tests.review_service import ServiceFactory, write_policy

pytestmark = pytest.mark.integration

GITHUB_TOKEN = "ghp_" + "abcdefghijklmnopqrstuvwxyz0123456789"
AWS_KEY = "AKIA" + "IOSFODNN7EXAMPLE"


def result(agent: str, log: str) -> tuple[bytes, bytes]:
    return b"job-shared", json.dumps({"job_id": "job-shared", "agent_id": agent,
                                      "action": "job.ops.run", "output": {"log": log}}).encode()


def test_a_reused_job_id_cannot_swap_the_output_a_reviewer_releases(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        start_review: ServiceFactory, tmp_path: Path) -> None:
    policy = write_policy(tmp_path)
    start_worker(topics, AFTERGUARD_POLICY=str(policy))
    service = start_review(topics, policy)
    produce(kafka_bootstrap, topics.inputs[0], [result("agent-honest", f"token {GITHUB_TOKEN}")])
    produce(kafka_bootstrap, topics.inputs[0], [result("agent-attacker", f"key {AWS_KEY}")])
    # Both results are quarantined and both reach the review service before anyone decides.
    collect(kafka_bootstrap, [topics.quarantine, topics.review],
            done=lambda s: len(s[topics.quarantine]) >= 2 and len(s[topics.review]) >= 2)
    url = ["--url", service.client.url]
    run = CliRunner(env={"AFTERGUARD_REVIEW_TOKEN": service.client.token("sam")}).invoke
    claimed: list[str] = []
    deadline = time.monotonic() + 60
    while len(claimed) < 2 and time.monotonic() < deadline:
        pulled = run(main, ["review", "pull", *url, "--group", "security-team"])
        assert pulled.exit_code == 0, pulled.output
        claimed += [line.split()[0] for line in pulled.output.splitlines()
                    if line.startswith("rv-")]
        time.sleep(0.5)
    assert len(claimed) == 2, "two results with one job_id are two review items"
    items = {service.client.show(item_id, "sam")["item"]["agent_id"]: item_id
             for item_id in claimed}
    approved = run(main, ["review", "decide", *url, items["agent-honest"], "approve"])
    while "not reached the review service" in approved.output and time.monotonic() < deadline:
        time.sleep(0.5)  # the quarantine record is on its way to the service
        approved = run(main, ["review", "decide", *url, items["agent-honest"], "approve"])
    assert approved.exit_code == 0, approved.output
    seen = collect(kafka_bootstrap, [topics.released, topics.verdicts],
                   done=lambda s: len(s[topics.released]) >= 1, timeout=30, settle=3)
    released = [r.json() for r in seen[topics.released]]
    assert AWS_KEY not in json.dumps(released), "the attacker's output was never approved"
    assert [r["agent_id"] for r in released] == ["agent-honest"]
    [verdict] = [r.json() for r in seen[topics.verdicts]]
    assert verdict["source"] == released[0]["source"]
    assert verdict["job_hash"] == released[0]["job_hash"]
    # keyed as the worker keys a result's records: by its source topic and job_id
    assert [r.key for r in seen[topics.released]] == [f"{topics.inputs[0]}/job-shared".encode()]
