"""The ids agents send (UUID job ids, 32-hex trace ids) pass the metadata check, and a secret or
personal number hidden in such an id (hex, base64, base32 or UTF-16 of it, a Mailgun key in a
UUID's shape) is still found and the result refused, whatever the check skips on ids that are
not text when decoded."""

from __future__ import annotations

import base64
import random
import uuid

import pytest

from policies import load_policy, shipped_policy_path
from policies.action_result import ActionResult
from streams.worker.metadata_scan import MetadataScanner

POLICY = load_policy(shipped_policy_path("default"))
UUID = "4bf92f35-77b3-4da6-a3ce-929d0e0e4736"
HIDDEN = [  # (field, value, entity, detector)
    ("trace_id", "ssn 219-09-9998 ".encode().hex(), "US_SSN", "hex:us-ssn"),
    ("trace_id", "4111111111111111".encode().hex(), "CREDIT_CARD", "hex:credit-card"),
    ("trace_id", "AKIAIOSFODNN7EXAMPLE".encode().hex(), "CREDENTIAL", "hex:aws-access-key-id"),
    ("job_id", f"{UUID}.{base64.urlsafe_b64encode(b'219-09-9998').decode().rstrip('=')}",
     "US_SSN", "base64:us-ssn"),
    ("job_id", "x." + base64.urlsafe_b64encode("219-09-9998".encode("utf-16-le")).decode()
     .rstrip("="), "US_SSN", "base64:us-ssn"),
    ("job_id", "run:" + base64.b32encode(b"call 555-867-5309").decode().rstrip("="),
     "PHONE_NUMBER", "base32:phone-number-regions"),
    ("job_id", "0123456789abcdef0123456789abcdef-0123abcd-4567ef01", "CREDENTIAL",
     "mailgun-key"),
]


def _result(**fields: str) -> ActionResult:
    return ActionResult.model_validate({"job_id": UUID, "agent_id": "support-agent-7",
                                        "action": "job.support.reply", "output": None,
                                        **fields})


@pytest.mark.parametrize(("field", "value", "entity", "detector"), HIDDEN)
def test_a_secret_hidden_in_an_agents_id_is_refused(field: str, value: str, entity: str,
                                                     detector: str) -> None:
    scanner = MetadataScanner(POLICY)
    assert [(f.entity, f.detector) for f in scanner.findings({field: value})] == [
        (entity, detector)]
    rejected = scanner.check(_result(**{field: value}))
    assert rejected is not None and rejected.error == "sensitive_metadata"
    assert f"field '{field}' holds a value detected as {entity}" in rejected.reason
    assert value not in rejected.reason


def test_fresh_uuid_job_ids_and_hex_trace_ids_pass() -> None:
    rng = random.Random(15)
    scanner = MetadataScanner(POLICY)
    results = [_result(job_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                       trace_id=f"{rng.getrandbits(128):032x}") for _ in range(600)]
    assert scanner.check_each(results) == [None] * len(results)
