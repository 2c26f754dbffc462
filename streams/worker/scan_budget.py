"""Scan a batch of results, each within the policy's per-result time budget.

The budget is enforced while the scan runs (see `detectors.budget`): a result over it stops
there and fails closed as `detector_timeout` on its own; a result whose detector raised fails
closed as `detector_error`; the rest of the batch is decided as usual and nothing is scanned
twice. Only if the engine fails for the batch as a whole (outside any one result) is each result
scanned again alone, so that the culprit is the only one to fail.

`scan_results` is synchronous and can take up to about the budget per result: on the worker's
event loop, call it (or the pipeline's `process`) in a worker thread, e.g.
`await loop.run_in_executor(scan_executor, pipeline.process, batch, now, chain)`, so that the
consumer keeps heartbeating while a batch is scanned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from detectors import DetectorEngine, Finding
from detectors.budget import DetectorTimeout
from policies import ActionResult

log = logging.getLogger(__name__)

ScanOutcome = list[Finding] | Exception

__all__ = ["DetectorTimeout", "ScanOutcome", "scan_results"]


def scan_results(engine: DetectorEngine, results: Sequence[ActionResult], budget_s: float,
                 clock: Callable[[], float], sizes: Sequence[int] | None = None,
                 chunk_size: int = 0) -> list[ScanOutcome]:
    """Findings per result, a `DetectorTimeout`, or the exception its scan raised.

    With `sizes` (each result's values: streams/worker/value_count.py) the batch is scanned in
    runs of at most `chunk_size` values (one result alone may be one run): the engine holds every
    leaf of what it scans at once, so a poll of results heavy in values peaks at one run's
    leaves, not the poll's."""
    if sizes is None or chunk_size <= 0:
        return _scan_run(engine, results, budget_s, clock)
    outcomes: list[ScanOutcome] = []
    start, total = 0, 0
    for index, size in enumerate(sizes):
        if index > start and total + size > chunk_size:
            outcomes += _scan_run(engine, results[start:index], budget_s, clock)
            start, total = index, 0
        total += size
    return outcomes + _scan_run(engine, results[start:], budget_s, clock)


def _scan_run(engine: DetectorEngine, results: Sequence[ActionResult], budget_s: float,
              clock: Callable[[], float]) -> list[ScanOutcome]:
    if not results:
        return []
    try:
        outcomes = _scan(engine, results, budget_s, clock)
    except Exception as exc:  # noqa: BLE001 - isolated below; the culprit fails closed
        log.warning("the detector engine failed on a batch of %d (%s); scanning each alone",
                    len(results), type(exc).__name__)
        outcomes = [_scan_alone(engine, result, budget_s, clock) for result in results]
    for outcome in outcomes:
        if isinstance(outcome, DetectorTimeout):
            log.warning("one result's scan went over the %.0f ms budget; it stopped there",
                        budget_s * 1000)
        elif isinstance(outcome, Exception):
            log.error("detector failed on one result: %s", type(outcome).__name__)
    return outcomes


def _scan(engine: DetectorEngine, results: Sequence[ActionResult], budget_s: float,
          clock: Callable[[], float]) -> list[ScanOutcome]:
    return engine.scan_each([r.output for r in results], [r.tenant for r in results],
                            budget_s=budget_s, clock=clock)


def _scan_alone(engine: DetectorEngine, result: ActionResult, budget_s: float,
                clock: Callable[[], float]) -> ScanOutcome:
    try:
        return _scan(engine, [result], budget_s, clock)[0]
    except Exception as exc:  # noqa: BLE001 - this result's outcome
        return exc
