"""The audit trail through a real broker: chains that verify across a worker restart, and the
warehouse sink loading the audit topic into DuckDB and PostgreSQL without duplicates."""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest

from streams.config import Topics
from streams.signing import RecordKind
from tests.cli_fork_server import run_cli
from tests.conftest import WorkerFactory
from tests.kafka_io import Record, collect, produce, produce_in_transaction

pytestmark = pytest.mark.integration


def results(start: int, count: int) -> list[tuple[bytes, bytes]]:
    out = []
    for i in range(start, start + count):
        output = {"note": f"customer {i} mailed bob{i}@example.org"} if i % 3 else {"n": i}
        doc = {"job_id": f"job-{i}", "agent_id": "agent-1", "action": "job.support.reply",
               "tenant": "acme", "output": output}
        out.append((f"job-{i}".encode(), json.dumps(doc).encode()))
    return out


def audit_records(bootstrap: str, topics: Topics, at_least: int) -> list[Record]:
    seen = collect(bootstrap, [topics.audit], done=lambda s: len(s[topics.audit]) >= at_least,
                   timeout=90)
    assert len(seen[topics.audit]) >= at_least, "the worker did not audit every result in time"
    return seen[topics.audit]


def afterguard(bootstrap: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(args, env={"KAFKA_BOOTSTRAP_SERVERS": bootstrap, "PATH": "/usr/bin:/bin"})


def test_audit_chain_verifies_clean_and_continues_across_a_worker_restart(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        tmp_path: Path) -> None:
    app_id = f"afterguard-test-{uuid.uuid4().hex[:8]}"
    first = start_worker(topics, AFTERGUARD_APP_ID=app_id)
    produce(kafka_bootstrap, topics.inputs[0], results(0, 30))
    audit_records(kafka_bootstrap, topics, 30)
    assert first.stop() == 0

    start_worker(topics, AFTERGUARD_APP_ID=app_id)  # same group, new worker id
    produce(kafka_bootstrap, topics.inputs[0], results(30, 30))
    records = audit_records(kafka_bootstrap, topics, 60)

    assert len({r.json()["event_id"] for r in records}) == 60
    by_partition: dict[int, list[dict[str, Any]]] = {}
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        by_partition.setdefault(record.partition, []).append(record.json())
    for partition, chain in by_partition.items():
        assert [r["chain"]["seq"] for r in chain] == list(range(1, len(chain) + 1))
        assert {r["chain"]["partition"] for r in chain} == {partition}
        assert {r["source"]["partition"] for r in chain} == {partition}
    deciders = [r["decider"] for chain in by_partition.values() for r in chain]
    assert {"test-worker-0", "test-worker-1"} <= set(deciders), "both workers wrote the chain"

    verified = afterguard(kafka_bootstrap, "audit", "verify", "--topic", topics.audit)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"OK: {len(records)} records in 3 partition(s)" in verified.stdout

    # An export verifies the same; an edited export does not.
    export = tmp_path / "audit.jsonl"
    assert afterguard(kafka_bootstrap, "audit", "export", "--topic", topics.audit,
                      "--out", str(export)).returncode == 0
    assert afterguard(kafka_bootstrap, "audit", "verify", "--file", str(export)).returncode == 0
    lines = export.read_text().splitlines()
    lines[5] = lines[5].replace('"agent-1"', '"agent-2"')
    export.write_text("\n".join(lines) + "\n")
    tampered = afterguard(kafka_bootstrap, "audit", "verify", "--file", str(export))
    assert tampered.returncode == 1
    assert "edited at line 6: content does not match its hash" in tampered.stdout


def loaded_audit_topic(kafka_bootstrap: str, topics: Topics,
                       start_worker: WorkerFactory) -> list[Record]:
    """40 decisions audited by a real worker, plus one audit record emitted twice (as after a
    crash before the input offsets were committed)."""
    start_worker(topics)
    produce(kafka_bootstrap, topics.inputs[0], [*results(0, 40), (b"bad", b"{not json")])
    records = audit_records(kafka_bootstrap, topics, 40)
    # the worker signs what it re-emits, into the partition of its chain (the key, the source
    # topic and job_id, does not choose the audit partition: the source partition does)
    produce_in_transaction(kafka_bootstrap, [(topics.audit, records[0].key, records[0].value,
                                              RecordKind.AUDIT_RECORD)],
                           commit=True, partition=records[0].partition)
    return records


def sink(bootstrap: str, topics: Topics, *args: str) -> str:
    done = afterguard(bootstrap, "audit", "sink", "--topic", topics.audit, "--stop-at-end",
                      "--checkpoint-topic", f"{topics.audit}.checkpoints", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_sink_loads_the_audit_topic_into_duckdb_and_parquet_idempotently(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        tmp_path: Path) -> None:
    loaded_audit_topic(kafka_bootstrap, topics, start_worker)
    where = ["--duckdb", str(tmp_path / "audit.duckdb"), "--parquet-dir", str(tmp_path / "pq")]
    assert sink(kafka_bootstrap, topics, *where) == (
        "read 41; inserted 40; skipped 1 (1 already loaded, 0 not audit records); "
        "conflicts 0; checkpoints 3; table holds 40 rows")
    assert sink(kafka_bootstrap, topics, *where) == (
        "read 0: nothing new on the topic since the last run (--replay reads it again); "
        "checkpoints 0; table holds 40 rows"), "offsets were committed"
    # a replay skips every record it read, and says so
    assert sink(kafka_bootstrap, topics, *where, "--replay") == (
        "read 41; inserted 0; skipped 41 (41 already loaded, 0 not audit records); "
        "conflicts 0; checkpoints 0; table holds 40 rows")

    db = duckdb.connect(str(tmp_path / "audit.duckdb"), read_only=True)
    assert db.execute("SELECT count(*), count(DISTINCT event_id), count(DISTINCT job_id) "
                      "FROM afterguard_audit").fetchone() == (40, 40, 40)
    assert db.execute("SELECT count(*) FROM afterguard_audit WHERE decision = 'REDACT'"
                      ).fetchone() == (26,)
    parquet = str(tmp_path / "pq" / "afterguard_audit.parquet")
    assert db.execute(f"SELECT count(*) FROM read_parquet('{parquet}')").fetchone() == (40,)


def test_sink_loads_the_audit_topic_into_postgresql_idempotently(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        postgres_url: str) -> None:
    loaded_audit_topic(kafka_bootstrap, topics, start_worker)
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        schema = f"t{uuid.uuid4().hex[:8]}"
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{postgres_url}?options=-csearch_path%3D{schema}"
    assert sink(kafka_bootstrap, topics, "--postgres", url) == (
        "read 41; inserted 40; skipped 1 (1 already loaded, 0 not audit records); "
        "conflicts 0; checkpoints 3; table holds 40 rows")
    assert sink(kafka_bootstrap, topics, "--postgres", url, "--replay") == (
        "read 41; inserted 0; skipped 41 (41 already loaded, 0 not audit records); "
        "conflicts 0; checkpoints 0; table holds 40 rows")
    with psycopg.connect(url) as conn:
        counts = conn.execute("SELECT count(*), count(DISTINCT event_id), "
                              "count(*) FILTER (WHERE record->'chain'->>'hash' = chain_hash) "
                              "FROM afterguard_audit").fetchone()
    assert counts == (40, 40, 40)


def test_audit_chain_stays_intact_when_a_second_worker_joins(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory) -> None:
    app_id = f"afterguard-test-{uuid.uuid4().hex[:8]}"
    start_worker(topics, AFTERGUARD_APP_ID=app_id)
    produce(kafka_bootstrap, topics.inputs[0], results(0, 30))
    audit_records(kafka_bootstrap, topics, 30)
    start_worker(topics, AFTERGUARD_APP_ID=app_id)  # a rebalance hands it some partitions
    produce(kafka_bootstrap, topics.inputs[0], results(30, 60))
    records = audit_records(kafka_bootstrap, topics, 90)
    assert len({r.json()["event_id"] for r in records}) == 90
    assert {r.json()["decider"] for r in records} == {"test-worker-0", "test-worker-1"}
    verified = afterguard(kafka_bootstrap, "audit", "verify", "--topic", topics.audit)
    assert verified.returncode == 0, verified.stdout + verified.stderr
