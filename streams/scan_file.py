"""`afterguard scan`: the worker's decisions over a JSON Lines file, without Kafka.

Each line goes through the same `Pipeline` the worker runs (bounded decode, size limit, scan with
the time budget, decide, fail closed), so a backfill or a policy trial decides exactly as
production would. A line that is not a valid action result (not UTF-8, not JSON, too large, too
deep, a number too long, a missing field) is reported with its number and reason; every other
line is still decided and written. Lines are read as bytes, at most `limits.max_record_bytes` of
one line at a time, so one huge line never has to fit in memory.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import IO, Any

from detectors import DetectorEngine
from policies import HashKey, LoadedPolicy
from streams.config import Topics
from streams.worker.codec import RawRecord
from streams.worker.pipeline import Pipeline

SOURCE = "file"
_CHUNK = 1 << 20


@dataclass
class ScanSummary:
    decisions: Counter[str] = field(default_factory=Counter)
    bad_lines: list[tuple[int, str]] = field(default_factory=list)

    def line(self) -> str:
        counts = ", ".join(f"{self.decisions[d]} {d}" for d in ("ALLOW", "REDACT", "QUARANTINE"))
        return f"{sum(self.decisions.values())} decided ({counts}); {len(self.bad_lines)} bad lines"


def bounded_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each non-blank line; None for a line over `limit` bytes, which
    is read through in chunks and never held whole."""
    number = 0
    while line := stream.readline(limit + 1):
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        elif line.strip():
            yield number, line.rstrip(b"\r\n")


def scan_lines(stream: IO[bytes], policy: LoadedPolicy, engine: DetectorEngine, key: HashKey,
               summary: ScanSummary, batch_size: int = 200,
               topic: str = SOURCE) -> Iterator[dict[str, Any]]:
    """Decisions as JSON objects, in input order; bad lines go to `summary.bad_lines`.
    `topic`: the input topic the lines came from (selects the policy's trust bindings)."""
    topics = Topics(inputs=(topic,))
    pipeline = Pipeline(engine, policy, key, topics, "afterguard-scan")
    limit = policy.policy.limits.max_record_bytes
    numbered = bounded_lines(stream, limit)
    while batch := list(islice(numbered, batch_size)):
        raws = []
        for number, text in batch:
            if text is None:
                reason = f"the line is over {limit} bytes (the policy's limits.max_record_bytes)"
                summary.bad_lines.append((number, reason))
            else:
                raws.append(RawRecord(topic, 0, number, None, text))
        for emit in pipeline.process(raws, datetime.now(UTC)):
            record = json.loads(emit.value)
            if emit.topic in (topics.released, topics.quarantine):
                summary.decisions[record["decision"]] += 1
                yield record
            elif emit.topic == topics.deadletter:
                summary.bad_lines.append((record["source"]["offset"], record["reason"]))
        summary.bad_lines.sort()
