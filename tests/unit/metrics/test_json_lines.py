"""JSON log lines: one event per line, the batch or record an event is about, and no exception
message (it can quote the input it failed on)."""

from __future__ import annotations

import json
import logging

from streams.logs import batch_context, record_fields
from streams.logs.json_lines import JsonLines
from streams.worker.codec import RawRecord

SECRET = "457-55-5462"


def formatted(record: logging.LogRecord) -> dict[str, object]:
    line = JsonLines("worker", "w-1").format(record)
    assert "\n" not in line
    event: dict[str, object] = json.loads(line)
    return event


def log_record(message: str, *args: object, exc: BaseException | None = None,
               extra: dict[str, object] | None = None) -> logging.LogRecord:
    record = logging.LogRecord("streams.worker", logging.WARNING, __file__, 1, message, args,
                               (type(exc), exc, exc.__traceback__) if exc else None)
    record.__dict__.update(extra or {})
    return record


def test_an_event_names_its_service_worker_and_the_batch_it_is_about() -> None:
    batch = [RawRecord("in", 2, 40, None, b"{}"), RawRecord("in", 2, 44, None, b"{}")]
    with batch_context(batch):
        event = formatted(log_record("over budget\nsecond line"))
    assert event["service"] == "worker" and event["worker_id"] == "w-1"
    assert (event["topic"], event["partition"], event["offset"], event["last_offset"]) == (
        "in", 2, 40, 44)
    assert event["message"] == "over budget\nsecond line"
    assert "topic" not in formatted(log_record("outside any batch"))


def test_a_record_event_carries_its_offset_and_job_hash_not_the_batch_range() -> None:
    batch = [RawRecord("in", 0, 1, None, b"{}"), RawRecord("in", 0, 9, None, b"{}")]
    with batch_context(batch):
        event = formatted(log_record("failed", extra=record_fields(batch[1], "sha256:ab")))
    assert (event["offset"], event["job_hash"]) == (9, "sha256:ab")
    assert "batch_records" not in event and event["last_offset"] == 9


def test_an_exception_is_logged_by_type_and_frames_never_by_its_message() -> None:
    try:
        int(f"not a number {SECRET}")
    except ValueError as exc:
        event = formatted(log_record("decoding failed", exc=exc))
    assert event["error"] == "ValueError" and event["stack"]
    assert SECRET not in json.dumps(event)
