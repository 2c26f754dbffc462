"""Undoing decided batches: the worker decides the next batch while the previous one's
transaction commits, so when that transaction fails both batches are undone. Deciding them
again must then give what deciding them the first time gave: the same audit chain links, the
same first-time sightings and review reasons, the same job-id sightings, the outcomes tallied
once."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from detectors import DetectorEngine
from policies import HashKey, load_policy, shipped_policy_path
from sampling.draw import SamplingKey
from streams.audit.chain import AuditChain
from streams.config import Topics, load_settings
from streams.metrics.tally import OutcomeTally
from streams.worker.batch import BatchDecider
from streams.worker.codec import RawRecord
from streams.worker.decided import BatchState, DecidedBatch
from streams.worker.first_seen import FirstSeen
from streams.worker.job_ids import JobIds
from streams.worker.output_limits import OutputLimits
from streams.worker.pipeline import Pipeline
from streams.worker.review_stage import ReviewStage

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SETTINGS = load_settings({})


def worker_state(sampled: bool = False,
                 policy: Path | None = None) -> tuple[BatchState, AuditChain]:
    """`sampled`: with the policy's sampling (a key; reviewer budgets counted); `policy`: the
    shipped default unless given."""
    first_seen, job_ids = FirstSeen(), JobIds()
    key = SamplingKey("sampling-key-1", b"s" * 32)
    pipeline = Pipeline(DetectorEngine(), load_policy(policy or shipped_policy_path("default")),
                        HashKey.from_secret(b"k" * 32), Topics(inputs=("in",)), "worker-1",
                        review=ReviewStage((lambda _ref: key) if sampled else None,
                                           first_seen.mark, job_id_reused=job_ids.note))
    pipeline.tally = OutcomeTally()
    decider = BatchDecider(pipeline, first_seen, OutputLimits(16 * 1024 * 1024))
    return BatchState(SETTINGS, decider, first_seen, job_ids, None), AuditChain.fresh(1)


def record(offset: int, agent: str) -> RawRecord:
    doc = {"job_id": f"j{offset}", "agent_id": agent, "action": "job.support.reply",
           "output": {"note": f"reply {offset}"}}
    return RawRecord("in", 0, offset, f"j{offset}".encode(), json.dumps(doc).encode())


FIRST = [record(1, "a"), record(2, "b")]
SECOND = [record(3, "a"), record(4, "c")]  # "a" was first seen in FIRST, "c" is new


def decide(state: BatchState, chain: AuditChain, batch: list[RawRecord]) -> DecidedBatch:
    return state.decide(0, {}, batch, chain, state.decider.checkpoint(chain), NOW)


def sighted(batch: DecidedBatch) -> list[str]:
    """The job ids of a batch's job-id sighting records."""
    return [job_id for _key, value in batch.job_ids
            for job_id, _hash in json.loads(value)["sightings"]]


def summary(batch: DecidedBatch) -> tuple[dict[str, list[str]], int]:
    """What a reader of the topics sees of a batch: chain links, first-time sightings and
    review reasons (job-id sightings are compared over both batches: those of an undone batch
    are written with the next transaction)."""
    by_topic: dict[str, list[str]] = {}
    for topic, key, value, _partition, _headers in batch.outputs:
        if topic == SETTINGS.job_ids_topic:
            continue
        document = json.loads(value)
        seen = document.get("chain", {}).get("seq") if topic.endswith("audit") else (
            (key or b"").decode() + ("" if "first_time" not in value.decode() else " first"))
        by_topic.setdefault(topic, []).append(str(seen))
    return by_topic, len(batch.tallied[0])


def test_two_batches_undone_are_decided_again_as_the_first_time() -> None:
    state, chain = worker_state()
    first, second = decide(state, chain, FIRST), decide(state, chain, SECOND)
    expected = [summary(first), summary(second)]
    tally = state.decider.pipeline.tally
    assert tally is not None
    assert chain.heads() == {0: 4}
    assert expected[1][0][SETTINGS.first_seen_topic] == ["in/c\x1fjob.support.reply"]

    state.undo([first, second])  # the first one's transaction failed
    assert chain.heads() == {0: 0}
    assert state.first_seen.pending == [] and tally.entries == []
    assert [job_id for job_id, _ in state.job_ids.pending] == ["j1", "j2", "j3", "j4"]

    redone = [decide(state, chain, FIRST), decide(state, chain, SECOND)]
    assert [summary(batch) for batch in redone] == expected
    assert [len(batch.job_ids) for batch in (first, second)] == [1, 1], "one record a batch"
    assert [sighted(batch) for batch in (first, second)] == [["j1", "j2"], ["j3", "j4"]]
    # those of the undone batches go with the retry's first transaction
    assert sorted(job_id for batch in redone for job_id in sighted(batch)) == [
        "j1", "j2", "j3", "j4"]


def test_undoing_only_the_failed_batch_would_lose_the_next_ones_first_sighting() -> None:
    """Why the batch decided meanwhile is undone too: left in place, its marks stay and the
    redecided batches no longer see "c" for the first time."""
    state, chain = worker_state()
    first, second = decide(state, chain, FIRST), decide(state, chain, SECOND)
    state.undo([first])
    decide(state, chain, FIRST)
    again = summary(decide(state, chain, SECOND))
    assert SETTINGS.first_seen_topic not in again[0]
    assert summary(second)[0][SETTINGS.first_seen_topic] == ["in/c\x1fjob.support.reply"]


def on_partition(raw: RawRecord, partition: int) -> RawRecord:
    return RawRecord(raw.topic, partition, raw.offset, raw.key, raw.value)


def test_a_failed_lane_is_undone_without_the_other_lanes_batch() -> None:
    """Transactions of different lanes (audit partitions) are in flight at the same time.
    When one fails, only its batch is undone: the other lane's batch, decided after it, keeps
    its audit chain links, its first-time sightings and the reviewer budget it took."""
    state, _ = worker_state(sampled=True)
    chain = AuditChain.fresh(2)
    first = state.decide(0, {}, FIRST, chain, state.decider.checkpoint(chain), NOW)
    other = [on_partition(raw, 1) for raw in SECOND]
    second = state.decide(1, {}, other, chain, state.decider.checkpoint(chain), NOW)
    assert (first.lane(), second.lane()) == (0, 1)
    ledger = state.decider.pipeline.review.ledger
    assert ledger is not None
    budget_after_both = sum(ledger.used.values()) + sum(ledger.mandatory.values())
    first_took = sum(sum(counts.values()) for counts in first.budget_spent)
    assert first_took > 0, "first-time actions are mandatory reviews, counted per group"
    expected = summary(first)

    state.undo([first])  # lane 0's transaction failed; lane 1's committed
    assert chain.heads() == {0: 0, 1: 2}
    assert sum(ledger.used.values()) + sum(ledger.mandatory.values()) == (
        budget_after_both - first_took)
    assert "in/c\x1fjob.support.reply" in state.first_seen.seen
    assert "in/b\x1fjob.support.reply" not in state.first_seen.seen

    redone = state.decide(0, {}, FIRST, chain, state.decider.checkpoint(chain), NOW)
    assert summary(redone) == expected  # the same links and first-time reviews
    assert sum(ledger.used.values()) + sum(ledger.mandatory.values()) == budget_after_both
