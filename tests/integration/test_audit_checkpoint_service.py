"""A deployment that runs no `audit sink` (it loads the audit topic with Kafka Connect, or not at
all) still gets signed checkpoints: `afterguard audit checkpoint` verifies the chains and signs
their heads without a warehouse, resuming from its own checkpoints; `audit verify
--checkpoints` then catches a cut tail. Before, only the sink wrote checkpoints: without it,
`audit verify --checkpoints` found none and a cut tail could not be detected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.config import Topics
from tests.conftest import WorkerFactory
from tests.integration.test_audit import afterguard, audit_records, results
from tests.integration.test_audit_checkpoints import verify
from tests.kafka_io import produce

pytestmark = pytest.mark.integration


def checkpoint(bootstrap: str, topics: Topics) -> str:
    done = afterguard(bootstrap, "audit", "checkpoint", "--topic", topics.audit,
                      "--stop-at-end", "--checkpoint-topic", f"{topics.audit}.checkpoints")
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_checkpoints_without_a_sink_catch_a_cut_tail(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        tmp_path: Path) -> None:
    start_worker(topics)
    produce(kafka_bootstrap, topics.inputs[0], results(0, 12))
    audit_records(kafka_bootstrap, topics, 12)
    first = checkpoint(kafka_bootstrap, topics)
    assert "read 12; chain problems 0; checkpoints 3" in first, first
    produce(kafka_bootstrap, topics.inputs[0], results(12, 6))
    audit_records(kafka_bootstrap, topics, 18)
    again = checkpoint(kafka_bootstrap, topics)  # resumes after its own checkpoints
    assert "read 6; chain problems 0" in again and "after seq" in again, again

    ok = verify(kafka_bootstrap, topics.audit, "--checkpoints")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    export, cps = tmp_path / "audit.jsonl", tmp_path / "checkpoints.jsonl"
    assert afterguard(kafka_bootstrap, "audit", "export", "--topic", topics.audit,
                      "--out", str(export)).returncode == 0
    assert afterguard(kafka_bootstrap, "audit", "checkpoints", "--checkpoint-topic",
                      f"{topics.audit}.checkpoints", "--out", str(cps)).returncode == 0
    lines = export.read_bytes().splitlines()
    partition = json.loads(lines[-1])["chain"]["partition"]
    last = max(i for i, line in enumerate(lines)
               if json.loads(line)["chain"]["partition"] == partition)
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(b"\n".join(lines[:last] + lines[last + 1:]) + b"\n")
    assert verify(kafka_bootstrap, topics.audit, "--file", str(cut)).returncode == 0
    caught = verify(kafka_bootstrap, topics.audit, "--file", str(cut), "--checkpoint-file",
                    str(cps))
    assert caught.returncode == 1 and f"truncated in partition {partition}" in caught.stdout
