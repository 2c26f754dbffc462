"""An undone batch gives back each agent's share of a reviewer budget as well as the group's:
decided again, its results are sampled as the first time (not dropped as over a share their
own undone copies took)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from detectors import DetectorEngine
from policies import HashKey, load_policy, shipped_policy_path
from sampling.draw import SamplingKey
from streams.audit.chain import AuditChain
from streams.config import Topics, load_settings
from streams.worker.batch import BatchDecider
from streams.worker.codec import RawRecord
from streams.worker.decided import BatchState, DecidedBatch
from streams.worker.first_seen import FirstSeen
from streams.worker.job_ids import JobIds
from streams.worker.output_limits import OutputLimits
from streams.worker.pipeline import Pipeline
from streams.worker.review_stage import ReviewStage

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
SETTINGS = load_settings({})


def worker_state(tmp_path: Path) -> tuple[BatchState, AuditChain]:
    """The default policy, every result drawn, 8 samples an hour for ops-review (2 an agent)."""
    text = shipped_policy_path("default").read_text(encoding="utf-8")
    text = text.replace("base_rate: 0.02", "base_rate: 1.0").replace(
        "ops-review: {max_samples: 200, window: 1h}", "ops-review: {max_samples: 8, window: 1h}")
    path = tmp_path / "every-result-drawn.yaml"
    path.write_text(text, encoding="utf-8")
    first_seen, job_ids = FirstSeen(), JobIds()
    key = SamplingKey("sampling-key-1", b"s" * 32)
    pipeline = Pipeline(DetectorEngine(), load_policy(path), HashKey.from_secret(b"k" * 32),
                        Topics(inputs=("in",)), "worker-1",
                        review=ReviewStage(lambda _ref: key, first_seen.mark,
                                           job_id_reused=job_ids.note))
    decider = BatchDecider(pipeline, first_seen, OutputLimits(16 * 1024 * 1024))
    return BatchState(SETTINGS, decider, first_seen, job_ids, None), AuditChain.fresh(1)


def record(offset: int, agent: str) -> RawRecord:
    doc = {"job_id": f"j{offset}", "agent_id": agent, "action": "job.support.reply",
           "output": {"note": f"reply {offset}"}}
    return RawRecord("in", 0, offset, f"j{offset}".encode(), json.dumps(doc).encode())


def sampled(batch: DecidedBatch) -> list[tuple[bool, str | None]]:
    """(selected, budget_drop_reason) of each decision's audit record, in order."""
    audits = [json.loads(value) for topic, _key, value, _p, _h in batch.outputs
              if topic == SETTINGS.topics.audit]
    return [(a["sampling"]["selected"], a["sampling"].get("budget_drop_reason"))
            for a in audits if a.get("sampling")]


def test_an_undone_batch_gives_back_its_agents_share(tmp_path: Path) -> None:
    state, chain = worker_state(tmp_path)
    batch = [record(n, "agent-flood") for n in range(1, 6)]
    first = state.decide(0, {}, batch, chain, state.decider.checkpoint(chain), NOW)
    expected = [(True, None)] * 3 + [(False, "agent_share_exhausted")] * 2
    assert sampled(first) == expected, "the first is a first-time action, then 2 drawn admitted"
    ledger = state.decider.pipeline.review.ledger
    assert ledger is not None and sum(ledger.by_agent.values()) == 2

    state.undo([first])  # its transaction failed
    assert sum(ledger.by_agent.values()) == 0 and sum(ledger.used.values()) == 0

    again = state.decide(0, {}, batch, chain, state.decider.checkpoint(chain), NOW)
    assert sampled(again) == expected
