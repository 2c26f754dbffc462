"""A poll that takes long to decide, within what its records' scan budgets allow, keeps the worker
live; a decide thread stuck past that bound makes it stalled (what /livez answers)."""

from __future__ import annotations

import asyncio
import threading
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
from streams.worker.output_limits import OutputLimits
from streams.worker.stage_clock import StageClock

BEAT_S = 0.1  # the decide loop's beat interval here (decide_loop.BEAT_EVERY_S)
STALL_S = 20 * BEAT_S  # the probe's stall limit: twenty beats missed, whatever the load
STUCK_CAP_S = 60.0  # a decide thread that is never released ends here (the test then fails)


class SlowDecider:
    """Decides until `release` is set, as a poll of records near their scan budget does."""

    def __init__(self, scan_timeout_ms: int) -> None:
        self.release = threading.Event()
        limits = SimpleNamespace(scan_timeout_ms=scan_timeout_ms)
        self.pipeline = SimpleNamespace(policy=SimpleNamespace(policy=SimpleNamespace(
            limits=limits)), stages=StageClock(), tally=None,
            review=SimpleNamespace(ledger=None))
        self.limits = OutputLimits(1 << 20)  # what the batch's job-id sightings must fit

    def checkpoint(self, chain: Any) -> None:
        return None

    def decide(self, batch: Sequence[Any], now: datetime, chain: Any) -> list[Any]:
        self.release.wait(STUCK_CAP_S)
        return []


def probe_while_deciding(decider: SlowDecider, records: int, until_s: float) -> list[bool]:
    """What a liveness probe answers, ten times a second, while a batch of `records` is
    decided; the decider is released once the probe has answered `stalled`, or after
    `until_s`."""
    health = Health(STALL_S, loops=(DECIDE_LOOP,))
    metrics = WorkerMetrics(CollectorRegistry(), health, OutcomeTally(), ["agent.out"])
    loop = DecideLoop(load_settings({}), decider, None, FirstSeen(),  # type: ignore[arg-type]
                      JobIds(), lambda assigned: None, observer=metrics)
    answers: list[bool] = []

    async def main() -> None:
        deciding = asyncio.get_running_loop().create_task(
            loop._decide(0, {}, [object()] * records, None))  # type: ignore[arg-type, list-item]
        started = time.monotonic()
        while not deciding.done():
            answers.append(health.live()[0])
            if not answers[-1] or time.monotonic() - started > until_s:
                decider.release.set()
            await asyncio.sleep(0.1)
        await deciding

    asyncio.run(main())
    loop._executor.shutdown(wait=True)
    return answers


@pytest.fixture(autouse=True)
def quick_beats(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decide_loop, "BEAT_EVERY_S", BEAT_S)


def test_a_long_poll_within_its_records_budgets_keeps_the_worker_live() -> None:
    # 3 records of up to 2 s each may take 12 s (decided twice): a poll that takes longer
    # than the probe's stall limit is still progress.
    answers = probe_while_deciding(SlowDecider(2_000), records=3, until_s=1.5 * STALL_S)
    assert all(answers) and len(answers) > STALL_S / 0.1, answers


def test_a_decide_thread_stuck_past_its_records_budgets_is_reported_stalled(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decide_loop, "DECIDE_MARGIN_S", 0.2)
    # 1 record of 100 ms may take 0.2 s, plus the margin 0.2 s: past that the beats stop,
    # and the probe answers "stalled" once the stall limit has passed since the last one.
    answers = probe_while_deciding(SlowDecider(100), records=1, until_s=STUCK_CAP_S)
    assert answers[0] and not answers[-1], answers
