"""Python's cyclic garbage collector, set for a long-running worker.

Everything loaded at start (policy, detectors, phone metadata, spaCy and presidio for NER) lives
as long as the process, yet every full collection walked all of it again. After start-up the
worker freezes those objects (`gc.freeze`: the collector no longer visits them) and collects
the young generation every 10,000 net allocations instead of 700: a batch allocates and frees
many short-lived containers, fewer of which survive into older generations that way. Memory
is still freed by reference counting as before; only cycles wait a little longer.
`bench/pipeline_stages.py` (docs/benchmarks.md, issue 15) measured the collector's time.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000


def settle_after_start() -> None:
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
