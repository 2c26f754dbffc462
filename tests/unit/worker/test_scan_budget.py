"""A result whose scan exceeds the policy's time budget fails closed as detector_timeout; its
batch-mates are still decided normally. A fake clock advances per scanned text: no timing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from detectors import DetectorEngine, Finding
from policies import HashKey, load_policy, shipped_policy_path
from streams.worker.codec import RawRecord
from streams.config import Topics
from streams.worker.pipeline import Pipeline
from streams.worker.scan_budget import DetectorTimeout, scan_within_budget

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class SlowOnEngine(DetectorEngine):
    """Costs 10 s of fake time for an output mentioning 'slow', 1 ms otherwise; counts calls."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock, self.calls = clock, 0

    def scan_batch(self, values: Sequence[Any], *_: Any) -> list[list[Finding]]:
        self.calls += 1
        for value in values:
            self.clock.now += 10.0 if "slow" in json.dumps(value) else 0.001
        return [[] for _ in values]


def run(outputs: list[Any]) -> tuple[dict[str, list[str]], SlowOnEngine]:
    clock = FakeClock()
    engine = SlowOnEngine(clock)
    pipeline = Pipeline(engine, load_policy(shipped_policy_path("default")),
                        HashKey.from_secret(b"k" * 32), Topics(inputs=("in",)), "w", clock=clock)
    batch = [RawRecord("in", 0, i, None, json.dumps(
        {"job_id": f"j{i}", "agent_id": "a", "action": "x", "output": out}).encode())
        for i, out in enumerate(outputs)]
    reasons: dict[str, list[str]] = {}
    for emit in pipeline.process(batch, NOW):
        record = json.loads(emit.value)
        if emit.topic != "afterguard.audit":
            reasons[record["job_id"]] = [record["decision"], *record["reasons"]]
    return reasons, engine


def test_only_the_slow_result_times_out() -> None:
    reasons, _ = run(["fine", "slow one", "fine too", "calm"])
    assert reasons == {"j0": ["ALLOW"], "j1": ["QUARANTINE", "detector_timeout"],
                       "j2": ["ALLOW"], "j3": ["ALLOW"]}


def test_a_batch_within_budget_is_scanned_once() -> None:
    reasons, engine = run(["a", "b", "c", "d", "e"])
    assert engine.calls == 1
    assert set(map(tuple, reasons.values())) == {("ALLOW",)}


def test_errors_and_timeouts_are_isolated_by_bisection() -> None:
    def scan(items: Sequence[str]) -> list[list[Finding]]:
        if "bad" in items:
            raise RuntimeError("detector bug")
        clock.now += sum(5.0 if item == "slow" else 0.0 for item in items)
        return [[] for _ in items]

    clock = FakeClock()
    out = scan_within_budget(scan, ["ok", "bad", "ok", "slow", "ok"], 1.0, clock)
    assert [type(o).__name__ for o in out] == ["list", "RuntimeError", "list", "DetectorTimeout",
                                               "list"]
    assert isinstance(out[3], DetectorTimeout)
