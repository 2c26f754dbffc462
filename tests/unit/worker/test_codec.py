"""Decoding: valid action results pass, everything else gets a readable reason without values."""

from __future__ import annotations

import json

import pytest

from streams.worker.codec import Decoded, RawRecord, Rejected, decode


def raw(value: bytes | None) -> RawRecord:
    return RawRecord("in", 0, 7, b"k", value)


VALID = {"job_id": "j", "agent_id": "a", "action": "job.x", "output": {"a": [1, "b"]}}


@pytest.mark.parametrize(("value", "error", "reason"), [
    (None, "missing_value", "the record has no value (tombstone)"),
    (b"{nope", "not_json", ("the value is not JSON: Expecting property name enclosed in double "
                            "quotes at line 1 column 2")),
    (b"\xc3\x28", "not_json", "the value is not UTF-8 text"),
    (b"[1, 2]", "not_an_object", "the value is JSON list, not an object"),
    (b'{"job_id": "j", "agent_id": "a", "action": "x", "output": NaN}', "not_json",
     "the value holds NaN or Infinity, which JSON does not allow"),
    # A lone surrogate encoded as UTF-8 bytes (CESU-style) is not UTF-8 text.
    (b'{"job_id": "j", "agent_id": "a", "action": "x", "output": "\xed\xa0\x80"}',
     "not_json", "the value is not UTF-8 text"),
    # Escaped, it is valid JSON but no UTF-8 text can carry it.
    (b'{"job_id": "j", "agent_id": "a", "action": "x", "output": "\\ud800"}', "not_json",
     ("the value holds an unpaired surrogate escape (\\ud800-\\udfff), which UTF-8 text "
      "cannot carry")),
    (json.dumps({"agent_id": "a", "action": "x", "output": 1}).encode(), "invalid_record",
     "missing required field 'job_id'"),
    (json.dumps({"job_id": "j", "agent_id": "a", "action": "x"}).encode(), "invalid_record",
     "missing required field 'output'"),
    (json.dumps({**VALID, "job_id": 5}).encode(), "invalid_record",
     "field 'job_id': Input should be a valid string"),
    (json.dumps({**VALID, "audience": "public"}).encode(), "invalid_record",
     "field 'audience': Input should be 'internal' or 'customer'"),
])
def test_rejects_with_a_readable_reason(value: bytes | None, error: str, reason: str) -> None:
    assert decode(raw(value)) == Rejected(error, reason)


def test_reason_never_quotes_the_offending_value() -> None:
    secret = "457-55-5462"
    rejected = decode(raw(json.dumps({**VALID, "affected_users": secret}).encode()))
    assert isinstance(rejected, Rejected)
    assert "affected_users" in rejected.reason and secret not in rejected.reason


def test_valid_record_decodes_with_a_hash_of_its_canonical_form() -> None:
    reordered = json.dumps(dict(reversed(list(VALID.items()))), indent=2).encode()
    first, second = decode(raw(json.dumps(VALID).encode())), decode(raw(reordered))
    assert isinstance(first, Decoded) and isinstance(second, Decoded)
    assert first.result.job_id == "j" and first.result.output == {"a": [1, "b"]}
    assert first.job_hash == second.job_hash and first.job_hash.startswith("sha256:")
