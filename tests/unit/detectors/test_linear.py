"""LINEAR_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.linear import LINEAR_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('LINEAR_API_KEY=lin_api_q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yP', None, ['lin_api_q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yP']),
    ('lin_api_key', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(LINEAR_KEY, text, key) == expected
