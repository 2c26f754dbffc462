"""Padding a result with findings keeps it out of neither audit nor review, through the real
broker and worker. Before, a result of ~110 KB holding 8,000 short e-mail addresses (and a
credential) had a review item of ~1.4 MB, over the review topic's limit: the worker
dead-lettered it, so the executed action had no audit record and no review item. Likewise a
result whose redacted output outgrew the released topic. Now the first is quarantined with its
lists summarised past their bound, the second held by reference (`output_too_large`); both are
audited (the chain verifies) and reviewed, and no value reaches the audit or dead-letter topic."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import psycopg
import pytest

from policies import shipped_policy_path
from streams.audit.chain import AuditChain, record_hash
from streams.audit.postgres_store import PostgresWarehouse
from streams.audit.sink import AuditSink
from streams.audit.verify import Entry, verify
from streams.audit.warehouse import stored_record
from streams.config import Topics
from tests.conftest import WorkerFactory
from tests.kafka_io import Record, collect, produce, set_max_message_bytes
from tests.unit.audit.test_sink import FakeConsumer
from tests.unit.worker import test_many_findings as many_findings

pytestmark = pytest.mark.integration

AWS_KEY = "AKIAIOSFODNN7EXAMPLE"


def emails(count: int) -> list[str]:
    """Short, distinct, made-up addresses: each becomes a longer placeholder when redacted."""
    return [f"q{i}@zx{i % 7}.io" for i in range(count)]


def result(job_id: str, output: object) -> tuple[bytes, bytes]:
    return job_id.encode(), json.dumps({"job_id": job_id, "agent_id": "agent-pad",
                                        "action": "job.support.reply", "tenant": "acme",
                                        "output": output}).encode()


def decided(bootstrap: str, topics: Topics, count: int) -> dict[str, list[Record]]:
    """The worker's outputs once `count` results are audited."""
    watched = [topics.released, topics.quarantine, topics.review, topics.audit,
               topics.deadletter]
    return collect(bootstrap, watched, done=lambda seen: len(seen[topics.audit]) >= count,
                   timeout=120, settle=1)


def roomy_policy(tmp_path: Path) -> dict[str, str]:
    """The default policy with a scan budget a loaded CI machine cannot overrun (a result past
    the budget is held without its lists, detector_timeout: not what these tests are about)."""
    policy = tmp_path / "default-roomy-budget.yaml"
    text = shipped_policy_path("default").read_text()
    assert "scan_timeout_ms: 2000" in text
    policy.write_text(text.replace("scan_timeout_ms: 2000", "scan_timeout_ms: 120000"))
    return {"AFTERGUARD_POLICY": str(policy)}


def by_job(records: list[Record]) -> dict[str, dict[str, object]]:
    return {r.job_id: r.json() for r in records}


def assert_audit_verifies(records: list[Record]) -> None:
    reports = verify(Entry(r.partition, r.offset, r.value) for r in records)
    assert reports and all(r.problems == [] for r in reports.values()), reports


def test_a_result_padded_with_thousands_of_findings_is_quarantined_audited_and_reviewed(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        tmp_path: Path) -> None:
    addresses = emails(8_000)
    padded = result("padded", {"note": " ".join(addresses), "key": AWS_KEY})
    assert 100_000 < len(padded[1]) < 130_000
    start_worker(topics, **roomy_policy(tmp_path))
    produce(kafka_bootstrap, topics.inputs[0], [padded, result("plain", {"reply": "done"})])
    seen = decided(kafka_bootstrap, topics, 2)

    assert seen[topics.deadletter] == []  # before: the padded result was dead-lettered
    assert list(by_job(seen[topics.quarantine])) == ["padded"]
    assert list(by_job(seen[topics.released])) == ["plain"]
    audits = by_job(seen[topics.audit])
    assert sorted(audits) == ["padded", "plain"]
    payload = audits["padded"]["payload"]
    assert isinstance(payload, dict) and payload["decision"] == "QUARANTINE"
    cut = payload["redactions_omitted"]
    assert cut["itemised"] + cut["omitted"] == 8_000 and cut["omitted"] > 0
    assert sum(g["count"] for g in cut["groups"]) == cut["omitted"]
    assert_audit_verifies(seen[topics.audit])
    [item] = [r for r in seen[topics.review] if r.job_id == "padded"]
    review = item.json()
    assert review["decision"] == "QUARANTINE"
    assert review["findings_omitted"]["omitted"] > 0
    for record in (*seen[topics.audit], *seen[topics.deadletter], item):
        text = record.value.decode()
        assert AWS_KEY not in text
        assert not any(address in text for address in addresses[::53])


def test_a_redacted_output_too_large_to_release_is_held_for_review_not_released(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        tmp_path: Path) -> None:
    # The input and released topics take records up to 200 KB; redacting ~9,000 short
    # addresses doubles the output, so its released decision cannot be written.
    for topic in (topics.inputs[0], topics.released):
        set_max_message_bytes(kafka_bootstrap, topic, 200_000)
    grown = result("grown", {"note": " ".join(emails(9_000))})
    assert 100_000 < len(grown[1]) < 199_000
    start_worker(topics, **roomy_policy(tmp_path))  # reads the topics' limits at start
    produce(kafka_bootstrap, topics.inputs[0], [grown, result("plain", {"reply": "done"})])
    seen = decided(kafka_bootstrap, topics, 2)

    assert seen[topics.deadletter] == []  # before: dead-lettered, nothing audited
    assert list(by_job(seen[topics.released])) == ["plain"]
    [hold] = by_job(seen[topics.quarantine]).values()
    assert hold["decision"] == "QUARANTINE" and hold["reasons"] == ["output_too_large"]
    reference = hold["output_withheld"]
    assert hold["output"] is None and reference["source"]["topic"] == topics.inputs[0]
    audits = by_job(seen[topics.audit])
    payload = audits["grown"]["payload"]
    assert isinstance(payload, dict)
    assert payload["decision"] == "QUARANTINE" and payload["reasons"] == ["output_too_large"]
    assert_audit_verifies(seen[topics.audit])
    [item] = [r for r in seen[topics.review] if r.job_id == "grown"]
    assert item.json()["reasons"] == ["output_too_large"]


def test_bounded_audit_records_load_into_postgresql_and_verify_from_it(
        postgres_url: str) -> None:
    # The worker's pure path makes the records (as in tests/unit/worker/test_many_findings.py);
    # the sink loads them into a real PostgreSQL, and the chain is recomputed from the JSONB.
    emits = many_findings.decider().decide(
        [many_findings.raw(1, "padded", {"rows": [{"email": a} for a in emails(4_000)]}),
         many_findings.raw(2, "plain", {"reply": "done"})], many_findings.NOW,
        AuditChain.fresh(1))
    values = many_findings.audit_values(emits)
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        schema = f"t{uuid.uuid4().hex[:8]}"
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{postgres_url}?options=-csearch_path%3D{schema}"
    sink = AuditSink(FakeConsumer(values), PostgresWarehouse(url))
    asyncio.run(sink.run(max_seconds=0.5))
    assert (sink.stats.inserted, sink.stats.conflicts) == (2, 0)
    with psycopg.connect(url) as conn:
        stored = [(stored_record(record), chain_hash) for record, chain_hash in conn.execute(
            "SELECT record, chain_hash FROM afterguard_audit ORDER BY chain_seq").fetchall()]
    assert [record_hash(record) for record, _ in stored] == [h for _, h in stored]
    cut = stored[0][0]["payload"]["findings_omitted"]
    assert cut["omitted"] > 0 and cut["groups"][0]["path"] == "rows[*].email"
