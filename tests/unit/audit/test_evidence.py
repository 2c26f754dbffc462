"""The evidence contract: incomplete audit records never reach the audit topic."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors import DetectorEngine
from policies import HashKey, load_policy, shipped_policy_path
from streams.audit.evidence import decision_problems, evidence_problems
from streams.config import Topics
from streams.worker.codec import RawRecord
from streams.worker.pipeline import Pipeline
from tests.unit.audit.records import NOW, audit


def test_a_complete_record_passes() -> None:
    assert evidence_problems(audit(0)) == []


@pytest.mark.parametrize(("changes", "problem"), [
    ({"policy_snapshot": ""}, "policy_snapshot is missing"),
    ({"policy_snapshot": "no-hash"}, "policy_snapshot is missing"),
    ({"job_hash": "sha256:abc"}, "job_hash is missing"),
    ({"decision_ts": datetime(2026, 1, 1)}, "decision_ts has no time zone"),
    ({"decider": ""}, "decider (worker id) is missing"),
    ({"event_type": "verdict"}, "approver_id is required for a verdict record"),
])
def test_each_missing_piece_of_evidence_is_named(changes: dict[str, Any],
                                                 problem: str) -> None:
    assert any(p.startswith(problem) for p in evidence_problems(audit(0, **changes)))


def test_the_pipeline_dead_letters_an_incomplete_record_and_does_not_release() -> None:
    topics = Topics(inputs=("in",))
    pipeline = Pipeline(DetectorEngine(),
                        load_policy(shipped_policy_path("default")),
                        HashKey.from_secret(b"k" * 32), topics, worker_id="")
    doc = {"job_id": "j1", "agent_id": "a", "action": "job.x", "output": "fine"}
    emits = pipeline.process([RawRecord("in", 0, 7, b"j1", json.dumps(doc).encode())], NOW)
    by_topic = {e.topic: json.loads(e.value) for e in emits}
    assert set(by_topic) == {topics.quarantine, topics.deadletter}
    letter = by_topic[topics.deadletter]
    assert letter["error"] == "evidence_contract"
    assert "decider (worker id) is missing" in letter["reason"]
    assert letter["source"] == {"topic": "in", "partition": 0, "offset": 7}
    assert letter["rejected_record"]["job_id"] == "j1" and letter["value_b64"] is None


# The same objects come back call after call, as a batch's snapshot, time and worker id do.
SNAPSHOTS = ["3:0123456789abcdef", "no-hash", "3:0123456789abcdef"[:-1] + "0"]
JOB_HASHES = ["sha256:" + "ab" * 32, "sha256:abc", "sha256:" + "cd" * 32]
TIMES = [NOW, datetime(2026, 1, 1), NOW.replace(microsecond=5)]
DECIDERS = ["worker-1", "", "two words", "worker-2"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["evt-1", ""]), st.sampled_from(SNAPSHOTS),
                          st.sampled_from(JOB_HASHES), st.sampled_from(TIMES),
                          st.sampled_from(DECIDERS)), min_size=1, max_size=12))
def test_a_decision_records_problems_are_its_models_call_after_call(
        calls: list[tuple[str, str, str, datetime, str]]) -> None:
    """`decision_problems` (the worker's check of the fields it built) remembers the last fit
    snapshot, time and worker id: whatever came before, each call names the problems the
    record's model has, in the same order."""
    for event_id, snapshot, job_hash, ts, decider in calls:
        assert decision_problems(event_id, snapshot, job_hash, ts, decider) == (
            evidence_problems(audit(0, event_id=event_id, policy_snapshot=snapshot,
                                    job_hash=job_hash, decision_ts=ts, decider=decider)))
