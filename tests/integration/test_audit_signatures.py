"""Audit records appended by anyone who can write the audit topic. The chain is plain SHA-256,
so a record whose `prev_hash` is a partition's head extends it: before the worker signed its
audit records, the sink loaded such a record and checkpointed it as verified, `audit
checkpoint` signed a checkpoint over it, `audit verify` passed, and the worker resumed its
chain from it. Now the worker signs each audit record (one batch signature per decided batch,
as review items) and every reader refuses an unsigned one at its offset."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import duckdb
import pytest

from streams.audit.chain import record_hash
from streams.config import Topics
from tests.conftest import WorkerFactory
from tests.integration.test_audit import afterguard, audit_records, results, sink
from tests.integration.test_audit_checkpoints import verify
from tests.kafka_io import Record, connection, produce

pytestmark = pytest.mark.integration


def forged_after(head: Record) -> dict[str, Any]:
    """A well-formed record linked after `head`, as a writer of the topic without a key makes."""
    forged: dict[str, Any] = json.loads(head.value)
    forged["event_id"] = str(uuid.uuid4())
    forged["job_id"] = "forged-job"
    chain = forged["chain"]
    forged["chain"] = {"partition": chain["partition"], "seq": chain["seq"] + 1,
                       "prev_hash": chain["hash"]}
    forged["chain"]["hash"] = record_hash(forged)
    return forged


def append(bootstrap: str, topic: str, partition: int, value: bytes) -> None:
    async def run() -> None:
        producer = connection(bootstrap).producer(acks="all")
        await producer.start()
        try:
            await producer.send_and_wait(topic, value, key=b"forged-job", partition=partition)
        finally:
            await producer.stop()

    asyncio.run(run())


def test_an_unsigned_record_appended_at_a_chain_head_is_refused_by_every_reader(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        tmp_path: Path) -> None:
    app_id = f"afterguard-test-{uuid.uuid4().hex[:8]}"
    first = start_worker(topics, AFTERGUARD_APP_ID=app_id)
    produce(kafka_bootstrap, topics.inputs[0], results(0, 12))
    records = audit_records(kafka_bootstrap, topics, 12)
    assert first.stop() == 0
    head = max(records, key=lambda r: (r.json()["chain"]["partition"], r.json()["chain"]["seq"]))
    partition = head.json()["chain"]["partition"]
    forged = forged_after(head)
    append(kafka_bootstrap, topics.audit, partition, json.dumps(forged).encode())

    # a worker started now resumes from the last record it signed, not the appended one
    start_worker(topics, AFTERGUARD_APP_ID=app_id)
    produce(kafka_bootstrap, topics.inputs[0], results(12, 30))
    after = audit_records(kafka_bootstrap, topics, 43)
    appended = next(r for r in after if r.json()["job_id"] == "forged-job")
    linked = [r.json()["chain"] for r in after if r.offset > head.offset
              and r.partition == partition and r.json()["job_id"] != "forged-job"]
    assert linked and linked[0]["seq"] == forged["chain"]["seq"], linked
    assert linked[0]["prev_hash"] == head.json()["chain"]["hash"]

    where = ["--duckdb", str(tmp_path / "audit.duckdb"), "--parquet-dir", str(tmp_path / "pq")]
    assert sink(kafka_bootstrap, topics, *where, "--no-checkpoints") == (
        "read 43; inserted 42; skipped 0 (0 already loaded, 0 not audit records); "
        "conflicts 1; checkpoints 0; table holds 42 rows")
    db = duckdb.connect(str(tmp_path / "audit.duckdb"), read_only=True)
    assert db.execute("SELECT count(*) FROM afterguard_audit WHERE job_id = 'forged-job'"
                      ).fetchone() == (0,)
    assert db.execute("SELECT problem, kafka_partition FROM audit_conflicts").fetchall() == [
        ("bad_signature", partition)]
    db.close()

    done = afterguard(kafka_bootstrap, "audit", "checkpoint", "--topic", topics.audit,
                      "--stop-at-end", "--checkpoint-topic", f"{topics.audit}.checkpoints")
    out = done.stdout + done.stderr
    assert "read 43; chain problems 1" in out and "unsigned audit_record" in out, out

    checked = verify(kafka_bootstrap, topics.audit)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert (f"bad_signature at offset {appended.offset}: unsigned audit_record record"
            in checked.stdout), checked.stdout
    assert checked.stdout.count("bad_signature") == 1, checked.stdout
    assert "broken_link" not in checked.stdout and "conflict" not in checked.stdout
