"""The review queue service through a real broker: claim, decide, release; refusals; second
review; concurrent pulls; and open claims surviving a restart of the service."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from streams.audit.verify import Entry, verify
from streams.cli import main
from streams.config import Topics
from tests.conftest import WorkerFactory
from tests.kafka_io import Record, collect, produce
from tests.review_service import (
    SIGNED_HOLD,
    SIGNED_ITEM,
    ReviewerClients,
    ServiceFactory,
    quarantine_record,
    review_item,
    write_policy,
)

pytestmark = pytest.mark.integration


def values(records: list[Record]) -> list[dict[str, Any]]:
    return [r.json() for r in records]


def chains_intact(records: list[Record]) -> int:
    reports = verify(Entry(r.partition, r.offset, r.value) for r in records)
    assert not [p for r in reports.values() for p in r.problems]
    return sum(r.checked for r in reports.values())


def pull_ids(client: ReviewerClients, group: str, reviewer: str) -> list[str]:
    return [e["entry_id"] for e in client.pull(group, reviewer)["claimed"]]


def test_claim_decide_release_through_the_cli(kafka_bootstrap: str, topics: Topics,
                                              start_review: ServiceFactory,
                                              tmp_path: Path) -> None:
    service = start_review(topics, write_policy(tmp_path))
    produce(kafka_bootstrap, topics.review, [review_item(n) for n in (1, 2, 3)], sign=SIGNED_ITEM)
    produce(kafka_bootstrap, topics.quarantine, [quarantine_record(n) for n in (1, 2, 3)],
        sign=SIGNED_HOLD)
    url = ["--url", service.client.url]
    ann_token = tmp_path / "ann.token"
    ann_token.write_text(service.client.token("ann"))
    run = CliRunner(env={"AFTERGUARD_REVIEW_TOKEN_FILE": str(ann_token)}).invoke
    pulled = run(main, ["review", "pull", *url, "--group", "ops-review"])
    deadline = time.monotonic() + 30  # the items reach the service's queue one by one
    while time.monotonic() < deadline:
        if "claimed 3" in pulled.output or "you hold 3 open" in pulled.output:
            break
        time.sleep(0.2)
        pulled = run(main, ["review", "pull", *url, "--group", "ops-review"])
    assert "claimed 3" in pulled.output or "you hold 3 open" in pulled.output, pulled.output
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps({"log": "cleaned by ann"}))
    def decide_once_held(*args: str) -> Any:
        # a release needs that item's quarantined result at the service first; the three
        # held results reach it one by one, in no particular order relative to the claims
        deadline = time.monotonic() + 30
        result = run(main, ["review", "decide", *url, *args])
        while "not reached the review service" in result.output and time.monotonic() < deadline:
            time.sleep(0.3)
            result = run(main, ["review", "decide", *url, *args])
        return result

    approve = decide_once_held("rv-1", "approve", "--comment", "false positive")
    assert approve.exit_code == 0 and "approve recorded" in approve.output, approve.output
    modify = decide_once_held("rv-2", "modify", "--output", str(edited),
                              "--comment", "debug log removed")
    assert modify.exit_code == 0, modify.output
    reject = run(main, ["review", "decide", *url, "rv-3", "reject",
                        "--severity", "policy_violation", "--comment", "wrong account"])
    assert reject.exit_code == 0 and "released" not in reject.output
    again = CliRunner(env={"AFTERGUARD_REVIEW_TOKEN": service.client.token("bob")}).invoke(
        main, ["review", "decide", *url, "rv-3", "approve"])
    assert again.exit_code == 1 and "refused: item rv-3 was already decided: reject by ann" \
        in again.output
    seen = collect(kafka_bootstrap, [topics.released, topics.verdicts, topics.review_audit],
                   done=lambda s: len(s[topics.review_audit]) >= 3)
    released = {r["job_id"]: r["output"] for r in values(seen[topics.released])}
    assert released == {"job-1": {"log": "held output 1"}, "job-2": {"log": "cleaned by ann"}}
    verdicts = {v["job_id"]: v for v in values(seen[topics.verdicts])}
    assert {j: v["verdict"] for j, v in verdicts.items()} == \
        {"job-1": "approve", "job-2": "modify", "job-3": "reject"}
    assert all(v["approver_id"] == "ann" and v["policy_snapshot"].startswith("2026.11.1:")
               and v["job_hash"].startswith("sha256:") and v["claimed_at"]
               for v in verdicts.values())
    assert verdicts["job-3"]["severity"] == "policy_violation"
    audits = values(seen[topics.review_audit])
    assert [(a["event_type"], a["approver_id"]) for a in audits] == [("verdict", "ann")] * 3
    assert "cleaned by ann" not in json.dumps(audits), "the audit trail holds only a hash"
    assert chains_intact(seen[topics.review_audit]) == 3
    stats = run(main, ["review", "stats", *url])
    assert "ops-review: 3 items, 0 open" in stats.output, stats.output
    assert "credentials-quarantine: 33% of 3" in stats.output


def test_worker_to_reviewer_to_release_with_both_audit_chains_intact(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        start_review: ServiceFactory, tmp_path: Path) -> None:
    policy = write_policy(tmp_path)
    start_worker(topics, AFTERGUARD_POLICY=str(policy))
    service = start_review(topics, policy)
    produce(kafka_bootstrap, topics.inputs[0], [
        (b"key-1", json.dumps({"job_id": "key-1", "agent_id": "agent-a", "action": "job.ops.run",
                               "output": {"log": "token ghp_abcdefghijklmnopqrstuvwxyz0123456789"}
                               }).encode())])
    deadline = time.monotonic() + 60
    claimed: list[str] = []
    while not claimed and time.monotonic() < deadline:
        claimed = pull_ids(service.client, "security-team", "sam")
        time.sleep(0.3)
    [item_id] = claimed
    shown = service.client.show(item_id, "sam")
    assert "ghp_" not in json.dumps(shown), "the reviewer sees the entity, never the value"
    assert service.client.decide(item_id, "approve", "sam")["released"] is True
    seen = collect(kafka_bootstrap, [topics.released, topics.audit, topics.review_audit],
                   done=lambda s: len(s[topics.released]) >= 1 and
                   len(s[topics.review_audit]) >= 1)
    [released] = values(seen[topics.released])
    assert released["job_id"] == "key-1" and "released after review" in released["reasons"][-1]
    for topic in (topics.audit, topics.review_audit):
        result = CliRunner().invoke(main, ["audit", "verify", "--bootstrap", kafka_bootstrap,
                                           "--topic", topic])
        assert result.exit_code == 0 and "every chain intact" in result.output, result.output

    # The warehouse gets the decision and the verdict from both audit topics in one table.
    database = tmp_path / "audit.duckdb"
    loaded = CliRunner().invoke(main, [
        "audit", "sink", "--bootstrap", kafka_bootstrap, "--stop-at-end",
        "--topic", f"{topics.audit},{topics.review_audit}", "--duckdb", str(database),
        "--parquet-dir", str(tmp_path / "pq"), "--group", f"sink-{topics.audit}"])
    assert loaded.exit_code == 0, loaded.output
    rows = duckdb.connect(str(database), read_only=True).execute(
        "SELECT event_type, job_id FROM afterguard_audit ORDER BY event_type").fetchall()
    assert rows == [("decision", "key-1"), ("verdict", "key-1")]
