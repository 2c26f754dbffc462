"""A running worker picks up a changed policy on SIGHUP; a broken file leaves the old one."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from policies import shipped_policy_path
from streams.config import Topics
from streams.worker.process import WorkerProcess
from tests.conftest import WorkerFactory
from tests.kafka_io import collect, produce

pytestmark = pytest.mark.integration


def result(job_id: str) -> tuple[bytes, bytes]:
    return job_id.encode(), json.dumps({"job_id": job_id, "agent_id": "a", "action": "job.x",
                                        "output": {"ok": True}}).encode()


def snapshots(bootstrap: str, topics: Topics, count: int) -> dict[str, str]:
    seen = collect(bootstrap, [topics.released], settle=0.2,
                   done=lambda s: len(s[topics.released]) >= count)
    return {r.json()["job_id"]: r.json()["policy_snapshot"] for r in seen[topics.released]}


def wait_for_log(worker: WorkerProcess, text: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in worker.log_text():
        assert time.monotonic() < deadline, f"{text!r} not logged:\n{worker.log_text()[-2000:]}"
        time.sleep(0.2)


def test_sighup_reloads_the_policy_and_rejects_a_broken_one(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    original = shipped_policy_path("default").read_text()
    policy.write_text(original)
    worker = start_worker(topics, AFTERGUARD_POLICY=str(policy))
    produce(kafka_bootstrap, topics.inputs[0], [result("before")])
    assert snapshots(kafka_bootstrap, topics, 1)["before"].startswith("2026.11.1:")

    policy.write_text(original.replace('version: "2026.11.1"', 'version: "2026.11.2"'))
    worker.proc.send_signal(signal.SIGHUP)
    wait_for_log(worker, "policy reloaded")
    produce(kafka_bootstrap, topics.inputs[0], [result("after")])
    assert snapshots(kafka_bootstrap, topics, 2)["after"].startswith("2026.11.2:")

    policy.write_text("version: [this is not a policy\n")
    worker.proc.send_signal(signal.SIGHUP)
    wait_for_log(worker, "policy reload rejected")
    produce(kafka_bootstrap, topics.inputs[0], [result("broken")])
    assert snapshots(kafka_bootstrap, topics, 3)["broken"].startswith("2026.11.2:")
    assert worker.proc.poll() is None, "a broken policy file never stops the worker"
