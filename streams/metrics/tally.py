"""What the records of the batch in flight came to, until their transaction commits.

The pipeline notes each record's outcome here (a list append: no dict is built per record);
the worker's metrics count them only when the batch's transaction commits. A failed attempt is
rolled back with the rest of the worker's in-memory state (streams.worker.batch), so a batch
decided again after an abort is counted once."""

from __future__ import annotations

from policies import Outcome

TallyMark = tuple[int, int]
# what a batch's records came to: (input topic, outcome or dead-letter error), scan seconds
Tallied = tuple[list[tuple[str, Outcome | str]], list[float]]


class OutcomeTally:
    def __init__(self) -> None:
        # (input topic, the record's outcome or its dead letter's error)
        self.entries: list[tuple[str, Outcome | str]] = []
        self.scan_seconds: list[float] = []  # one per scan of a batch (or of one record)

    def decided(self, topic: str, outcome: Outcome) -> None:
        self.entries.append((topic, outcome))

    def dead_lettered(self, topic: str, error: str) -> None:
        self.entries.append((topic, error))

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
