"""Every produced record fits its topic: a big fail-closed hold points at its input record, a
big dead letter keeps its source without the bytes, and what cannot shrink is dead-lettered."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from detectors import DetectorEngine
from policies import HashKey, load_policy, shipped_policy_path
from streams.audit.chain import AuditChain
from streams.config import Topics
from streams.deadletter.sealing import DeadLetterKey
from streams.worker.batch import BatchDecider
from streams.worker.codec import RawRecord
from streams.worker.first_seen import FirstSeen
from streams.worker.output_limits import OutputLimits
from streams.worker.pipeline import Emit, Pipeline
from streams.worker.review_stage import ReviewStage

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
TOPICS = Topics(inputs=("in",))
MB = 1024 * 1024
# As a broker with default settings has them, the input topic raised to 8 MB.
LIMITS = OutputLimits(16 * MB, {"in": 8 * MB, TOPICS.quarantine: 1_048_588,
                                TOPICS.deadletter: 1_048_588, TOPICS.released: 1_048_588,
                                TOPICS.audit: 1_048_588, TOPICS.review: 1_048_588})


def decider() -> BatchDecider:
    first_seen = FirstSeen()
    pipeline = Pipeline(DetectorEngine(), load_policy(shipped_policy_path("default")),
                        HashKey.from_secret(b"k" * 32), TOPICS, "worker-1",
                        review=ReviewStage(None, first_seen.mark),
                        deadletter_key=DeadLetterKey(b"d" * 32))
    return BatchDecider(pipeline, first_seen, LIMITS)


def raw(offset: int, value: bytes, key: bytes = b"k") -> RawRecord:
    return RawRecord("in", 2, offset, key, value)


def result(job_id: str, output: Any) -> bytes:
    return json.dumps({"job_id": job_id, "agent_id": "a", "action": "job.support.x",
                       "output": output}).encode()


def by_topic(emits: list[Emit]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for emit in emits:
        assert LIMITS.fits(emit), f"a record over the limit of {emit.topic}"
        out.setdefault(emit.topic, []).append(json.loads(emit.value))
    return out


def test_a_5_mb_output_is_held_by_reference_to_its_input_record() -> None:
    big = raw(40, result("big", "x" * 5 * MB))
    out = by_topic(decider().decide([raw(39, result("small", "ok")), big], NOW,
                                    AuditChain.fresh(3)))
    [hold] = out[TOPICS.quarantine]
    assert hold["decision"] == "QUARANTINE" and hold["reasons"] == ["payload_too_large"]
    assert hold["output"] is None
    reference = hold["output_withheld"]
    assert reference["source"] == {"topic": "in", "partition": 2, "offset": 40}
    assert reference["job_hash"] == hold["job_hash"]
    assert [a["job_id"] for a in out[TOPICS.audit]] == ["small", "big"]
    assert [d["job_id"] for d in out[TOPICS.released]] == ["small"]


def test_a_big_malformed_record_is_dead_lettered_without_its_bytes() -> None:
    out = by_topic(decider().decide([raw(7, b"{not json" + b" " * 3 * MB)], NOW,
                                    AuditChain.fresh(3)))
    [letter] = out[TOPICS.deadletter]
    assert letter["value_b64"] is None and letter["value_sealed"] is None
    assert letter["source"] == {"topic": "in", "partition": 2, "offset": 7}
    assert "read it at its source offset" in letter["reason"]


def test_a_released_decision_too_big_for_its_topic_is_held_by_reference_not_released() -> None:
    # A released topic that takes smaller records than the input topic: a result that is
    # allowed but whose decision does not fit is not released, and not lost either: it is
    # quarantined (output_too_large) with its output by reference, audited and reviewed.
    small_released = OutputLimits(16 * MB, {**LIMITS.by_topic, TOPICS.released: 65_536})
    big_decider = decider()
    big_decider.limits = small_released
    almost = raw(9, result("almost", "y" * 100_000))
    out = by_topic(big_decider.decide([almost, raw(10, result("next", "ok"))], NOW,
                                      AuditChain.fresh(3)))
    assert [d["job_id"] for d in out[TOPICS.released]] == ["next"]
    assert TOPICS.deadletter not in out
    [hold] = out[TOPICS.quarantine]
    assert hold["job_id"] == "almost" and hold["decision"] == "QUARANTINE"
    assert hold["reasons"] == ["output_too_large"]
    assert hold["output"] is None
    assert hold["output_withheld"]["source"] == {"topic": "in", "partition": 2, "offset": 9}
    assert hold["output_withheld"]["job_hash"] == hold["job_hash"]
    audits = {a["job_id"]: a for a in out[TOPICS.audit]}
    assert list(audits) == ["almost", "next"]
    assert audits["almost"]["payload"]["decision"] == "QUARANTINE"
    assert audits["almost"]["payload"]["reasons"] == ["output_too_large"]
    [item] = out[TOPICS.review]
    assert item["job_id"] == "almost" and "quarantined" in item["sampling"]["mandatory_reasons"]


def test_a_record_that_fits_no_topic_even_held_is_dead_lettered() -> None:
    # Topics so small that not even the held decision fits: the input cannot be decided
    # within them, so it is dead-lettered (nothing released), as before.
    tiny = OutputLimits(16 * MB, {**LIMITS.by_topic, TOPICS.released: 2_048,
                                  TOPICS.quarantine: 1_024, TOPICS.audit: 1_024})
    tiny_decider = decider()
    tiny_decider.limits = tiny
    out = by_topic(tiny_decider.decide([raw(9, result("almost", "y" * 5_000))], NOW,
                                       AuditChain.fresh(3)))
    assert set(out) == {TOPICS.deadletter}
    [letter] = out[TOPICS.deadletter]
    assert letter["error"] == "processing_error" and "do not fit their topics" in letter["reason"]
