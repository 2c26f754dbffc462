"""The guard around the pipeline: a failing batch is decided record by record, a record that
fails alone is one dead letter, and no failed attempt leaves a trace in the worker's memory."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from detectors import DetectorEngine
from policies import HashKey, load_policy, shipped_policy_path
from streams.audit.chain import GENESIS, AuditChain
from streams.config import Topics
from streams.worker.batch import BatchDecider
from streams.worker.codec import RawRecord
from streams.worker.first_seen import FirstSeen
from streams.worker.output_limits import OutputLimits
from streams.worker.pipeline import Emit, Pipeline
from streams.worker.review_stage import ReviewStage

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
TOPICS = Topics(inputs=("in",))
LIMITS = OutputLimits(16 * 1024 * 1024)


class CrashesOnPoison(Pipeline):
    """Decides the whole batch (sealing audit records, marking sightings), then raises when it
    holds a poison record: a failure outside the pipeline's own per-record guard."""

    def process(self, batch: Sequence[RawRecord], now: datetime,
                chain: AuditChain | None = None) -> list[Emit]:
        emits = super().process(batch, now, chain)
        if any(b"poison" in (raw.value or b"") for raw in batch):
            raise RuntimeError("a bug outside the per-record guard")
        return emits


def decider(pipeline_type: type[Pipeline] = Pipeline) -> tuple[BatchDecider, FirstSeen]:
    first_seen = FirstSeen()
    pipeline = pipeline_type(DetectorEngine(), load_policy(shipped_policy_path("default")),
                             HashKey.from_secret(b"k" * 32), TOPICS, "worker-1",
                             review=ReviewStage(None, first_seen.mark))
    return BatchDecider(pipeline, first_seen, LIMITS), first_seen


def record(offset: int, output: Any, agent: str = "a") -> RawRecord:
    doc = {"job_id": f"j{offset}", "agent_id": agent, "action": "job.support.x",
           "output": output}
    return RawRecord("in", 0, offset, f"j{offset}".encode(), json.dumps(doc).encode())


def by_topic(emits: list[Emit]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for emit in emits:
        out.setdefault(emit.topic, []).append(json.loads(emit.value))
    return out


def test_a_record_that_crashes_its_batch_is_one_dead_letter_and_the_rest_are_decided() -> None:
    batch_decider, _ = decider(CrashesOnPoison)
    chain = AuditChain.fresh(1)
    batch = [record(1, "fine"), record(2, "poison"), record(3, "also fine")]
    out = by_topic(batch_decider.decide(batch, NOW, chain))
    assert [d["job_id"] for d in out["afterguard.released"]] == ["j1", "j3"]
    [letter] = out["afterguard.deadletter"]
    assert letter["error"] == "processing_error"
    assert letter["source"]["offset"] == 2
    assert "nothing was released" in letter["reason"]
    # The audit chain has no gap: the failed attempt's seals were rolled back.
    links = [a["chain"] for a in out["afterguard.audit"]]
    assert [link["seq"] for link in links] == [1, 2]
    assert links[0]["prev_hash"] == GENESIS and links[1]["prev_hash"] == links[0]["hash"]
    assert chain.heads() == {0: 2}


def test_a_failed_attempt_does_not_use_up_a_first_time_sighting() -> None:
    batch_decider, first_seen = decider(CrashesOnPoison)
    batch = [record(1, "fine", agent="new-agent"), record(2, "poison")]
    batch_decider.decide(batch, NOW, AuditChain.fresh(1))
    # The sighting of the retried record is queued once, made by the attempt that counted.
    # (kept for `<topic>/<agent_id>`: no trust.identities vouch for the id on topic "in")
    assert [json.loads(v)["agent_id"] for _, v in first_seen.drain()] == ["in/new-agent"]


def test_real_poison_records_each_end_as_one_dead_letter() -> None:
    batch_decider, _ = decider()
    deep = b'{"job_id":"deep","agent_id":"a","action":"x","output":' + b"[" * 100_000 + \
        b"]" * 100_000 + b"}"
    huge = b'{"job_id":"huge","agent_id":"a","action":"x","output":' + b"9" * 10_000 + b"}"
    batch = [record(1, "fine"), RawRecord("in", 0, 2, b"deep", deep),
             RawRecord("in", 0, 3, b"huge", huge), record(4, "fine too")]
    out = by_topic(batch_decider.decide(batch, NOW, AuditChain.fresh(1)))
    assert [d["job_id"] for d in out["afterguard.released"]] == ["j1", "j4"]
    assert sorted(d["source"]["offset"] for d in out["afterguard.deadletter"]) == [2, 3]
    assert len(out["afterguard.audit"]) == 2


def test_a_rollback_restores_budget_counts_and_sightings() -> None:
    batch_decider, first_seen = decider()
    chain = AuditChain.fresh(1)
    before = batch_decider.checkpoint(chain)
    batch_decider.pipeline.process([record(1, "x", agent="b")], NOW, chain)
    assert chain.heads() == {0: 1} and first_seen.pending
    batch_decider.rollback(chain, before)
    assert chain.heads() == {0: 0} and not first_seen.pending
    assert first_seen.mark("b", "job.support.x"), "the pair counts as new again"
