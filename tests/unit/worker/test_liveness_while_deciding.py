"""A poll that takes long to decide, within what its records' scan budgets allow, keeps the worker
live; a decide thread stuck past that bound makes it stalled (what /livez answers)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from streams.config import load_settings
from streams.metrics.health import Health
from streams.metrics.tally import OutcomeTally
from streams.metrics.worker import DECIDE_LOOP, WorkerMetrics
from streams.worker import decide_loop
from streams.worker.decide_loop import DecideLoop
from streams.worker.first_seen import FirstSeen
from streams.worker.job_ids import JobIds
from streams.worker.stage_clock import StageClock


class SlowDecider:
    """Takes `seconds` to decide, as a poll of records near their scan budget does."""

    def __init__(self, seconds: float, scan_timeout_ms: int) -> None:
        self.seconds = seconds
        limits = SimpleNamespace(scan_timeout_ms=scan_timeout_ms)
        self.pipeline = SimpleNamespace(policy=SimpleNamespace(policy=SimpleNamespace(
            limits=limits)), stages=StageClock(), tally=None)

    def checkpoint(self, chain: Any) -> None:
        return None

    def decide(self, batch: Sequence[Any], now: datetime, chain: Any) -> list[Any]:
        time.sleep(self.seconds)
        return []


def liveness_after_deciding(decider: SlowDecider, records: int, stall_s: float) -> bool:
    health = Health(stall_s, loops=(DECIDE_LOOP,))
    metrics = WorkerMetrics(CollectorRegistry(), health, OutcomeTally(), ["agent.out"])
    loop = DecideLoop(load_settings({}), decider, None, FirstSeen(),  # type: ignore[arg-type]
                      JobIds(), lambda assigned: None, observer=metrics)
    answers: list[bool] = []

    async def main() -> None:
        deciding = asyncio.get_running_loop().create_task(
            loop._decide(0, {}, [object()] * records, None))  # type: ignore[arg-type, list-item]
        while not deciding.done():  # what a liveness probe sees while the batch runs
            answers.append(health.live()[0])
            await asyncio.sleep(0.1)
        await deciding

    asyncio.run(main())
    loop._executor.shutdown(wait=True)
    return all(answers)


def test_a_long_poll_within_its_records_budgets_keeps_the_worker_live() -> None:
    # 3 records of up to 2 s each may take 12 s (decided twice): 2.5 s is progress, while
    # the probe's stall limit is 1 s.
    assert liveness_after_deciding(SlowDecider(2.5, 2_000), records=3, stall_s=1.0)


def test_a_decide_thread_stuck_past_its_records_budgets_is_reported_stalled(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decide_loop, "DECIDE_MARGIN_S", 0.2)
    # 1 record of 100 ms may take 0.2 s, plus the margin 0.2 s: 2.5 s is stuck.
    assert not liveness_after_deciding(SlowDecider(2.5, 100), records=1, stall_s=1.0)
