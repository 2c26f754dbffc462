"""CPU time of the worker's two threads, per result: the decide thread (the pure pipeline:
decode, scan, decide, sample, seal, records, sign) and the event loop (fetching, the
transactions' sends and requests, the followers, the metrics of committed batches).

The stage split (streams.worker.stage_clock) is wall-clock time, and its `produce` is a
transaction's wall time, which overlaps the next batch's stages in the decide thread: it says
how long a transaction took, not what it cost. These figures say what each thread cost from the
first records on (start-up excluded); with the other threads' (metrics) they make the process's
CPU time. Logged when the worker stops, beside the stage split.
"""

from __future__ import annotations

import time


class ThreadCpu:
    def __init__(self) -> None:
        self.decide_s = 0.0  # counted around each batch in the decide thread
        self._loop_start: float | None = None  # the event loop's, when the first records came

    def polled(self) -> None:
        """Records came (called in the event loop's thread): the loop's CPU counts from the
        first, not from start-up (the group's join, the followers' first reads)."""
        if self._loop_start is None:
            self._loop_start = time.thread_time()

    def decided(self, started: float) -> None:
        """Count a batch decided in the decide thread since `started` (its `time.thread_time()`
        then)."""
        self.decide_s += time.thread_time() - started

    def split(self, results: int, transactions: int = 0) -> str:
        """One log line; call it from the event loop's thread. With the transactions committed
        meanwhile, the event loop's CPU per transaction too (below full load most of it is a
        transaction's fixed cost: its requests and their responses)."""
        loop_s = 0.0 if self._loop_start is None else time.thread_time() - self._loop_start
        per = max(1, results)
        line = (f"CPU per result over {results} results: decide thread "
                f"{self.decide_s / per * 1e6:.0f} us, event loop {loop_s / per * 1e6:.0f} us")
        if transactions:
            line += (f" ({loop_s / transactions * 1e3:.2f} ms per transaction, "
                     f"{transactions} transactions)")
        return line
