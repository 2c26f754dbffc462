"""End to end through a real broker: action results in, decisions, dead letters and audit out."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from streams.config import Topics
from streams.deadletter.sealing import DeadLetterKey
from streams.deadletter.store import open_letter
from streams.kafka_admin import ensure_topics
from streams.kafka_connection import plaintext
from streams.records import DeadLetter
from tests.conftest import WorkerFactory
from tests.kafka_io import Record, collect, produce

pytestmark = pytest.mark.integration

SSN = "457-55-5462"
API_KEY = "AKIAZ3MSJV4WWLQ7PXNE"


def result(job_id: str, output: Any, **extra: Any) -> tuple[bytes, bytes]:
    document = {"job_id": job_id, "agent_id": "support-agent-7",
                "action": "job.support.lookup-customer", "tenant": "acme", "output": output,
                **extra}
    return job_id.encode(), json.dumps(document).encode()


def by_key(records: list[Record]) -> dict[str, Any]:
    return {r.job_id: r.json() for r in records}


def test_decisions_dead_letters_and_audit_through_a_real_broker(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        tmp_path: Path) -> None:
    deadletter_key = DeadLetterKey.generate()
    (tmp_path / "dl.key").write_text(deadletter_key.secret.hex())
    start_worker(topics, AFTERGUARD_DEADLETTER_KEY_FILE=str(tmp_path / "dl.key"))
    ssn_output = {"response": {"customers": [{"name": "Ann", "ssn": SSN, "plan": "gold"}]}}
    clean_output = {"orders": 42, "window": "24h", "tags": ["a", "b"], "ratio": 0.5}
    inputs = [
        (b"bad-1", b"{this is not json"),
        (b"bad-2", json.dumps({"job_id": "bad-2", "action": "job.x", "output": {}}).encode()),
        result("ssn-1", ssn_output),
        result("clean-1", clean_output, risk_tags=["read"]),
        result("key-1", {"log": f"connecting with {API_KEY} to s3"}, audience="internal"),
    ]
    produce(kafka_bootstrap, topics.inputs[0], inputs)

    seen = collect(kafka_bootstrap, [topics.released, topics.quarantine, topics.deadletter,
                                     topics.audit],
                   done=lambda s: (len(s[topics.released]) >= 2 and len(s[topics.audit]) >= 3
                                   and len(s[topics.quarantine]) >= 1
                                   and len(s[topics.deadletter]) >= 2))
    released = by_key(seen[topics.released])
    quarantined = by_key(seen[topics.quarantine])
    letters = [DeadLetter.model_validate_json(r.value) for r in seen[topics.deadletter]]
    opened = {id(letter): open_letter(letter, deadletter_key) for letter in letters}
    dead = {(opened[id(letter)].key or b"").decode(): {**letter.model_dump(mode="json"),
                                                       "value": opened[id(letter)].value}
            for letter in letters}

    # An SSN is redacted, and the redaction is recorded.
    assert released["ssn-1"]["decision"] == "REDACT"
    customer = released["ssn-1"]["output"]["response"]["customers"][0]
    assert customer == {"name": "Ann", "ssn": "[REDACTED:US_SSN]", "plan": "gold"}
    assert SSN not in seen[topics.released][0].value.decode() + seen[topics.released][1].value.decode()
    assert {(r["path"], r["entity"]) for r in released["ssn-1"]["redactions"]} == {
        ("response.customers[0].ssn", "US_SSN")}

    # A clean result is released unchanged.
    assert released["clean-1"]["decision"] == "ALLOW"
    assert released["clean-1"]["output"] == clean_output
    assert released["clean-1"]["redactions"] == []

    # An API key quarantines, and is not released.
    assert set(quarantined) == {"key-1"}
    assert quarantined["key-1"]["decision"] == "QUARANTINE"
    assert "credentials-quarantine" in quarantined["key-1"]["rule_ids"]
    assert "key-1" not in released

    # Malformed records land in the dead-letter topic with their bytes (sealed), place, reason.
    assert set(dead) == {"bad-1", "bad-2"}
    assert dead["bad-1"]["error"] == "not_json"
    assert dead["bad-1"]["value"] == b"{this is not json"
    assert b"this is not json" not in b"".join(r.value for r in seen[topics.deadletter])
    assert dead["bad-1"]["source"]["topic"] == topics.inputs[0]
    assert isinstance(dead["bad-1"]["source"]["offset"], int)
    assert "missing required field 'agent_id'" in dead["bad-2"]["reason"]

    # Every valid input has exactly one audit record, with the evidence and no raw values.
    audit_keys = [r.job_id for r in seen[topics.audit]]
    assert sorted(audit_keys) == ["clean-1", "key-1", "ssn-1"]
    audits = by_key(seen[topics.audit])
    canonical = json.dumps(json.loads(inputs[2][1]), sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False).encode()
    assert audits["ssn-1"]["job_hash"] == "sha256:" + hashlib.sha256(canonical).hexdigest()
    assert audits["ssn-1"]["policy_snapshot"] == released["ssn-1"]["policy_snapshot"]
    assert audits["ssn-1"]["decider"] == "test-worker-0"
    all_audit_text = b"".join(r.value for r in seen[topics.audit]).decode()
    assert SSN not in all_audit_text and API_KEY not in all_audit_text


def test_worker_reads_several_input_topics_and_survives_bad_input(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory) -> None:
    second = topics.inputs[0] + ".second"
    asyncio.run(ensure_topics(plaintext(kafka_bootstrap), [second], partitions=2))
    both = topics.model_copy(update={"inputs": (topics.inputs[0], second)})
    worker = start_worker(both)
    produce(kafka_bootstrap, topics.inputs[0], [(b"x", b"\xc3\x28 not utf-8"),
                                                result("first-1", {"ok": True})])
    produce(kafka_bootstrap, second, [result("second-1", {"note": "mail bob@example.org"})])

    seen = collect(kafka_bootstrap, [topics.released, topics.deadletter],
                   done=lambda s: len(s[topics.released]) >= 2 and len(s[topics.deadletter]) >= 1)
    released = by_key(seen[topics.released])
    assert released["first-1"]["decision"] == "ALLOW"
    assert released["second-1"]["output"] == {"note": "mail [REDACTED:EMAIL_ADDRESS]"}
    [letter] = [r.json() for r in seen[topics.deadletter]]
    assert letter["reason"] == "the value is not UTF-8 text"
    assert worker.proc.poll() is None, "the worker must keep running after bad input"
