"""The pure pipeline: one batch in, the records to produce out; every failure fails closed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from detectors import DetectorEngine, Finding
from policies import HashKey, LoadedPolicy, load_policy, shipped_policy_path
from streams.config import Topics
from streams.deadletter.sealing import DeadLetterKey
from streams.deadletter.store import open_letter
from streams.records import DeadLetter
from streams.worker.codec import RawRecord
from streams.worker.pipeline import Emit, Pipeline

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
TOPICS = Topics(inputs=("in",))
SSN = "457-55-5462"


DEADLETTER_KEY = DeadLetterKey(b"d" * 32)


def pipeline(engine: DetectorEngine | None = None, policy: LoadedPolicy | None = None
             ) -> Pipeline:
    return Pipeline(engine or DetectorEngine(),
                    policy or load_policy(shipped_policy_path("default")),
                    HashKey.from_secret(b"k" * 32), TOPICS, "worker-1",
                    deadletter_key=DEADLETTER_KEY)


def record(offset: int, output: Any, **extra: Any) -> RawRecord:
    doc = {"job_id": f"j{offset}", "agent_id": "a", "action": "job.support.x", "output": output,
           **extra}
    return RawRecord("in", 0, offset, f"j{offset}".encode(), json.dumps(doc).encode())


def by_topic(emits: list[Emit]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for emit in emits:
        out.setdefault(emit.topic, []).append(json.loads(emit.value))
    return out


def test_each_valid_result_gets_one_decision_and_one_audit_record() -> None:
    emits = pipeline().process([record(1, {"ssn": SSN}), record(2, "fine"),
                                RawRecord("in", 0, 3, None, b"oops")], NOW)
    out = by_topic(emits)
    assert [d["job_id"] for d in out["afterguard.released"]] == ["j1", "j2"]
    assert [a["job_id"] for a in out["afterguard.audit"]] == ["j1", "j2"]
    assert [d["source"]["offset"] for d in out["afterguard.deadletter"]] == [3]


def test_audit_summarises_findings_with_keyed_hashes_never_values() -> None:
    emits = pipeline().process([record(1, {"ssn": SSN, "alt": SSN})], NOW)
    audit = by_topic(emits)["afterguard.audit"][0]
    assert {(f["entity"], f["path"], f["count"]) for f in audit["payload"]["findings"]} == {
        ("US_SSN", "ssn", 1), ("US_SSN", "alt", 1)}
    hashes = {h for f in audit["payload"]["findings"] for h in f["value_hashes"]}
    assert len(hashes) == 1, "the same value gives the same keyed hash"
    assert SSN not in json.dumps(audit)


def test_event_ids_are_stable_when_a_record_is_reprocessed() -> None:
    first = by_topic(pipeline().process([record(5, "x")], NOW))["afterguard.audit"][0]
    again = by_topic(pipeline().process([record(5, "x")], NOW))["afterguard.audit"][0]
    assert first["event_id"] == again["event_id"]


def test_oversize_payload_is_quarantined_unscanned() -> None:
    big = record(1, "a" * 2_000_000)
    decision = by_topic(pipeline().process([big], NOW))["afterguard.quarantine"][0]
    assert decision["decision"] == "QUARANTINE"
    assert decision["reasons"] == ["payload_too_large"]


class BrokenEngine(DetectorEngine):
    """Fails on any output that mentions 'boom', like a detector bug on odd input."""

    def scan(self, value: Any, tenant: str | None = None) -> list[Finding]:
        if "boom" in json.dumps(value):
            raise RuntimeError("detector bug")
        return super().scan(value, tenant)

    def scan_batch(self, values: Any, tenants: Any = None) -> list[list[Finding]]:
        return [self.scan(v) for v in values]

    def scan_each(self, values: Any, tenants: Any = None, **budget: Any) -> list[Any]:
        if any("boom" in json.dumps(v) for v in values):
            raise RuntimeError("detector bug")
        return super().scan_each(values, tenants, **budget)


def test_detector_error_quarantines_only_the_culprit() -> None:
    out = by_topic(pipeline(BrokenEngine()).process([record(1, "boom"), record(2, "calm")], NOW))
    assert [(d["job_id"], d["reasons"]) for d in out["afterguard.quarantine"]] == [
        ("j1", ["detector_error"])]
    assert [d["job_id"] for d in out["afterguard.released"]] == ["j2"]


def test_policy_error_never_releases(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_: Any) -> None:
        raise ValueError("bad rule")

    monkeypatch.setattr("streams.worker.pipeline.decide", explode)
    out = by_topic(pipeline().process([record(1, "hello")], NOW))
    assert "afterguard.released" not in out
    assert out["afterguard.quarantine"][0]["reasons"] == ["policy_error"]


def test_a_record_that_breaks_the_worker_goes_to_the_dead_letter_topic(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_: Any, **__: Any) -> None:
        raise KeyError("bug")

    monkeypatch.setattr("streams.worker.pipeline.decision_fields", explode)
    out = by_topic(pipeline().process([record(1, {"ssn": SSN})], NOW))
    assert set(out) == {"afterguard.deadletter"}, "nothing released, nothing half-audited"
    letter = out["afterguard.deadletter"][0]
    assert letter["error"] == "processing_error" and "KeyError" in letter["reason"]
    opened = open_letter(DeadLetter.model_validate(letter), DEADLETTER_KEY)
    assert opened.value is not None and SSN in opened.value.decode(), "the input is kept whole"
    assert SSN not in json.dumps(letter), "sealed: nothing readable in the letter"


def test_sampling_failure_sends_the_result_to_review(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_: Any) -> None:
        raise RuntimeError("sampler bug")

    p = pipeline()
    monkeypatch.setattr(p.review, "sample", explode)
    out = by_topic(p.process([record(1, "hello")], NOW))
    assert out["afterguard.released"][0]["decision"] == "ALLOW"
    assert out["afterguard.review"][0]["sampling"]["mandatory_reasons"] == ["sampling_error"]
