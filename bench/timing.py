"""Timing for the benchmarks: one warm-up call, then the wall-clock seconds of each run."""

from __future__ import annotations

import time
from collections.abc import Callable


def timed_runs(run: Callable[[], object], repeat: int) -> list[float]:
    run()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times
