"""Logging of the long-running commands: text (default) or JSON, one event per line
(AFTERGUARD_LOG_FORMAT=json). See docs/operations.md, "Logs"."""

from streams.logs.configure import configure_logging, faust_logging
from streams.logs.context import batch_context, record_fields

__all__ = ["batch_context", "configure_logging", "faust_logging", "record_fields"]
