"""`afterguard scan`: the worker's decisions over a JSON Lines file, without Kafka.

Each line goes through the same `Pipeline` the worker runs (decode, size limit, scan with the
time budget, decide, fail closed), so a backfill or a policy trial decides exactly as production
would. A line that is not a valid action result is reported with its number and reason.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from detectors import DetectorEngine
from policies import HashKey, LoadedPolicy
from streams.worker.codec import RawRecord
from streams.config import Topics
from streams.worker.pipeline import Pipeline

SOURCE = "file"
_TOPICS = Topics(inputs=(SOURCE,))
_DECISIONS = {_TOPICS.released, _TOPICS.quarantine}


@dataclass
class ScanSummary:
    decisions: Counter[str] = field(default_factory=Counter)
    bad_lines: list[tuple[int, str]] = field(default_factory=list)

    def line(self) -> str:
        counts = ", ".join(f"{self.decisions[d]} {d}" for d in ("ALLOW", "REDACT", "QUARANTINE"))
        return f"{sum(self.decisions.values())} decided ({counts}); {len(self.bad_lines)} bad lines"


def scan_lines(lines: Iterable[str], policy: LoadedPolicy, engine: DetectorEngine, key: HashKey,
               summary: ScanSummary, batch_size: int = 200) -> Iterator[dict[str, Any]]:
    """Decisions as JSON objects, in input order; bad lines go to `summary.bad_lines`."""
    pipeline = Pipeline(engine, policy, key, _TOPICS, "afterguard-scan")
    numbered = ((n, text) for n, text in enumerate(lines, start=1) if text.strip())
    while batch := list(islice(numbered, batch_size)):
        raws = [RawRecord(SOURCE, 0, n, None, text.encode()) for n, text in batch]
        for emit in pipeline.process(raws, datetime.now(UTC)):
            record = json.loads(emit.value)
            if emit.topic in _DECISIONS:
                summary.decisions[record["decision"]] += 1
                yield record
            elif emit.topic == _TOPICS.deadletter:
                summary.bad_lines.append((record["source"]["offset"], record["reason"]))
