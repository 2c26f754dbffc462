"""PII and credential detection over JSON payloads: detectors, the JSON walker, the engine.

`DetectorEngine` is imported on first use: the engine brings spaCy and presidio (about 2.5 s
of CPU), which commands that never scan (`afterguard audit verify`, `kafka status`...) and
the modules that only need `Finding` or the walker should not pay for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from detectors.compiled_build import install_source_guard

install_source_guard()  # before any compiled module loads (detectors/compiled_build.py)

from detectors.finding import Finding

if TYPE_CHECKING:
    from detectors.engine import DetectorEngine

__all__ = ["DetectorEngine", "Finding"]


def __getattr__(name: str) -> Any:
    if name == "DetectorEngine":
        from detectors.engine import DetectorEngine

        return DetectorEngine
    raise AttributeError(f"module 'detectors' has no attribute {name!r}")
