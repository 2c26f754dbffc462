"""Metadata that fits the identifier format can still be a secret or a personal identifier (an
AWS access key id as `job_id`, an SSN as `agent_id`, a card number as `tenant`). Metadata is
copied verbatim into released, review and audit records, so the policy's credential and PII
pattern detectors scan it: a finding sends the record to the dead-letter topic
(`sensitive_metadata`, naming the field and the entity, never the value), sealed so that it can
be replayed after a fix. Ordinary identifiers (UUIDs, ULIDs, `job-123`, hex trace ids,
`tenant:acme`, dates in ids) are decided as usual."""

from __future__ import annotations

import json
import random
import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from detectors import DetectorEngine
from policies import HashKey, load_policy, shipped_policy_path
from streams.config import Topics
from streams.deadletter.sealing import DeadLetterKey
from streams.deadletter.store import open_letter
from streams.records import DeadLetter
from streams.worker.codec import RawRecord
from streams.worker.pipeline import Emit, Pipeline

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
TOPICS = Topics(inputs=("in",))
BASE = {"job_id": "job-1", "agent_id": "support-agent-7", "action": "job.support.reply",
        "tenant": "acme", "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
        "risk_tags": ["prod"], "output": {"note": "all done"}}

AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRETS = [
    ("job_id", AWS_KEY_ID, "CREDENTIAL"),
    ("job_id", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "CREDENTIAL"),
    ("agent_id", "219-09-9998", "US_SSN"),
    ("tenant", "4111111111111111", "CREDIT_CARD"),
    ("trace_id", "4111-1111-1111-1111", "CREDIT_CARD"),
    ("action", "job.call.555-867-5309", "PHONE_NUMBER"),
    ("risk_tags", "DE89370400440532013000", "IBAN_CODE"),
]


def ordinary_ids() -> list[str]:
    rng = random.Random(7)
    crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    return [
        *(str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(300)),
        *("".join(rng.choice(crockford) for _ in range(26)) for _ in range(300)),  # ULIDs
        *(f"{rng.getrandbits(64):016x}" for _ in range(300)),  # trace/span ids
        *(f"{rng.getrandbits(128):032x}" for _ in range(300)),
        *(f"job-{n}" for n in range(0, 100_000, 997)),
        "job-123", "tenant:acme", "acme", "acme-eu", "us-east-1", "agent-7", "support-bot.v2",
        "job.support.process-refund", "prod", "write", "pii", "job-2026-11-27-001",
        "2026-11-27T12:00:00Z", "run_20261127_0001", "order-1234567890", "user:12345",
        "k8s-pod-7f9c6d8b5-x2x9z", "v1.2.3", "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0",
    ]


def record(offset: int, key: bytes | None = None, **fields: Any) -> RawRecord:
    doc = {**BASE, **fields}
    return RawRecord("in", 0, offset, key or doc["job_id"].encode(), json.dumps(doc).encode())


def pipeline(policy: str = "default", key: DeadLetterKey | None = None) -> Pipeline:
    return Pipeline(DetectorEngine(ner_model=None), load_policy(shipped_policy_path(policy)),
                    HashKey.from_secret(b"k" * 32), TOPICS, "w-1", deadletter_key=key)


def letters(emits: list[Emit]) -> list[tuple[Emit, DeadLetter]]:
    return [(e, DeadLetter.model_validate_json(e.value)) for e in emits
            if e.topic == TOPICS.deadletter]


@pytest.mark.parametrize(("field", "value", "entity"), SECRETS)
def test_identifier_shaped_secrets_in_metadata_are_sealed_dead_letters(
        field: str, value: str, entity: str) -> None:
    key = DeadLetterKey.generate()
    bad = record(1, **{field: [value] if field == "risk_tags" else value})
    emits = pipeline(key=key).process([record(0, job_id="job-ok"), bad, record(2, job_id="job-ok2")],
                                      NOW)
    ((letter_emit, letter),) = letters(emits)
    assert letter.error == "sensitive_metadata"
    assert f"'{field}" in letter.reason and entity in letter.reason
    # Nothing of the value in the clear: not in any record written, nor the letter's Kafka key.
    for emit in emits:
        assert value.encode() not in emit.value and value.encode() not in (emit.key or b"")
    assert letter_emit.key == b"in/0/1"
    # Nothing lost: the sealed letter opens to the record as it was (deadletter replay).
    assert open_letter(letter, key).value == bad.value
    # Its batch-mates are decided as usual.
    decided = {json.loads(e.value)["job_id"] for e in emits if e.topic == TOPICS.released}
    assert decided == {"job-ok", "job-ok2"}


@pytest.mark.parametrize("policy", ["default", "strict"])
def test_ordinary_identifiers_are_decided_as_usual(policy: str) -> None:
    ids = ordinary_ids()
    batch = [record(n, job_id=value, trace_id=value, tenant=value, agent_id=value,
                    risk_tags=[value]) for n, value in enumerate(ids)]
    emits = pipeline(policy).process(batch, NOW)
    found = [(json.loads(r.value)["source"]["offset"], letter.reason)
             for r, letter in letters(emits)]
    assert found == [], [(ids[offset], reason) for offset, reason in found]
    assert sum(e.topic == TOPICS.released for e in emits) == len(ids)


def test_an_allow_listed_value_passes_in_metadata_too(tmp_path: Any) -> None:
    """The policy's allow lists apply to metadata as to outputs (e.g. a documented test key)."""
    text = shipped_policy_path("default").read_text()
    assert "\ndetection:\n" in text
    path = tmp_path / "policy.yaml"
    path.write_text(text.replace("\ndetection:\n", "\ndetection:\n  allow:\n    - id: aws-docs\n"
                                 f"      values: [{AWS_KEY_ID}]\n"
                                 "      reason: AWS's documented example key\n", 1))
    allowing = Pipeline(DetectorEngine(ner_model=None), load_policy(path),
                        HashKey.from_secret(b"k" * 32), TOPICS, "w-1")
    emits = allowing.process([record(0, job_id=AWS_KEY_ID)], NOW)
    assert [e.topic for e in emits if e.topic != TOPICS.audit] == [TOPICS.released]


def test_afterguard_scan_reports_sensitive_metadata_and_decides_ordinary_ids(
        tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from streams.cli import main

    key_file = tmp_path / "hash.key"
    key_file.write_text(secrets.token_hex(32))
    monkeypatch.setenv("AFTERGUARD_HASH_KEY_FILE", str(key_file))
    lines = [{**BASE, "job_id": "2b665548-1f21-4eab-98df-1060354a9ce6"},
             {**BASE, "job_id": AWS_KEY_ID},
             {**BASE, "job_id": "01ARZ3NDEKTSV4RRFFQ69G5FAV", "tenant": "tenant:acme",
              "trace_id": "00f067aa0ba902b7"},
             {**BASE, "job_id": "job-4", "tenant": "4111111111111111"}]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    out = CliRunner().invoke(main, ["scan", "--policy", str(shipped_policy_path("default")),
                                    str(source)])
    decided = [json.loads(line)["job_id"] for line in out.stdout.splitlines()]
    assert out.exception is None or isinstance(out.exception, SystemExit), out.output
    assert decided == ["2b665548-1f21-4eab-98df-1060354a9ce6", "01ARZ3NDEKTSV4RRFFQ69G5FAV"]
    assert f"{source}:2: field 'job_id' holds a value detected as CREDENTIAL" in out.output
    assert f"{source}:4: field 'tenant' holds a value detected as CREDIT_CARD" in out.output
    assert AWS_KEY_ID not in out.output and "4111111111111111" not in out.output
    assert out.exit_code == 1
