"""Signed checkpoints make the audit trail prove itself through a real broker: the sink signs
the chain heads it verified; `audit verify --checkpoints` then catches a cut tail and a chain
recomputed by someone who can write the topic (both invisible to the chain alone), and a
forged checkpoint. The sink refuses edited and conflicting records (`audit_conflicts`)."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path

import duckdb
import pytest

from streams.audit.canonical import canonical_bytes
from streams.audit.chain import GENESIS, record_hash
from streams.config import Topics
from streams.kafka_admin import ensure_topics
from tests.conftest import WorkerFactory
from tests.integration.test_audit import afterguard, audit_records, results
from tests.kafka_io import connection, produce

pytestmark = pytest.mark.integration


def verify(bootstrap: str, topic: str, *args: str) -> subprocess.CompletedProcess[str]:
    return afterguard(bootstrap, "audit", "verify", "--topic", topic,
                      "--checkpoint-topic", f"{topic}.checkpoints", *args)


def rechain(lines: list[bytes], partition: int, edit_seq: int) -> list[bytes]:
    """What someone who can read and write the audit data does: change one record of a
    partition and recompute that partition's chain so that it verifies again."""
    out, previous = [], GENESIS
    for line in lines:
        record = json.loads(line)
        if record["chain"]["partition"] != partition:
            out.append(line)
            continue
        if record["chain"]["seq"] == edit_seq:
            record["agent_id"] = "agent-innocent"
        record["chain"]["prev_hash"] = previous
        record["chain"]["hash"] = previous = record_hash(record)
        out.append(canonical_bytes(record))
    return out


def replace_topic(bootstrap: str, topic: str, lines: list[bytes]) -> None:
    async def run() -> None:
        admin = connection(bootstrap).admin()
        await admin.start()
        try:
            await admin.delete_topics([topic])
        finally:
            await admin.close()
        for _ in range(50):  # deletion completes in the background
            try:
                await ensure_topics(connection(bootstrap), [topic], partitions=3)
                break
            except Exception:  # noqa: BLE001 - retried until the old topic is gone
                await asyncio.sleep(0.2)
        producer = connection(bootstrap).producer(acks="all")
        await producer.start()
        try:
            for line in lines:
                partition = json.loads(line)["chain"]["partition"]
                await producer.send_and_wait(topic, line, partition=partition)
        finally:
            await producer.stop()

    asyncio.run(run())


def test_checkpoints_catch_a_cut_tail_a_rechained_chain_and_a_forged_checkpoint(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        tmp_path: Path) -> None:
    start_worker(topics)
    produce(kafka_bootstrap, topics.inputs[0], results(0, 18))
    audit_records(kafka_bootstrap, topics, 18)
    done = afterguard(kafka_bootstrap, "audit", "sink", "--topic", topics.audit, "--stop-at-end",
                      "--checkpoint-topic", f"{topics.audit}.checkpoints",
                      "--duckdb", str(tmp_path / "a.duckdb"), "--parquet-dir", str(tmp_path))
    assert done.returncode == 0 and "conflicts 0; checkpoints 3" in done.stdout, done.stderr
    ok = verify(kafka_bootstrap, topics.audit, "--checkpoints")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "3 signed checkpoint(s)" in ok.stdout

    export, cps = tmp_path / "audit.jsonl", tmp_path / "checkpoints.jsonl"
    assert afterguard(kafka_bootstrap, "audit", "export", "--topic", topics.audit,
                      "--out", str(export)).returncode == 0
    assert afterguard(kafka_bootstrap, "audit", "checkpoints", "--checkpoint-topic",
                      f"{topics.audit}.checkpoints", "--out", str(cps)).returncode == 0
    db = duckdb.connect(str(tmp_path / "a.duckdb"), read_only=True)
    assert db.execute("SELECT count(*) FROM afterguard_audit_checkpoints").fetchone() == (3,)
    db.close()
    lines = export.read_bytes().splitlines()
    partition = json.loads(lines[0])["chain"]["partition"]
    last = max(i for i, line in enumerate(lines)
               if json.loads(line)["chain"]["partition"] == partition)

    # A cut tail: the chain alone verifies, the checkpoint does not.
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(b"\n".join(lines[:last] + lines[last + 1:]) + b"\n")
    assert verify(kafka_bootstrap, topics.audit, "--file", str(cut)).returncode == 0
    caught = verify(kafka_bootstrap, topics.audit, "--file", str(cut), "--checkpoint-file",
                    str(cps))
    assert caught.returncode == 1 and f"truncated in partition {partition}" in caught.stdout

    # A recomputed chain: valid links, but not the chain the checkpoint signed.
    forged = rechain(lines, partition, edit_seq=2)
    rechained = tmp_path / "rechained.jsonl"
    rechained.write_bytes(b"\n".join(forged) + b"\n")
    assert verify(kafka_bootstrap, topics.audit, "--file", str(rechained)).returncode == 0
    caught = verify(kafka_bootstrap, topics.audit, "--file", str(rechained),
                    "--checkpoint-file", str(cps))
    assert caught.returncode == 1 and f"rechained in partition {partition}" in caught.stdout

    # The same forgery written over the topic itself (someone with admin rights): its records
    # carry no worker signature, so the chain alone fails now too; the checkpoints catch it.
    replace_topic(kafka_bootstrap, topics.audit, forged)
    unsigned = verify(kafka_bootstrap, topics.audit)
    assert unsigned.returncode == 1, unsigned.stdout
    assert unsigned.stdout.count("bad_signature") == len(forged), unsigned.stdout
    caught = verify(kafka_bootstrap, topics.audit, "--checkpoints")  # no signed link is left
    assert caught.returncode == 1 and "truncated" in caught.stdout, caught.stdout

    # A checkpoint "signed" by anyone but a trusted audit key is refused.
    checkpoint = json.loads(cps.read_bytes().splitlines()[0])
    checkpoint["seq"] += 100
    produce(kafka_bootstrap, f"{topics.audit}.checkpoints",
            [(b"forged", json.dumps(checkpoint).encode())])
    caught = verify(kafka_bootstrap, topics.audit, "--file", str(export), "--checkpoints")
    assert caught.returncode == 1 and "bad_checkpoint" in caught.stdout


def test_the_sink_refuses_edited_and_conflicting_records_into_audit_conflicts(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        tmp_path: Path) -> None:
    start_worker(topics)
    produce(kafka_bootstrap, topics.inputs[0], results(0, 9))
    records = audit_records(kafka_bootstrap, topics, 9)
    first = records[0].json()
    edited = {**first, "agent_id": "agent-innocent"}  # the hash no longer matches
    produce(kafka_bootstrap, topics.audit, [(records[0].key, json.dumps(edited).encode())])
    done = afterguard(kafka_bootstrap, "audit", "sink", "--topic", topics.audit, "--stop-at-end",
                      "--no-checkpoints", "--duckdb", str(tmp_path / "a.duckdb"),
                      "--parquet-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "inserted 9" in done.stdout and "conflicts 1" in done.stdout
    assert "ALERT" in done.stderr
    db = duckdb.connect(str(tmp_path / "a.duckdb"), read_only=True)
    # the edited bytes are not what the worker signed: refused before the chain is looked at
    assert db.execute("SELECT problem, event_id FROM audit_conflicts").fetchall() == [
        ("bad_signature", first["event_id"])]
    assert db.execute("SELECT agent_id FROM afterguard_audit WHERE event_id = ?",
                      [first["event_id"]]).fetchone() == (first["agent_id"],)
