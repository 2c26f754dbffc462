"""What the records of the batch in flight came to, until their transaction commits.

The pipeline notes each record's outcome here (a list append: no dict is built per record);
the worker's metrics count them only when the batch's transaction commits. A failed attempt is
rolled back with the rest of the worker's in-memory state (streams.worker.batch), so a batch
decided again after an abort is counted once."""

from __future__ import annotations

from policies import Outcome


class FirstTimeOverLimit:
    """Noted beside a decided result whose first-time review its verified identity's
    `first_time_limit` left out (sampling.record.SamplingRecord.first_time_over_limit)."""


FIRST_TIME_OVER_LIMIT = FirstTimeOverLimit()
TallyMark = tuple[int, int]
Entry = Outcome | str | FirstTimeOverLimit
# what a batch's records came to: (input topic, outcome, dead-letter error or a note), scan
# seconds
Tallied = tuple[list[tuple[str, Entry]], list[float]]


class OutcomeTally:
    def __init__(self) -> None:
        # (input topic, the record's outcome, its dead letter's error, or a note)
        self.entries: list[tuple[str, Entry]] = []
        self.scan_seconds: list[float] = []  # one per scan of a batch (or of one record)

    def decided(self, topic: str, outcome: Outcome) -> None:
        self.entries.append((topic, outcome))

    def dead_lettered(self, topic: str, error: str) -> None:
        self.entries.append((topic, error))

    def first_time_over_limit(self, topic: str) -> None:
        self.entries.append((topic, FIRST_TIME_OVER_LIMIT))

    def scanned(self, seconds: float) -> None:
        self.scan_seconds.append(seconds)

    def mark(self) -> TallyMark:
        return len(self.entries), len(self.scan_seconds)

    def rollback(self, mark: TallyMark) -> None:
        del self.entries[mark[0]:]
        del self.scan_seconds[mark[1]:]

    def drain(self) -> Tallied:
        entries, scans = self.entries, self.scan_seconds
        self.entries, self.scan_seconds = [], []
        return entries, scans
