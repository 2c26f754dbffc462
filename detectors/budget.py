"""A scan's time budget, enforced while the scan runs.

Each value of a batch has its own budget. Its pattern detectors are timed directly and checked
between leaves and between detectors (each step is one detector's linear pass over one leaf);
its share of the batch's NER is charged between chunks of windows, by the characters it sent.
A value over its budget stops there and is reported as a `DetectorTimeout`; the other values of
the batch are unaffected and nothing is scanned twice.
"""

from __future__ import annotations

from collections.abc import Callable


class DetectorTimeout(Exception):
    """Scanning one value took longer than its budget (the policy's `limits.scan_timeout_ms`)."""


class ScanBudget:
    """The time one value may still spend on its scan; `clock` returns seconds."""

    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self.seconds, self.clock = seconds, clock
        self.spent = 0.0
        self._since: float | None = None

    @property
    def over(self) -> bool:
        return self.spent > self.seconds

    def start(self) -> None:
        """The value's own work (its pattern detectors) starts now."""
        self._since = self.clock()

    def stop(self) -> None:
        self._charge_running()
        self._since = None

    def check(self) -> None:
        """Raises DetectorTimeout once the value has spent more than its budget."""
        since = self._since  # `_charge_running`, inline: this runs between every two detectors
        if since is not None:
            now = self.clock()
            self.spent += now - since
            self._since = now
        if self.spent > self.seconds:
            raise DetectorTimeout(f"scan took over {self.seconds * 1000:.0f} ms")

    def charge(self, seconds: float) -> None:
        """Time spent for this value in shared work (its share of a NER chunk)."""
        self.spent += seconds

    def _charge_running(self) -> None:
        if self._since is not None:
            now = self.clock()
            self.spent += now - self._since
            self._since = now
