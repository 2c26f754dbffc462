"""Where a log event happened, for the JSON log lines: the batch being decided (per thread:
the worker decides in a thread of its own) and, on a record's own error paths, the record.

`record_fields` builds a dict only where it is called: on error paths, never per record."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from policies.decision import Located


_local = threading.local()


@contextmanager
def batch_context(batch: Sequence[Located]) -> Iterator[None]:
    """Log events of this thread carry the batch's topic, partition and offsets meanwhile."""
    previous = getattr(_local, "batch", None)
    if batch:
        first, last = batch[0], batch[-1]
        topics = sorted({raw.topic for raw in batch})
        _local.batch = {"topic": ",".join(topics), "partition": first.partition,
                        "offset": first.offset, "last_offset": last.offset,
                        "batch_records": len(batch)}
    try:
        yield
    finally:
        _local.batch = previous


def batch_fields() -> dict[str, Any] | None:
    fields: dict[str, Any] | None = getattr(_local, "batch", None)
    return fields


def record_fields(raw: Located, job_hash: str | None = None) -> dict[str, Any]:
    """`extra=` of a log call about one record: where it is, and its job_hash when known."""
    fields: dict[str, Any] = {"topic": raw.topic, "partition": raw.partition,
                              "offset": raw.offset, "last_offset": raw.offset,
                              "batch_records": None}
    if job_hash is not None:
        fields["job_hash"] = job_hash
    return fields
