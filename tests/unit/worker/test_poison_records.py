"""Poison records: whatever bytes an agent writes, each record ends in exactly one decision or
one dead letter, never an exception, and never takes the other records of its batch with it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from detectors import DetectorEngine
from policies import HashKey, load_policy, shipped_policy_path
from policies.loader import parse_policy
from streams.config import Topics
from streams.deadletter.sealing import DeadLetterKey
from streams.deadletter.store import open_letter
from streams.records import DeadLetter
from streams.worker.codec import RawRecord
from streams.worker.pipeline import Emit, Pipeline

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
TOPICS = Topics(inputs=("in",))
SSN = "457-55-5462"
DEFAULT = load_policy(shipped_policy_path("default"))
ENGINE = DetectorEngine()


DEADLETTER_KEY = DeadLetterKey(b"d" * 32)


def pipeline() -> Pipeline:
    return Pipeline(ENGINE, DEFAULT, HashKey.from_secret(b"k" * 32), TOPICS, "w-1",
                    deadletter_key=DEADLETTER_KEY)


def envelope(job_id: str, output_json: str) -> bytes:
    return (f'{{"job_id": "{job_id}", "agent_id": "a", "action": "job.support.x", '
            f'"output": {output_json}}}').encode()


def raw(offset: int, value: bytes) -> RawRecord:
    return RawRecord("in", 0, offset, f"j{offset}".encode(), value)


def nested(depth: int, leaf: str = '"x"', kind: str = "list") -> str:
    if kind == "list":
        return "[" * depth + leaf + "]" * depth
    return '{"a":' * depth + leaf + "}" * depth


def by_topic(emits: list[Emit]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for emit in emits:
        out.setdefault(emit.topic, []).append(json.loads(emit.value))
    return out


POISON = {
    "int_4301_digits": (envelope("p", "1" * 4301), "number_too_large"),
    "int_4301_digits_negative": (envelope("p", "-" + "9" * 4301), "number_too_large"),
    "int_in_attributes": (envelope("p", '"ok"')[:-1] + b', "attributes": {"n": '
                          + b"7" * 5000 + b"}}", "number_too_large"),
    "lists_1000_deep": (envelope("p", nested(1000)), "too_deep"),
    "objects_1000_deep": (envelope("p", nested(1000, kind="object")), "too_deep"),
    "lists_5000_deep": (envelope("p", nested(5000)), "too_deep"),
    "objects_5000_deep": (envelope("p", nested(5000, kind="object")), "too_deep"),
    "deep_and_unclosed": (envelope("p", "[" * 5000), "too_deep"),
    "deep_metadata": (b'{"job_id": "p", "agent_id": "a", "action": "x", "output": 1, '
                      b'"attributes": ' + nested(3000).encode() + b"}", "too_deep"),
    "top_level_5000_deep": (nested(5000).encode(), "too_deep"),
}


@pytest.mark.parametrize("name", sorted(POISON))
def test_a_poison_record_is_a_dead_letter_and_its_batch_is_decided(name: str) -> None:
    value, error = POISON[name]
    batch = [raw(1, envelope("j1", json.dumps({"ssn": SSN}))), raw(2, value),
             raw(3, envelope("j3", '"fine"'))]
    out = by_topic(pipeline().process(batch, NOW))
    assert [d["job_id"] for d in out["afterguard.released"]] == ["j1", "j3"]
    assert [a["job_id"] for a in out["afterguard.audit"]] == ["j1", "j3"]
    [letter] = out["afterguard.deadletter"]
    assert (letter["error"], letter["source"]["offset"]) == (error, 2)
    assert "limits." in letter["reason"]
    opened = open_letter(DeadLetter.model_validate(letter), DEADLETTER_KEY)
    assert opened.value == value, "the bytes are kept whole, sealed"


def test_a_record_over_the_record_limit_is_not_parsed() -> None:
    policy = parse_policy("version: t1\nlimits: {max_record_bytes: 2000, max_payload_bytes: 1000}",
                          "t.yaml")
    p = Pipeline(ENGINE, policy, HashKey.from_secret(b"k" * 32), TOPICS, "w-1")
    out = by_topic(p.process([raw(1, envelope("big", json.dumps("a" * 5000))),
                              raw(2, envelope("mid", json.dumps("a" * 1500))),
                              raw(3, envelope("ok", '"fine"'))], NOW))
    assert [(d["error"], d["source"]["offset"]) for d in out["afterguard.deadletter"]] == [
        ("record_too_large", 1)]
    assert [(d["job_id"], d["reasons"]) for d in out["afterguard.quarantine"]] == [
        ("mid", ["payload_too_large"])], "parsed but over the payload limit: fails closed"
    assert [d["job_id"] for d in out["afterguard.released"]] == ["ok"]


def test_strings_that_look_like_poison_are_ordinary_text() -> None:
    """Brackets and digits inside strings are text: only JSON's own structure counts."""
    tricky = json.dumps({"brackets": "[" * 5000, "digits": "1" * 5000, "quoted": '\\"[[[' * 900})
    out = by_topic(pipeline().process([raw(1, envelope("j1", tricky))], NOW))
    assert [d["job_id"] for d in out["afterguard.released"]] == ["j1"]


@pytest.mark.parametrize("kind", ["list", "object"])
def test_nesting_at_the_limit_goes_through_every_step(kind: str) -> None:
    """At the deepest the policy allows, detectors, redaction, canonical hashing, sampling and
    the audit chain all run: the SSN at the bottom is redacted, the credential quarantined."""
    depth = DEFAULT.policy.limits.max_depth - 1  # the envelope is one level
    ssn = envelope("j1", nested(depth, json.dumps(f"ssn {SSN}"), kind))
    key = envelope("j2", nested(depth, json.dumps("AKIAIOSFODNN7EXAMPLE"), kind))
    out = by_topic(pipeline().process([raw(1, ssn), raw(2, key)], NOW))
    [released] = out["afterguard.released"]
    assert released["decision"] == "REDACT" and SSN not in json.dumps(released)
    [held] = out["afterguard.quarantine"]
    assert held["job_id"] == "j2" and held["decision"] == "QUARANTINE"
    assert len(out["afterguard.audit"]) == 2


def test_the_deepest_policy_limit_is_safe_downstream() -> None:
    """A policy may raise max_depth to its ceiling; nothing downstream recurses out of bounds."""
    policy = parse_policy("version: t1\nlimits: {max_depth: 200}", "t.yaml")
    p = Pipeline(ENGINE, policy, HashKey.from_secret(b"k" * 32), TOPICS, "w-1")
    out = by_topic(p.process([raw(1, envelope("j1", nested(199, json.dumps(f"ssn {SSN}")))),
                              raw(2, envelope("j2", nested(199, kind="object")))], NOW))
    assert sorted(d["job_id"] for d in out["afterguard.released"]) == ["j1", "j2"]
    assert "afterguard.deadletter" not in out


def test_policy_limits_above_what_python_can_parse_are_refused() -> None:
    from policies import PolicyError

    with pytest.raises(PolicyError, match="max_depth"):
        parse_policy("version: t1\nlimits: {max_depth: 1000}", "t.yaml")
    with pytest.raises(PolicyError, match="max_number_digits"):
        parse_policy("version: t1\nlimits: {max_number_digits: 4301}", "t.yaml")
    with pytest.raises(PolicyError, match="max_record_bytes"):
        parse_policy("version: t1\nlimits: {max_record_bytes: 10, max_payload_bytes: 20}", "t.yaml")
