"""FLYIO_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.flyio import FLYIO_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('FLY_API_TOKEN=fo1_q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Z', None, ['fo1_q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Z']),
    ('fo1_short', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(FLYIO_TOKEN, text, key) == expected
