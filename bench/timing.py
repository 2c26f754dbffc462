"""Timing for the benchmarks: one warm-up call, then the seconds of each run: wall-clock, or
the process's CPU time (`cpu=True`: all its threads; on a machine shared with other work it
moves far less than the wall clock)."""

from __future__ import annotations

import time
from collections.abc import Callable


def timed_runs(run: Callable[[], object], repeat: int, *, cpu: bool = False) -> list[float]:
    clock = time.process_time if cpu else time.perf_counter
    run()  # warm-up
    times = []
    for _ in range(repeat):
        start = clock()
        run()
        times.append(clock() - start)
    return times
