"""afterguard_compiled_modules{state}: how the worker's hot-path modules run.

`compiled` (by Cython), `not_built` (no extension: installed without a C compiler, or with
AFTERGUARD_COMPILE=off or AFTERGUARD_PURE_PYTHON=1) and `source_changed` (an extension older
than its source: the source runs). Every series exists from the start; an alert on
`afterguard_compiled_modules{state!="compiled"} > 0` finds a worker running slower than it
should (detectors/compiled_build.py, docs/build.md).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Gauge

from detectors.compiled_build import BuildReport


def export_build(registry: CollectorRegistry, report: BuildReport) -> None:
    gauge = Gauge("afterguard_compiled_modules", "Hot-path modules by how they run: compiled "
                  "by Cython, not_built or source_changed (then their Python source runs)",
                  ["state"], registry=registry)
    gauge.labels("compiled").set(len(report.compiled))
    gauge.labels("not_built").set(len(report.not_built))
    gauge.labels("source_changed").set(len(report.source_changed))
