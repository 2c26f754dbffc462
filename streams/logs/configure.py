"""Install the log format of a long-running command (worker, review serve, autonomy serve,
audit sink): `text` as before, or `json` (streams.logs.json_lines)."""

from __future__ import annotations

import logging
import sys
from typing import Any

TEXT_FORMAT = "[%(asctime)s] %(levelname)s %(name)s: %(message)s"


def configure_logging(log_format: str, service: str, worker_id: str,
                      level: str | int = logging.INFO) -> None:
    """Text: `logging.basicConfig` as before (nothing changes where logging is set up
    already). JSON: the root logger's handlers are replaced by one on stderr."""
    level = level.upper() if isinstance(level, str) else level
    if log_format != "json":
        logging.basicConfig(level=level, format=TEXT_FORMAT)
        return
    from streams.logs.json_lines import JsonLines

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines(service, worker_id))
    root = logging.getLogger()
    root.handlers.clear()
    root.addHandler(handler)
    root.setLevel(level)


def faust_logging(log_format: str, service: str, worker_id: str,
                  level: str = "info") -> dict[str, Any]:
    """Keyword arguments of faust's `Worker` for this format (none for text: faust's own)."""
    if log_format != "json":
        return {}
    return {"logging_config": {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"json": {"()": "streams.logs.json_lines.JsonLines", "service": service,
                                "worker_id": worker_id}},
        "handlers": {"default": {"class": "logging.StreamHandler", "formatter": "json",
                                 "stream": "ext://sys.stderr"}},
        "root": {"level": level.upper(), "handlers": ["default"]}}}
