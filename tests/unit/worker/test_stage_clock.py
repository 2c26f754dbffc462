"""The stage clock: where a worker's time goes, logged at stop for the benchmarks."""

from __future__ import annotations

import itertools
import json

from detectors import DetectorEngine
from policies import HashKey, load_policy, shipped_policy_path
from streams.config import Topics
from streams.worker.codec import RawRecord
from streams.worker.pipeline import Pipeline
from streams.worker.stage_clock import STAGES, StageClock
from tests.unit.worker.test_pipeline import NOW


def test_each_pipeline_stage_is_timed_and_the_split_names_them_all() -> None:
    pipeline = Pipeline(DetectorEngine(), load_policy(shipped_policy_path("default")),
                        HashKey.from_secret(b"k" * 32), Topics(inputs=("in",)), "w-1")
    ticks = itertools.count()
    pipeline.stages = StageClock(lambda: float(next(ticks)))  # each reading one second later
    batch = [RawRecord("in", 0, n, b"j", json.dumps({
        "job_id": f"j{n}", "agent_id": "a", "action": "job.x", "output": {"ssn": "457-55-5462"},
    }).encode()) for n in range(3)] + [RawRecord("in", 0, 3, b"j", b"not json")]
    pipeline.process(batch, NOW)
    seconds = pipeline.stages.seconds
    assert pipeline.stages.results == 4
    assert all(seconds[stage] > 0 for stage in ("decode", "scan", "decide", "sample", "records",
                                                 "seal"))
    assert seconds["sign"] == seconds["produce"] == 0  # the decide loop's
    split = pipeline.stages.split()
    assert split.startswith("stage costs over 4 results: ")
    assert all(f"{stage} " in split for stage in STAGES)
