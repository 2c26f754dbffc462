"""Timing for the benchmarks: one warm-up call, then the seconds of each run: wall-clock, or
the process's CPU time (`cpu=True`: all its threads; on a machine shared with other work it
moves far less than the wall clock)."""

from __future__ import annotations

import gc
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


def interleaved_runs(runs: dict[str, Callable[[], object]], repeat: int, *,
                     cpu: bool = False) -> dict[str, list[float]]:
    """The seconds of each run, `repeat` rounds of one call of each in turn (after one warm-up
    call each): load from other work then falls on all of them alike. The garbage of the
    previous call is collected before each timed one, outside its time (else the call after
    presidio's pays for presidio's garbage)."""
    clock = time.process_time if cpu else time.perf_counter
    for run in runs.values():
        run()  # warm-up
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            gc.collect()
            start = clock()
            run()
            times[name].append(clock() - start)
    return times
