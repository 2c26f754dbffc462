"""A batch of observations of one Prometheus histogram, added at once.

`Histogram.observe` takes a lock twice per value (its sum, then its bucket) and walks the bucket
bounds in Python: about 1.4 us, and the worker observes one decision latency per input record at
every commit, on its event loop (docs/benchmarks.md steps 37 and 41). `observe_all` finds each
value's bucket by bisection, then adds each bucket's count and the sum once: the exposition is
what observing the values one by one gives, the sum included (added in the same order from the
same start, so the same float). It reads prometheus_client's histogram (`_upper_bounds`,
`_buckets`, `_sum`, as 0.20-0.26 have them); a histogram without them is observed value by
value. The sum is read, then written back: only one thread may observe a histogram given to it
(the worker's latency histogram: its event loop, at commits).
tests/unit/metrics/test_metrics_at_commit.py holds the exposition to `observe`'s.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from prometheus_client import Histogram


def observe_all(histogram: Histogram, amounts: Iterable[float]) -> None:
    """`histogram.observe(amount)` for each amount, in order (NaN is not counted in a bucket,
    as `observe` counts it nowhere)."""
    bounds = getattr(histogram, "_upper_bounds", None)
    buckets = getattr(histogram, "_buckets", None)
    total = getattr(histogram, "_sum", None)
    if bounds is None or buckets is None or total is None or len(bounds) != len(buckets):
        for amount in amounts:
            histogram.observe(amount)
        return
    counts = [0] * len(bounds)
    summed = total.get()
    observed = False
    for amount in amounts:
        summed += amount
        observed = True
        if amount == amount:  # NaN: in no bucket (`observe`: `NaN <= bound` is false)
            counts[bisect_left(bounds, amount)] += 1  # the first bound >= amount
    if observed:
        total.set(summed)
    for at, count in enumerate(counts):
        if count:
            buckets[at].inc(count)
