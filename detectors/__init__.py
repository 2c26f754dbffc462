"""PII and credential detection over JSON payloads: detectors, the JSON walker, the engine."""

from detectors.engine import DetectorEngine
from detectors.finding import Finding

__all__ = ["DetectorEngine", "Finding"]
