"""The per-result scan budget is enforced while the scan runs: a result over it stops at the next
step and fails closed as detector_timeout on its own, its batch-mates are decided as usual and
scanned once, and nothing is rescanned. A fake clock that a test detector advances stands in
for slow work: no timing."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from detectors import DetectorEngine
from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.email import EMAIL
from policies import HashKey, load_policy, shipped_policy_path
from streams.config import Topics
from streams.worker.codec import RawRecord
from streams.worker.pipeline import Pipeline
from streams.worker.scan_budget import DetectorTimeout, scan_results

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def costly_detector(clock: FakeClock, calls: Counter[str]) -> PatternDetector:
    """Finds `slow` (10 s of fake time each) and `cheap` (1 ms each); counts what it checked."""
    def check(value: str) -> bool:
        calls[value] += 1
        clock.now += 10.0 if value == "slow" else 0.001
        if value == "boom":
            raise RuntimeError("detector bug")
        return False

    return PatternDetector(id="costly", entity="CREDENTIAL", pattern=LinearRegex(r"slow|cheap|boom"),
                           score=1.0, validate=check)


def run(outputs: list[Any]) -> tuple[dict[str, list[str]], Counter[str]]:
    clock, calls = FakeClock(), Counter[str]()
    engine = DetectorEngine(detectors=(costly_detector(clock, calls), EMAIL), ner_model=None)
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
    return reasons, calls


def test_only_the_slow_result_times_out_and_the_others_are_decided() -> None:
    reasons, _ = run(["cheap", {"items": ["slow"] * 50}, "mail a@b.example.com", "calm"])
    assert reasons == {"j0": ["ALLOW"], "j1": ["QUARANTINE", "detector_timeout"],
                       "j2": ["REDACT"], "j3": ["ALLOW"]}


def test_the_slow_result_stops_at_the_first_step_over_its_budget() -> None:
    # 1,000 slow leaves: the scan stops after the first one instead of running all of them.
    _, calls = run([{"items": ["slow"] * 1000}])
    assert calls["slow"] == 1


def test_nothing_is_rescanned_when_one_result_times_out() -> None:
    # distinct texts: the engine would skip a repeated clean one (detectors.engine)
    _, calls = run([f"cheap {i}" for i in range(8)] + [{"items": ["slow"] * 3}]
                   + [f"cheap {i}" for i in range(8, 15)])
    assert calls["cheap"] == 15


def test_a_detector_error_fails_only_its_own_result() -> None:
    clock, calls = FakeClock(), Counter[str]()
    engine = DetectorEngine(detectors=(costly_detector(clock, calls), EMAIL), ner_model=None)
    results = [_result(out) for out in ("a@b.example.com", "boom", "slow", "cheap")]
    outcomes = scan_results(engine, results, 1.0, clock)
    assert [type(o).__name__ for o in outcomes] == ["list", "RuntimeError", "DetectorTimeout",
                                                    "list"]
    assert isinstance(outcomes[2], DetectorTimeout)
    assert [f.entity for f in outcomes[0]] == ["EMAIL_ADDRESS"]  # type: ignore[union-attr]
    assert calls == Counter({"boom": 1, "slow": 1, "cheap": 1})


def _result(output: Any) -> Any:
    from policies import ActionResult
    return ActionResult(job_id="j", agent_id="a", action="x", output=output)
