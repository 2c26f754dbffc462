"""Where a worker's time goes: seconds spent per stage of deciding and writing results.

The pipeline adds decode, scan, decide, sample, seal and records (building and encoding the
decision, review item and dead-letter records); the decide loop adds sign and produce. A
benchmark reads the split from the worker's log at stop (`bench/pipeline_throughput.py`) to
show the next bottleneck. Costs two clock reads per stage and batch or record: nothing next to
the stages themselves.
"""

from __future__ import annotations

import time
from collections.abc import Callable

STAGES = ("decode", "scan", "decide", "sample", "seal", "records", "sign", "produce")


class StageClock:
    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.seconds = dict.fromkeys(STAGES, 0.0)
        self.results = 0  # input records decided (valid or not)

    def add(self, stage: str, started: float) -> float:
        """Count the time since `started` to `stage`; returns now, the next stage's start."""
        now = self.clock()
        self.seconds[stage] += now - started
        return now

    def split(self) -> str:
        """One log line: microseconds per result and share of each stage."""
        total = sum(self.seconds.values()) or 1.0
        per = max(1, self.results)
        parts = [f"{stage} {self.seconds[stage] / per * 1e6:.0f} us "
                 f"({100 * self.seconds[stage] / total:.0f}%)" for stage in STAGES]
        return f"stage costs over {self.results} results: " + ", ".join(parts)
