"""An undone batch gives back each agent's share of a reviewer budget as well as the group's:
decided again, its results are sampled as the first time (not dropped as over a share their
own undone copies took)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from policies import shipped_policy_path
from sampling.budget import FIRST_TIME_REVIEWS
from streams.audit.chain import AuditChain
from streams.config import load_settings
from streams.worker.decided import BatchState, DecidedBatch
from tests.unit.worker import test_batch_state as batch_state
from tests.unit.worker.test_batch_state import record

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
SETTINGS = load_settings({})


def worker_state(tmp_path: Path) -> tuple[BatchState, AuditChain]:
    """The default policy, every result drawn, 8 samples an hour for ops-review (2 an agent)."""
    text = shipped_policy_path("default").read_text(encoding="utf-8")
    text = text.replace("base_rate: 0.02", "base_rate: 1.0").replace(
        "ops-review: {max_samples: 200, window: 1h}", "ops-review: {max_samples: 8, window: 1h}")
    path = tmp_path / "every-result-drawn.yaml"
    path.write_text(text, encoding="utf-8")
    return batch_state.worker_state(sampled=True, policy=path)


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
    assert ledger is not None
    assert sum(n for key, n in ledger.by_agent.items() if key[0] == "ops-review") == 2
    assert sum(n for key, n in ledger.by_agent.items() if key[0] == FIRST_TIME_REVIEWS) == 1

    state.undo([first])  # its transaction failed: shares and first-time reviews given back
    assert sum(ledger.by_agent.values()) == 0 and sum(ledger.used.values()) == 0

    again = state.decide(0, {}, batch, chain, state.decider.checkpoint(chain), NOW)
    assert sampled(again) == expected
