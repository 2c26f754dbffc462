"""A job_id is the agent's to choose, so it identifies nothing: a job_id seen again with other
content is flagged for review (`job_id_reused`, in the audit record's sampling record), every
record is still decided and written on its own, and the sampling draw covers the content."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from detectors import DetectorEngine
from policies import HashKey, LoadedPolicy, load_policy, shipped_policy_path
from policies.loader import parse_policy
from sampling.draw import SamplingKey
from streams.config import Topics
from streams.worker.codec import RawRecord
from streams.worker.job_ids import JobIds
from streams.worker.pipeline import Emit, Pipeline
from streams.worker.review_stage import ReviewStage

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
TOPICS = Topics(inputs=("in",))
ENGINE = DetectorEngine()
DEFAULT = load_policy(shipped_policy_path("default"))
SAMPLING_KEY = SamplingKey("sampling-key-1", b"s" * 32)
AWS_KEY = "AKIAIOSFODNN7EXAMPLE"


def pipeline(job_ids: JobIds, policy: LoadedPolicy = DEFAULT) -> Pipeline:
    review = ReviewStage(lambda _ref: SAMPLING_KEY, lambda _agent, _action: False,
                         job_id_reused=job_ids.note)
    return Pipeline(ENGINE, policy, HashKey.from_secret(b"k" * 32), TOPICS, "w-1",
                    review=review)


def raw(offset: int, job_id: str, output: Any) -> RawRecord:
    doc = {"job_id": job_id, "agent_id": "a", "action": "job.support.x", "output": output}
    return RawRecord("in", 0, offset, job_id.encode(), json.dumps(doc).encode())


def audits(emits: list[Emit]) -> list[dict[str, Any]]:
    return [json.loads(e.value) for e in emits if e.topic == TOPICS.audit]


def test_a_reused_job_id_with_other_content_is_flagged_and_overwrites_nothing() -> None:
    emits = pipeline(JobIds()).process(
        [raw(1, "job-7", "weekly report ready"), raw(2, "job-7", {"key": AWS_KEY})], NOW)
    first, second = audits(emits)
    assert "job_id_reused" not in first["sampling"]["mandatory_reasons"]
    assert "job_id_reused" in second["sampling"]["mandatory_reasons"]
    assert second["sampling"]["selected"]
    assert first["job_hash"] != second["job_hash"]
    decided = [(e.topic, json.loads(e.value)["job_hash"]) for e in emits
               if e.topic in (TOPICS.released, TOPICS.quarantine)]
    assert decided == [(TOPICS.released, first["job_hash"]),
                       (TOPICS.quarantine, second["job_hash"])], "each decided on its own"
    items = [json.loads(e.value) for e in emits if e.topic == TOPICS.review]
    assert [i["job_hash"] for i in items if "job_id_reused" in i["sampling"]["mandatory_reasons"]
            ] == [second["job_hash"]]


def test_the_same_content_again_is_a_redelivery_not_a_reuse() -> None:
    ids = JobIds()
    p = pipeline(ids)
    p.process([raw(1, "job-7", "same")], NOW)
    again = audits(p.process([raw(1, "job-7", "same")], NOW))
    assert "job_id_reused" not in again[0]["sampling"]["mandatory_reasons"]


def test_a_job_id_another_worker_saw_is_known_here() -> None:
    theirs = JobIds()
    pipeline(theirs).process([raw(1, "job-9", "original")], NOW)
    mine = JobIds()
    for _key, value in theirs.drain():  # what the state topic carries to every worker
        mine.learn(value)
    [record] = audits(pipeline(mine).process([raw(5, "job-9", "replacement")], NOW))
    assert "job_id_reused" in record["sampling"]["mandatory_reasons"]


def test_a_reuse_is_reviewed_even_without_a_sampling_section() -> None:
    policy = parse_policy("version: t1\n", "t.yaml")
    emits = pipeline(JobIds(), policy).process([raw(1, "j", "a"), raw(2, "j", "b")], NOW)
    first, second = audits(emits)
    assert first["sampling"] is None
    assert second["sampling"]["mandatory_reasons"] == ["job_id_reused"]
    assert [e.topic for e in emits].count(TOPICS.review) == 1


def test_a_reused_job_id_does_not_replay_a_known_draw() -> None:
    """An agent that found a job_id whose draw falls outside the sample cannot reuse it for
    another output and keep that draw: the draw covers job_id, job_hash and the policy."""
    emits = pipeline(JobIds()).process([raw(1, "job-7", "a"), raw(2, "job-7", "b")], NOW)
    first, second = audits(emits)
    assert first["sampling"]["draw"] != second["sampling"]["draw"]


def test_memory_is_bounded_to_the_most_recent_ids() -> None:
    ids = JobIds(capacity=100)
    for n in range(250):
        ids.note(f"job-{n}", "sha256:a")
    assert len(ids) == 100
    assert not ids.note("job-0", "sha256:b"), "the oldest ids are forgotten first"
    assert ids.note("job-249", "sha256:b"), "recent ones are remembered"


def test_a_malformed_state_record_is_skipped() -> None:
    ids = JobIds()
    for value in (b"", b"not json", b"[]", b'{"job_id": "x"}', b'{"sightings": [["x"]]}',
                  b'{"sightings": 3}', b'"sightings"', None):
        ids.learn(value)
    assert len(ids) == 0


def test_a_batch_of_sightings_is_one_state_record_and_teaches_every_id() -> None:
    theirs = JobIds()
    pipeline(theirs).process([raw(n, f"job-{n}", f"report {n}") for n in range(50)], NOW)
    records = theirs.drain()
    assert len(records) == 1, "one record (one signature) for the batch, not one per result"
    mine = JobIds()
    mine.learn(records[0][1])
    assert len(mine) == 50
    assert mine.note("job-31", "sha256:other") and not mine.note("job-31", theirs_hash(records))


def theirs_hash(records: list[tuple[bytes, bytes]]) -> str:
    sightings = dict(json.loads(records[0][1])["sightings"])
    return str(sightings["job-31"])


def test_records_of_the_earlier_format_are_still_learnt() -> None:
    """Sightings written one per record before the upgrade may still be on the topic."""
    ids = JobIds()
    ids.learn(json.dumps({"job_id": "job-old", "job_hash": "sha256:a"}).encode())
    assert ids.note("job-old", "sha256:b")


def test_a_large_batch_is_split_over_records_that_fit_the_topic() -> None:
    ids = JobIds()
    for n in range(3_000):
        ids.note(f"job-{n:0>100}", "sha256:" + "a" * 64)
    records = ids.drain(max_bytes=100_000)
    assert len(records) > 1 and all(len(k) + len(v) <= 100_000 for k, v in records)
    again = JobIds()
    for _key, value in records:
        again.learn(value)
    assert len(again) == 3_000


def test_sightings_of_an_aborted_transaction_are_queued_again() -> None:
    ids = JobIds()
    ids.note("job-1", "sha256:a")
    ids.note("job-2", "sha256:b")
    drained = ids.drain()
    ids.note("job-3", "sha256:c")
    ids.requeue(drained)
    assert ids.pending == [("job-1", "sha256:a"), ("job-2", "sha256:b"), ("job-3", "sha256:c")]
