"""Scan a batch within a per-result time budget, without giving up batching.

The engine scans a batch at once (NER batches over all texts), so one result's scan time is not
measured directly. A chunk whose scan fits the budget clears every result in it (each took at
most the chunk's time); a chunk over the budget, or one that raised, is split in half and
rescanned, down to single results. A single result over the budget is a `DetectorTimeout`; one
that raises keeps its exception. Typical batches cost one scan; only slow or failing chunks are
rescanned, and the culprits are isolated in about log2(batch) rounds.

This is a check after the fact: a scan is not interrupted, so a pathological input still holds
the worker for as long as it takes (the result is then quarantined, never released).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

from detectors import Finding

log = logging.getLogger(__name__)

T = TypeVar("T")
ScanOutcome = list[Finding] | Exception


class DetectorTimeout(Exception):
    """Scanning one result took longer than the policy's `limits.scan_timeout_ms`."""


def scan_within_budget(scan: Callable[[Sequence[T]], list[list[Finding]]], items: Sequence[T],
                       budget_s: float, clock: Callable[[], float]) -> list[ScanOutcome]:
    """Findings per item, a `DetectorTimeout`, or the exception its scan raised."""
    if not items:
        return []
    started = clock()
    try:
        found: list[ScanOutcome] = list(scan(items))
        if len(found) != len(items):
            raise ValueError(f"scan returned {len(found)} results for {len(items)} items")
        elapsed = clock() - started
        if elapsed <= budget_s:
            return found
        if len(items) == 1:
            log.warning("one result's scan took %.0f ms, over the %.0f ms budget",
                        elapsed * 1000, budget_s * 1000)
            return [DetectorTimeout(f"scan took {elapsed * 1000:.0f} ms")]
    except Exception as exc:  # noqa: BLE001 - isolated below; the culprit fails closed
        if len(items) == 1:
            log.error("detector failed on one result: %s", type(exc).__name__)
            return [exc]
        log.warning("detector failed on a batch of %d; isolating the culprit", len(items))
    middle = len(items) // 2
    return (scan_within_budget(scan, items[:middle], budget_s, clock)
            + scan_within_budget(scan, items[middle:], budget_s, clock))
