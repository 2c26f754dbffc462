"""MAPBOX_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.mapbox import MAPBOX_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('MAPBOX_SECRET=sk.eyJ1IjoibXl1c2VyIiwiYSI6ImNrcThacjJMbVgwdlQ3bkI0a1cxeVAifQ.q8Zr2LmX0vT7nB4kW1yPq8', None, ['sk.eyJ1IjoibXl1c2VyIiwiYSI6ImNrcThacjJMbVgwdlQ3bkI0a1cxeVAifQ.q8Zr2LmX0vT7nB4kW1yPq8']),
    ('sk.eyJ', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(MAPBOX_TOKEN, text, key) == expected
