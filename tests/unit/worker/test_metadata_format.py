"""Metadata fields are copied verbatim into released, review and audit records, so they must be
identifiers: a record whose metadata carries an e-mail address, free text, a URL or a blob goes
to the dead-letter topic, with a reason that never quotes the value."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from detectors import DetectorEngine
from policies import HashKey, load_policy, shipped_policy_path
from streams.config import Topics
from streams.worker.codec import Decoded, RawRecord, Rejected, decode
from streams.worker.pipeline import Pipeline

VALID = {"job_id": "job-2026.11:0001", "agent_id": "support_agent-7",
         "action": "job.support.lookup-customer", "tenant": "acme",
         "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "risk_tags": ["prod", "write"],
         "output": "ok"}
SSN_TEXT = "ssn 457-55-5462"
EMAIL = "ann.lee@example.com"
BASE64_KEY = "QUtJQUlPU0ZPRE5ON0VYQU1QTEU6d0phbHJYVXRuRkVNSS9LN01ERU5HL2JQeFJmaUNZ"


def raw(doc: dict[str, Any]) -> RawRecord:
    return RawRecord("in", 0, 1, b"k", json.dumps(doc).encode())


def test_identifiers_in_common_shapes_pass() -> None:
    assert isinstance(decode(raw(VALID)), Decoded)


@pytest.mark.parametrize(("field", "value"), [
    ("job_id", EMAIL), ("job_id", SSN_TEXT), ("job_id", "j" * 129), ("job_id", "-leading-dash"),
    ("agent_id", "Ann Lee"), ("agent_id", "agent\u200b7"), ("agent_id", "ａｇｅｎｔ"),
    ("action", "https://example.com/hook?token=abc"), ("action", "job.*"), ("action", "a" * 257),
    ("tenant", BASE64_KEY + "=="), ("tenant", "acme/../other"),
    ("trace_id", "call +1 415 555 0100"), ("trace_id", "line\nbreak"),
    ("risk_tags", ["prod", EMAIL]), ("risk_tags", ["t"] * 33),
])
def test_metadata_that_is_not_an_identifier_is_a_dead_letter(field: str, value: Any) -> None:
    rejected = decode(raw({**VALID, field: value}))
    assert isinstance(rejected, Rejected) and rejected.error == "invalid_record"
    assert f"field '{field}" in rejected.reason
    for secret in (EMAIL, SSN_TEXT, BASE64_KEY, "Ann Lee", "415 555 0100"):
        assert secret not in rejected.reason


def test_metadata_carrying_pii_is_never_released_nor_audited() -> None:
    pipeline = Pipeline(DetectorEngine(), load_policy(shipped_policy_path("default")),
                        HashKey.from_secret(b"k" * 32), Topics(inputs=("in",)), "w-1")
    emits = pipeline.process([raw({**VALID, "trace_id": EMAIL}),
                              raw({**VALID, "agent_id": SSN_TEXT})],
                             datetime(2026, 11, 21, tzinfo=UTC))
    assert {e.topic for e in emits} == {"afterguard.deadletter"}
    for emit in emits:
        letter = json.loads(emit.value)
        assert EMAIL not in letter["reason"] and SSN_TEXT not in letter["reason"]
