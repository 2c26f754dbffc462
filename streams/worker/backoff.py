"""How long the decide loop waits before it tries again after a failure on the Kafka side: twice
as long after each failure in a row (0.2 s up to `MAX_BACKOFF_S`), back to the start once a
transaction commits."""

from __future__ import annotations

from streams.metrics.loop_observer import LoopObserver

MAX_BACKOFF_S = 5.0


class Backoff:
    def __init__(self, observer: LoopObserver) -> None:
        self.observer = observer
        self.failures = 0

    def failed(self) -> None:
        self.failures += 1

    def succeeded(self) -> None:
        self.failures = 0

    def delay_s(self) -> float:
        self.observer.beat()  # retrying is progress (a broker outage is not a stuck loop)
        return min(MAX_BACKOFF_S, 0.2 * 2.0 ** min(self.failures, 5))
