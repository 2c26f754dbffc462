"""One JSON object per log event, on one line.

Fields: `ts` (UTC, ISO 8601), `level`, `logger`, `service`, `worker_id`, `message`; where
known, `topic`, `partition`, `offset` (and `last_offset`, `batch_records` for a batch) and
`job_hash`; for an exception, `error` (its type) and `stack` (file, line and function of each
frame). The exception's own message is left out: it can quote the input it failed on.
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime
from typing import Any

from streams.logs.context import batch_fields

CONTEXT = ("topic", "partition", "offset", "last_offset", "batch_records", "job_hash")


class JsonLines(logging.Formatter):
    def __init__(self, service: str, worker_id: str) -> None:
        super().__init__()
        self.service, self.worker_id = service, worker_id

    def format(self, record: logging.LogRecord) -> str:
        event: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "service": self.service,
            "worker_id": self.worker_id, "message": _message(record)}
        batch = batch_fields()
        if batch is not None:
            event.update(batch)
        for name in CONTEXT:  # the log call's own `extra=` (one record) wins
            if name in record.__dict__:
                event[name] = record.__dict__[name]
        if record.exc_info and record.exc_info[0] is not None:
            event["error"] = record.exc_info[0].__name__
            event["stack"] = [f"{frame.filename}:{frame.lineno} in {frame.name}"
                              for frame in traceback.extract_tb(record.exc_info[2])]
        return json.dumps({k: v for k, v in event.items() if v is not None}, default=str)


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # noqa: BLE001 - a bad format string must not lose the event
        return str(record.msg)
