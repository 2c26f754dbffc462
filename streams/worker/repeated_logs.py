"""One line per interval for a warning that repeats (a broker outage makes the Kafka client
log every failed connection attempt): the first occurrence passes, the repeats within the
interval are counted, and the next occurrence after it passes with the count."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

PRUNE_FROM = 1024  # remembered messages before the expired ones are looked for


class RepeatedWarnings(logging.Filter):
    """Limits warnings and errors of the given loggers (and their children) to one line per
    (logger, level, message) and interval: the message template for the Kafka client, the
    whole message for ours."""

    def __init__(self, interval_s: float, prefixes: tuple[str, ...] = ("aiokafka",),
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.interval_s, self.prefixes, self.clock = interval_s, prefixes, clock
        # (logger, level, message) -> (when it last passed, repeats held back since); pruned
        # of messages whose interval is over, so that messages which differ every time (an
        # offset, a size an agent chose) do not pile up for the life of the process
        self._last: dict[tuple[str, int, str], tuple[float, int]] = {}
        self._pruned_at = clock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or self.interval_s <= 0 or not any(
                record.name == p or record.name.startswith(p + ".") for p in self.prefixes):
            return True
        # The Kafka client's templates vary by host and error only; our own messages name a
        # partition or a reason in their arguments, which should stay apart.
        text = str(record.msg) if record.name.startswith("aiokafka") else record.getMessage()
        key = (record.name, record.levelno, text)
        now = self.clock()
        if len(self._last) >= PRUNE_FROM and now - self._pruned_at >= self.interval_s:
            self._prune(now)
        passed = self._last.get(key)
        if passed is not None and now - passed[0] < self.interval_s:
            self._last[key] = (passed[0], passed[1] + 1)
            return False
        if passed is not None and passed[1]:
            record.msg = (f"{record.getMessage()} [{passed[1]} more like this in the last "
                          f"{now - passed[0]:.0f}s]")
            record.args = None
        self._last[key] = (now, 0)
        return True

    def _prune(self, now: float) -> None:
        """Forget the messages whose interval is over: their next occurrence passes anyway
        (the repeats held back meanwhile are not counted on it)."""
        self._last = {k: v for k, v in self._last.items() if now - v[0] < self.interval_s}
        self._pruned_at = now

    def __len__(self) -> int:
        """How many messages are remembered."""
        return len(self._last)


def limit_repeated_warnings(interval_s: float, prefixes: tuple[str, ...]) -> None:
    """Install the limit on every handler of the root logger."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(RepeatedWarnings(interval_s, prefixes))
